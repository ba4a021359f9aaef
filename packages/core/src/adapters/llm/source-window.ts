import { terms } from './text';

/**
 * Sentences and lines of `content` as `[start, end)` offsets, separators left between them: a
 * table row or list item is a line of its own.
 */
function pieces(content: string): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  let start = 0;
  for (const m of content.matchAll(/(?<=[.!?。！？])\s+|\s*\n\s*/gu)) {
    if (m.index > start) out.push({ start, end: m.index });
    start = m.index + m[0].length;
  }
  if (start < content.length) out.push({ start, end: content.length });
  return out;
}

/**
 * The part of a long source that best matches the query, at most `maxChars` long: the sentence
 * holding the most query terms, widened by its neighbours (the next first) while they fit. Chunks
 * may be up to 4,000 characters, so giving each source its window lets all of them into the prompt.
 * The window is a slice of the source, so its line breaks (table rows, list items, code) stay.
 */
export function bestWindow(content: string, query: string, maxChars: number): string {
  if (content.length <= maxChars) return content;
  const wanted = new Set(terms(query));
  const sentences = pieces(content);
  let best = 0;
  let bestHits = -1;
  sentences.forEach((s, i) => {
    const hits = terms(content.slice(s.start, s.end)).filter((t) => wanted.has(t)).length;
    if (hits > bestHits) [best, bestHits] = [i, hits];
  });
  let [from, to] = [best, best + 1];
  const span = (a: number, b: number) => (sentences[b - 1]?.end ?? 0) - (sentences[a]?.start ?? 0);
  for (let grew = true; grew;) {
    grew = false;
    if (to < sentences.length && span(from, to + 1) <= maxChars) [to, grew] = [to + 1, true];
    if (from > 0 && span(from - 1, to) <= maxChars) [from, grew] = [from - 1, true];
  }
  const first = sentences[from];
  const last = sentences[to - 1];
  const window = first && last ? content.slice(first.start, last.end).slice(0, maxChars) : '';
  return `${from > 0 ? '…' : ''}${window}${to < sentences.length ? '…' : ''}`;
}
