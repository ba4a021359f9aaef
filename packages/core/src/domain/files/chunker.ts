import { MAX_CHUNK_CHARS } from './chunk-limits';
import type { PassageTerms } from '../search';
import type { Segment } from './parsers/types';

export type ChunkDraft = {
  index: number;
  content: string;
  page: number | null;
  pageLabel: string | null;
  section: string | null;
  /** Span of the chunk in the document's extracted text. */
  charStart: number;
  charEnd: number;
  /** `passageTerms(content)`, when the ingest worker that cut the chunk tokenized it too. */
  passage?: PassageTerms;
  /**
   * The vector of `embeddingText(chunk)` by the embedder the chunk was asked for with, when the ingest
   * worker that cut it computed that too (hashing): it goes to the index as is.
   */
  vector?: Float32Array;
};

/**
 * `size`: the budget chunks are packed to; `overlap`: carried over after a cut; `whole`: a paragraph (a
 * line of text) no longer than this is not cut inside, even past `size` (default `wholeLimit`).
 */
export type ChunkOptions = { size: number; overlap: number; whole?: number };

/** Chosen on the even half of the dev queries, confirmed on the odd (README "Retrieval quality"). */
const WHOLE_FACTOR = 5;

/** The chunk options the settings give (the ingestion and the page view must agree). */
export function chunkOptionsOf(env: {
  CHUNK_SIZE: number;
  CHUNK_OVERLAP: number;
  CHUNK_WHOLE_LIMIT?: number | undefined;
}): ChunkOptions {
  return { size: env.CHUNK_SIZE, overlap: env.CHUNK_OVERLAP, whole: env.CHUNK_WHOLE_LIMIT };
}

/** The longest paragraph kept whole: `whole`, or WHOLE_FACTOR × size, within [size, MAX_CHUNK_CHARS]. */
export function wholeLimit(opts: ChunkOptions): number {
  return Math.max(opts.size, Math.min(opts.whole ?? opts.size * WHOLE_FACTOR, MAX_CHUNK_CHARS));
}

/** Boundaries to cut at, best first; each is searched in the last half of the window. */
const BOUNDARIES = [/\n\s*\n/g, /\n/g, /[.!?。;:](?=\s)/g, /[,)\]](?=\s)/g, /\s/g];

/** Where to end a window `[start, max)`: after the last best boundary in its second half. */
function cutPoint(text: string, start: number, max: number): number {
  const min = start + Math.floor((max - start) / 2);
  const window = text.slice(min, max);
  for (const re of BOUNDARIES) {
    let last = -1;
    re.lastIndex = 0;
    for (let m = re.exec(window); m; m = re.exec(window)) last = m.index + m[0].length;
    if (last > 0) return min + last;
  }
  return max;
}

const isSpaceAt = (text: string, i: number): boolean => /\s/.test(text.charAt(i));

/**
 * Where a window `[start, max)` ends when its second half has no line break and the paragraph running
 * past `max` begins in the window and ends within `limit` of `start`: at that paragraph's end, so it is
 * not cut inside. A paragraph longer than that (or already cut) is cut as usual.
 */
function paragraphEnd(text: string, start: number, max: number, limit: number): number | null {
  // Every search stays inside the window or the limit: a long line must not be rescanned per window.
  const before = text.slice(start, max).lastIndexOf('\n');
  if (before >= Math.floor((max - start) / 2)) return null;
  if (before < 0 && !startsParagraph(text, start)) return null; // the window starts inside it
  const last = start + limit;
  const nl = text.slice(max, Math.min(text.length, last + 1)).indexOf('\n');
  if (nl >= 0) return max + nl;
  return text.length <= last ? text.length : null;
}

/** Whether only white space lies between the last line break (or the text's start) and `start`. */
function startsParagraph(text: string, start: number): boolean {
  for (let i = start - 1; i >= 0; i--) {
    const c = text.charAt(i);
    if (c === '\n') return true;
    if (!/\s/.test(c)) return false;
  }
  return true;
}

/** Where the next window starts: `overlap` before `end`, moved forward to the start of a word. */
function overlapStart(text: string, start: number, end: number, overlap: number): number {
  if (overlap <= 0) return end;
  let s = Math.max(end - overlap, start + 1);
  while (s < end && !isSpaceAt(text, s - 1)) s++;
  return s >= end ? end : s;
}

/**
 * Text spans of one buffer, each ≤ size characters (or one paragraph ≤ `wholeLimit`), overlapping by
 * about `overlap` after a cut.
 */
