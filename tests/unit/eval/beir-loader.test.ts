import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { loadBeir } from '../../../bench/lib/beir';
import { recordFilename, renderRecord } from '../../../bench/lib/ingest-corpus';
import { rankDocuments } from '../../../bench/lib/run-queries';
import { stripDiacritics } from '../../../bench/lib/text';

let root: string;

async function dataset(name: string, files: Record<string, string>): Promise<string> {
  const dir = join(root, name);
  for (const [path, body] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), body);
  }
  return dir;
}

const corpus = [
  { _id: 'd1', title: 'Luật Điện ảnh - Điều 32', text: 'Phim có nội dung T18' },
  { _id: 'd2', title: '', text: 'second' },
  { _id: 3, text: 'numeric id, no title' },
]
  .map((r) => JSON.stringify(r))
  .join('\n');

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'beir-test-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('loadBeir', () => {
  it('reads corpus, queries and graded qrels, and drops queries without judgements', async () => {
    const dir = await dataset('tiny', {
      'corpus.jsonl': `${corpus}\n\n`,
      'queries.jsonl':
        '{"_id":"q1","text":"phim T18"}\r\n{"_id":"q2","text":"unjudged"}\n{"_id":"q3","text":"x"}\n',
      'qrels.tsv': 'query-id\tcorpus-id\tscore\nq1\td1\t2\nq1\td2\t0\nq3\t3\t1\n',
    });
    const ds = await loadBeir(dir);
    expect(ds.name).toBe('tiny');
    expect(ds.corpus).toEqual([
      { id: 'd1', title: 'Luật Điện ảnh - Điều 32', text: 'Phim có nội dung T18' },
      { id: 'd2', title: '', text: 'second' },
      { id: '3', title: '', text: 'numeric id, no title' },
    ]);
    expect(ds.queries.map((q) => q.id)).toEqual(['q1', 'q3']);
    expect([...ds.qrels.get('q1')!]).toEqual([
      ['d1', 2],
      ['d2', 0],
    ]);
  });

  it("accepts BEIR's own qrels/test.tsv layout", async () => {
    const dir = await dataset('beir-layout', {
      'corpus.jsonl': corpus,
      'queries.jsonl': '{"_id":"q1","text":"a"}',
      'qrels/test.tsv': 'query-id\tcorpus-id\tscore\nq1\td2\t1\n',
    });
    expect((await loadBeir(dir)).queries).toHaveLength(1);
  });

  it('rejects qrels that name documents absent from the corpus, and malformed rows', async () => {
    const missing = await dataset('missing', {
      'corpus.jsonl': corpus,
      'queries.jsonl': '{"_id":"q1","text":"a"}',
      'qrels.tsv': 'query-id\tcorpus-id\tscore\nq1\tnope\t1\n',
    });
    await expect(loadBeir(missing)).rejects.toThrow(/nope, absent from the corpus/);
    const bad = await dataset('bad', {
      'corpus.jsonl': corpus,
      'queries.jsonl': '{"_id":"q1","text":"a"}',
      'qrels.tsv': 'q1\td1\n',
    });
    await expect(loadBeir(bad)).rejects.toThrow(/qrels.tsv:1/);
    const json = await dataset('badjson', {
      'corpus.jsonl': '{"_id":"d1"\n',
      'queries.jsonl': '',
      'qrels.tsv': '',
    });
    await expect(loadBeir(json)).rejects.toThrow(/corpus.jsonl:1: invalid JSON/);
  });
});

describe('rendering records as uploads', () => {
  it('puts the title as a Markdown heading above the text', () => {
    expect(renderRecord({ title: ' A  title\n', text: 'Body.' })).toBe('# A title\n\nBody.\n');
    expect(renderRecord({ title: '', text: ' Body. ' })).toBe('Body.\n');
  });

  it('gives every record a distinct, safe filename', () => {
    const taken = new Set<string>();
    expect(recordFilename('luat/dieu 32', taken)).toBe('luat_dieu_32.md');
    expect(recordFilename('luat/dieu 32', taken)).toBe('luat_dieu_32-2.md');
    expect(recordFilename('../', taken)).toBe('.._.md');
  });
});

describe('rankDocuments', () => {
  it('ranks each document at its best chunk and expands deduplicated files', () => {
    const hit = (fileId: string) => ({
      chunk: { fileId } as never,
      score: 1,
      semanticScore: null,
      keywordScore: null,
    });
    const docsByFile = new Map([
      ['f1', ['d1']],
      ['f2', ['d2', 'd2copy']],
      ['f3', ['d3']],
    ]);
    const hits = [hit('f2'), hit('f1'), hit('f2'), hit('f3'), hit('unknown')];
    expect(rankDocuments(hits, docsByFile, 10)).toEqual(['d2', 'd2copy', 'd1', 'd3']);
    expect(rankDocuments(hits, docsByFile, 2)).toEqual(['d2', 'd2copy']);
  });
});

describe('stripDiacritics', () => {
  it('types Vietnamese without diacritics, đ included', () => {
    expect(stripDiacritics('Người xem dưới 16 tuổi được xem phim')).toBe(
      'Nguoi xem duoi 16 tuoi duoc xem phim',
    );
    expect(stripDiacritics('Đà Nẵng')).toBe('Da Nang');
  });
});
