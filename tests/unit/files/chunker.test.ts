import { describe, expect, it } from 'vitest';

import { chunkSegments, splitText, type Segment } from '@rag/core/testing';

import { paragraphs } from '../../support/fixtures';

async function collect(segments: Segment[], size = 200, overlap = 40) {
  const out = [];
  async function* gen() {
    yield* segments;
  }
  for await (const c of chunkSegments(gen(), { size, overlap })) out.push(c);
  return out;
}

const seg = (text: string, offset: number, extra: Partial<Segment> = {}): Segment => ({
  text,
  offset,
  page: null,
  pageLabel: null,
  section: null,
  ...extra,
});

describe('splitText', () => {
  it('never exceeds the size, never emits blank spans, and overlaps consecutive spans', () => {
    const text = paragraphs('rivers', 30);
    const spans = splitText(text, { size: 200, overlap: 50 });
    expect(spans.length).toBeGreaterThan(5);
    for (const s of spans) {
      expect(s.end - s.start).toBeLessThanOrEqual(200);
      expect(text.slice(s.start, s.end).trim()).toBe(text.slice(s.start, s.end));
    }
    for (let i = 1; i < spans.length; i++) expect(spans[i]!.start).toBeLessThan(spans[i - 1]!.end);
  });

  it('prefers paragraph then sentence boundaries', () => {
    const text = `${'a'.repeat(120)}.\n\n${'b'.repeat(120)}. ${'c'.repeat(50)}`;
    const spans = splitText(text, { size: 200, overlap: 0 });
    expect(text.slice(spans[0]!.start, spans[0]!.end)).toBe(`${'a'.repeat(120)}.`);
  });

  it('hard-cuts text without any boundary', () => {
    const spans = splitText('x'.repeat(1000), { size: 300, overlap: 0 });
    expect(spans.map((s) => s.end - s.start)).toEqual([300, 300, 300, 100]);
  });
});

describe('chunkSegments', () => {
  it('packs small segments of one section, never across pages or headings', async () => {
    const chunks = await collect([
      seg('Intro one.', 0, { section: 'Intro', page: 1, pageLabel: 'i' }),
      seg('Intro two.', 12, { section: 'Intro', page: 1, pageLabel: 'i' }),
      seg('Next page.', 30, { section: 'Intro', page: 2, pageLabel: 'ii' }),
      seg('Other heading.', 50, { section: 'Methods', page: 2, pageLabel: 'ii' }),
    ]);
    expect(chunks.map((c) => [c.content, c.page, c.pageLabel, c.section])).toEqual([
      ['Intro one.\n\nIntro two.', 1, 'i', 'Intro'],
      ['Next page.', 2, 'ii', 'Intro'],
      ['Other heading.', 2, 'ii', 'Methods'],
    ]);
    expect(chunks.map((c) => c.index)).toEqual([0, 1, 2]);
    expect(chunks[0]).toMatchObject({ charStart: 0, charEnd: 22 });
  });

  it('merges mergeable segments (SQL statements) and labels a chunk by the statement it starts in', async () => {
    const chunks = await collect([
      seg('CREATE TABLE a (id int);', 0, { section: 'CREATE TABLE a', mergeable: true }),
      seg('CREATE TABLE b (id int);', 25, { section: 'CREATE TABLE b', mergeable: true }),
    ]);
    expect(chunks).toHaveLength(1);
    expect(chunks[0]!.section).toBe('CREATE TABLE a');
  });

  it('maps character offsets of long runs back to the document', async () => {
    const text = paragraphs('offsets', 20);
    const chunks = await collect([seg(text, 1000)], 150, 30);
    for (const c of chunks) {
      expect(c.content.length).toBeLessThanOrEqual(150);
      expect(text.slice(c.charStart - 1000, c.charEnd - 1000)).toBe(c.content);
    }
  });

  it('streams: a huge section is emitted as it grows, with the same result as in one piece', async () => {
    const text = paragraphs('stream', 400);
    const pieces: Segment[] = [];
    for (let i = 0, off = 0; i < text.length; i += 997) {
      pieces.push(seg(text.slice(i, i + 997), off));
      off += 997;
    }
    const chunks = await collect(pieces, 300, 60);
    expect(chunks.every((c) => c.content.length <= 300 && c.content.trim().length > 0)).toBe(true);
    expect(chunks.length).toBeGreaterThan(text.length / 300);
  });

  it('drops blank segments', async () => {
    expect(await collect([seg('   \n\n ', 0), seg('', 5)])).toEqual([]);
  });
});