export function splitText(text: string, opts: ChunkOptions): { start: number; end: number }[] {
  const spans: { start: number; end: number }[] = [];
  const limit = wholeLimit(opts);
  let start = 0;
  while (start < text.length) {
    while (start < text.length && isSpaceAt(text, start)) start++;
    if (start >= text.length) break;
    const max = start + opts.size;
    const end =
      max >= text.length
        ? text.length
        : (paragraphEnd(text, start, max, limit) ?? cutPoint(text, start, max));
    let trimmed = end;
    while (trimmed > start && isSpaceAt(text, trimmed - 1)) trimmed--;
    if (trimmed > start) spans.push({ start, end: trimmed });
    if (end >= text.length) break;
    start = overlapStart(text, start, end, Math.min(opts.overlap, Math.floor(opts.size / 2)));
  }
  return spans;
}

type Part = { bufStart: number; docOffset: number; length: number; section: string | null };
type Place = Pick<Segment, 'page' | 'pageLabel' | 'section'>;

/** The run being packed: its text, the segments it came from, and where it is (page, section). */
type Run = { index: number; buf: string; parts: Part[]; meta: Place | null };

/** The part of the run holding buffer position `pos`. */
function partAt(parts: Part[], pos: number): Part | undefined {
  for (let i = parts.length - 1; i >= 0; i--) {
    const part = parts[i];
    if (part && pos >= part.bufStart) return part;
  }
  return parts[0];
}

/** A buffer position as an offset in the document's extracted text. */
function docOffset(parts: Part[], pos: number): number {
  const p = partAt(parts, pos);
  return p ? p.docOffset + Math.min(Math.max(pos - p.bufStart, 0), p.length) : 0;
}

/** Keeps the run's text from buffer position `from` on (the start of a span packed with what follows). */
function keepFrom(run: Run, from: number): void {
  run.parts = run.parts
    .filter((p) => p.bufStart + p.length > from)
    .map((p) => {
      const cut = Math.max(0, from - p.bufStart);
      return {
        ...p,
        bufStart: p.bufStart + cut - from,
        docOffset: p.docOffset + cut,
        length: p.length - cut,
      };
    });
  run.buf = run.buf.slice(from);
}

function clear(run: Run): void {
  run.buf = '';
  run.parts = [];
}

/** Cuts the run into chunks; unless `final`, its last span stays to be packed with what follows. */
function* flushRun(run: Run, opts: ChunkOptions, final: boolean): Generator<ChunkDraft> {
  const meta = run.meta;
  if (!meta || !run.buf.trim()) return clear(run);
  const spans = splitText(run.buf, opts);
  const keep = !final && spans.length > 1 ? spans.pop() : undefined;
  for (const s of spans) {
    yield {
      index: run.index++,
      content: run.buf.slice(s.start, s.end),
      page: meta.page,
      pageLabel: meta.pageLabel,
      // Merged statements: the chunk is labelled by the one it starts in.
      section: partAt(run.parts, s.start)?.section ?? meta.section,
      charStart: docOffset(run.parts, s.start),
      charEnd: docOffset(run.parts, s.end),
    };
  }
  if (keep) keepFrom(run, keep.start);
  else clear(run);
}

/** A segment continues the run when it shares its page and section (or may merge across sections). */
const continuesRun = (meta: Place | null, seg: Segment): boolean =>
  meta !== null && meta.page === seg.page && (meta.section === seg.section || !!seg.mergeable);

function appendSegment(run: Run, seg: Segment): void {
  const sep = run.buf ? '\n\n' : '';
  run.parts.push({
    bufStart: run.buf.length + sep.length,
    docOffset: seg.offset,
    length: seg.text.length,
    section: seg.section,
  });
  run.buf += sep + seg.text;
}

/**
 * Structure-aware chunking: consecutive segments that share a page and section (or are marked mergeable)
 * are packed together up to `size` characters; longer runs are cut at the best boundary (paragraph, line,
 * sentence, word) with `overlap` characters carried over; a paragraph up to `wholeLimit(opts)` is not cut
 * inside. Chunks never cross a page or a heading, are never empty, and never exceed `size` unless they end
 * such a paragraph. Runs in bounded memory over a streamed document.
 */
export async function* chunkSegments(
  segments: AsyncIterable<Segment>,
  opts: ChunkOptions,
): AsyncGenerator<ChunkDraft> {
  const run: Run = { index: 0, buf: '', parts: [], meta: null };
  for await (const seg of segments) {
    if (!seg.text.trim()) continue;
    if (!continuesRun(run.meta, seg)) {
      yield* flushRun(run, opts, true);
      run.meta = { page: seg.page, pageLabel: seg.pageLabel, section: seg.section };
    }
    appendSegment(run, seg);
    // Long runs are emitted as they grow, so a huge section never sits in memory whole; the buffer
    // always holds at least the whole-paragraph limit (CHUNK_WHOLE_LIMIT may exceed 8 × size), so a
    // paragraph within it is never split by an early flush.
    if (run.buf.length > Math.max(opts.size * 8, wholeLimit(opts)))
      yield* flushRun(run, opts, false);
  }
  yield* flushRun(run, opts, true);
}
