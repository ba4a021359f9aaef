import { describe, expect, it } from 'vitest';

import {
  chunkOptionsOf,
  chunkSegments,
  EnvSchema,
  splitText,
  type Segment,
} from '@rag/core/testing';

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

  it('hard-cuts text without any boundary, past the whole-paragraph limit', () => {
    const spans = splitText('x'.repeat(1000), { size: 300, overlap: 0, whole: 600 });
    expect(spans.map((s) => s.end - s.start)).toEqual([300, 300, 300, 100]);
  });
});

/** One paragraph of `n` sentences of 50 characters (no line break). */
const paragraph = (word: string, n: number): string =>
  Array.from(
    { length: n },
    (_, i) => `${word} sentence ${String(i).padStart(3, '0')} ${'z'.repeat(28)}.`,
  ).join(' ');

describe('short paragraphs stay whole', () => {
  it('is switched off with CHUNK_WHOLE_LIMIT=0 (small-context embedders) and on by default', () => {
    const text = paragraph('setting', 12); // ≈ 620 characters
    const off = chunkOptionsOf({ ...EnvSchema.parse({ CHUNK_WHOLE_LIMIT: '0' }), CHUNK_SIZE: 200 });
    const spans = splitText(text, off);
    expect(spans.length).toBeGreaterThan(3);
    expect(spans.every((s) => s.end - s.start <= 200)).toBe(true);
    const on = chunkOptionsOf({ ...EnvSchema.parse({}), CHUNK_SIZE: 200 });
    expect(splitText(text, on)).toHaveLength(1);
  });

  it('keeps a heading and a paragraph longer than the size but within the limit as one chunk', () => {
    const text = `# A title\n\n${paragraph('abstract', 12)}`; // ≈ 620 characters, size 200
    expect(splitText(text, { size: 200, overlap: 40 })).toEqual([{ start: 0, end: text.length }]);
    // Off when the limit is the size: cut inside the paragraph as before.
    const cut = splitText(text, { size: 200, overlap: 40, whole: 200 });
    expect(cut.length).toBeGreaterThan(3);
    expect(cut.every((s) => s.end - s.start <= 200)).toBe(true);
  });

  it('defaults the limit to five times the size, and cuts a longer paragraph to the size throughout', () => {
    const within = paragraph('within', 19); // ≈ 970 characters ≤ 5 × 200
    expect(splitText(within, { size: 200, overlap: 40 })).toHaveLength(1);
    const longer = paragraph('longer', 30); // ≈ 1530 characters > 5 × 200
    const spans = splitText(longer, { size: 200, overlap: 40 });
    expect(spans.length).toBeGreaterThan(7);
    // Once cut, the rest of the paragraph is never kept whole either.
    expect(spans.every((s) => s.end - s.start <= 200)).toBe(true);
  });

  it('still packs several paragraphs to the size, ending the chunk at a paragraph within the limit', () => {
    const short = paragraphs('lakes', 12); // paragraphs of ≈ 100 characters
    expect(splitText(short, { size: 200, overlap: 0 }).every((s) => s.end - s.start <= 200)).toBe(
      true,
    );
    const first = 'Short opening line.';
    const text = `${first}\n${paragraph('second', 8)}\n${paragraph('third', 3)}`;
    const spans = splitText(text, { size: 200, overlap: 0 });
    // The second paragraph began in the first chunk's window: the chunk runs to its end, not into it.
    expect(text.slice(spans[0]!.start, spans[0]!.end)).toBe(`${first}\n${paragraph('second', 8)}`);
    expect(text.slice(spans[1]!.start, spans[1]!.end)).toBe(paragraph('third', 3));
  });

  it('chunks a whole record through chunkSegments with offsets into the document', async () => {
    const text = `# Record\n\n${paragraph('record', 14)}`;
    const chunks = await collect([seg(text, 500, { section: 'Record' })], 300, 60);
    expect(chunks).toHaveLength(1);
    expect(chunks[0]).toMatchObject({ content: text, charStart: 500, charEnd: 500 + text.length });
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
