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
};

export type ChunkOptions = { size: number; overlap: number };

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

/** Where the next window starts: `overlap` before `end`, moved forward to the start of a word. */
function overlapStart(text: string, start: number, end: number, overlap: number): number {
  if (overlap <= 0) return end;
  let s = Math.max(end - overlap, start + 1);
  while (s < end && !/\s/.test(text[s - 1]!)) s++;
  return s >= end ? end : s;
}

/** Text spans of one buffer, each ≤ size characters, overlapping by about `overlap`. */
export function splitText(text: string, opts: ChunkOptions): { start: number; end: number }[] {
  const spans: { start: number; end: number }[] = [];
  let start = 0;
  while (start < text.length) {
    while (start < text.length && /\s/.test(text[start]!)) start++;
    if (start >= text.length) break;
    const end =
      start + opts.size >= text.length ? text.length : cutPoint(text, start, start + opts.size);
    let trimmed = end;
    while (trimmed > start && /\s/.test(text[trimmed - 1]!)) trimmed--;
    if (trimmed > start) spans.push({ start, end: trimmed });
    if (end >= text.length) break;
    start = overlapStart(text, start, end, Math.min(opts.overlap, Math.floor(opts.size / 2)));
  }
  return spans;
}

type Part = { bufStart: number; docOffset: number; length: number; section: string | null };

/**
 * Structure-aware chunking: consecutive segments that share a page and section (or are marked mergeable)
 * are packed together up to `size` characters; longer runs are cut at the best boundary (paragraph, line,
 * sentence, word) with `overlap` characters carried over. Chunks never cross a page or a heading, are never
 * empty, and never exceed `size`. Runs in bounded memory over a streamed document.
 */
export async function* chunkSegments(
  segments: AsyncIterable<Segment>,
  opts: ChunkOptions,
): AsyncGenerator<ChunkDraft> {
  let index = 0;
  let buf = '';
  let parts: Part[] = [];
  let meta: Pick<Segment, 'page' | 'pageLabel' | 'section'> | null = null;

  const partAt = (pos: number): Part | undefined => {
    for (let i = parts.length - 1; i >= 0; i--) if (pos >= parts[i]!.bufStart) return parts[i];
    return parts[0];
  };
  const docOffset = (pos: number): number => {
    const p = partAt(pos);
    return p ? p.docOffset + Math.min(Math.max(pos - p.bufStart, 0), p.length) : 0;
  };

  function* flush(final: boolean): Generator<ChunkDraft> {
    if (!meta || !buf.trim()) {
      buf = '';
      parts = [];
      return;
    }
    const spans = splitText(buf, opts);
    // Unless this is the end of the run, keep the last span's text to pack with what follows.
    const keep = !final && spans.length > 1 ? spans.pop()! : null;
    for (const s of spans) {
      yield {
        index: index++,
        content: buf.slice(s.start, s.end),
        page: meta.page,
        pageLabel: meta.pageLabel,
        // Merged statements: the chunk is labelled by the one it starts in.
        section: partAt(s.start)?.section ?? meta.section,
        charStart: docOffset(s.start),
        charEnd: docOffset(s.end),
      };
    }
    if (keep) {
      const from = keep.start;
      parts = parts
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
      buf = buf.slice(from);
    } else {
      buf = '';
      parts = [];
    }
  }

  for await (const seg of segments) {
    if (!seg.text.trim()) continue;
    const samePlace =
      meta && meta.page === seg.page && (meta.section === seg.section || seg.mergeable);
    if (!samePlace) {
      yield* flush(true);
      meta = { page: seg.page, pageLabel: seg.pageLabel, section: seg.section };
    }
    const sep = buf ? '\n\n' : '';
    parts.push({
      bufStart: buf.length + sep.length,
      docOffset: seg.offset,
      length: seg.text.length,
      section: seg.section,
    });
    buf += sep + seg.text;
    // Long runs are emitted as they grow, so a huge section never sits in memory whole.
    if (buf.length > opts.size * 8) yield* flush(false);
  }
  yield* flush(true);
}
