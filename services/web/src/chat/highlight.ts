/**
 * Where the cited passage sits in its page's text. A source carries its chunk's text but not its
 * index, so the chunk is found by locating the passage in the page and taking the page chunk that
 * contains it; the chunk's offsets then give the marked range. Null when the passage is not found.
 */
export function highlightRange(
  text: string,
  chunks: { start: number; end: number }[],
  snippet: string,
): { before: string; marked: string; after: string } | null {
  const at = locate(text, snippet);
  if (at === null) return null;
  const chunk = chunks.find((c) => c.start <= at.start && at.start < c.end);
  const start = chunk && chunk.end <= text.length ? chunk.start : at.start;
  const end = chunk && chunk.end <= text.length ? chunk.end : at.end;
  return { before: text.slice(0, start), marked: text.slice(start, end), after: text.slice(end) };
}

/** Exact match first, then the passage's opening words (snippets may be cut or re-spaced). */
function locate(text: string, snippet: string): { start: number; end: number } | null {
  const clean = snippet.trim();
  if (!clean) return null;
  const exact = text.indexOf(clean);
  if (exact >= 0) return { start: exact, end: exact + clean.length };
  const words = clean.split(/\s+/).slice(0, 8);
  if (words.length < 3) return null;
  const pattern = new RegExp(words.map(escape).join('\\s+'));
  const m = pattern.exec(text);
  return m ? { start: m.index, end: m.index + m[0].length } : null;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
