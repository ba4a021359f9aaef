/** Text-layer hygiene for PDF lines: what fonts without a usable ToUnicode map and line wrapping leave. */

// C0/C1 controls (tab and newline aside) and private-use glyphs: font-internal codes, never text.
// eslint-disable-next-line no-control-regex
const JUNK = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ue000-\uf8ff]/g;
const SOFT_HYPHEN = /\u00ad/g;

/** A line without control characters or private-use glyphs (dropped, collapsing the gap they leave). */
export function cleanPdfText(text: string): string {
  return text.replace(SOFT_HYPHEN, '').replace(JUNK, '').replace(/ {2,}/g, ' ');
}

/**
 * Cleans each line and re-joins words hyphenated at a line end ("Work-" / "ers of the World" →
 * "Workers" / "of the World"): the line count stays, so line-based layout analysis is unchanged.
 * Only a letter-hyphen end followed by a lower-case start is joined, so "state-" "Of-the-art" stays.
 */
export function cleanPdfLines<T extends { text: string }>(lines: T[]): T[] {
  const out = lines.map((l) => ({ ...l, text: cleanPdfText(l.text) }));
  for (let i = 0; i + 1 < out.length; i++) {
    const cur = out[i] as T;
    const next = out[i + 1] as T;
    const end = /(\p{L}+)-$/u.exec(cur.text);
    const start = /^(\p{Ll}+)([,.;:!?)]*)(\s+|$)/u.exec(next.text);
    if (!end || !start) continue;
    cur.text = `${cur.text.slice(0, -1)}${start[1]}${start[2]}`;
    next.text = next.text.slice(start[0].length);
  }
  return out;
}
