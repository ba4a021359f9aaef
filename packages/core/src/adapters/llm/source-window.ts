import { terms } from './text';

/**
 * The part of a long source that best matches the query, at most `maxChars` long: the sentence
 * holding the most query terms, widened by its neighbours (the next first) while they fit. Chunks
 * may be up to 4,000 characters, so giving each source its window lets all of them into the prompt.
 */
export function bestWindow(content: string, query: string, maxChars: number): string {
  if (content.length <= maxChars) return content;
  const wanted = new Set(terms(query));
  const sentences = content.split(/(?<=[.!?。！？\n])\s+/u).filter(Boolean);
  let best = 0;
  let bestHits = -1;
  sentences.forEach((s, i) => {
    const hits = terms(s).filter((t) => wanted.has(t)).length;
    if (hits > bestHits) [best, bestHits] = [i, hits];
  });
  let [from, to] = [best, best + 1];
  let length = (sentences[best] ?? '').length;
  for (let grew = true; grew;) {
    grew = false;
    for (const side of ['after', 'before'] as const) {
      const next = side === 'after' ? sentences[to] : sentences[from - 1];
      if (next === undefined || length + next.length + 1 > maxChars) continue;
      length += next.length + 1;
      if (side === 'after') to++;
      else from--;
      grew = true;
    }
  }
  const window = sentences.slice(from, to).join(' ').slice(0, maxChars);
  return `${from > 0 ? '…' : ''}${window}${to < sentences.length ? '…' : ''}`;
}
