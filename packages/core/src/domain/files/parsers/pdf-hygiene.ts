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

/** A line that is only a page number: "12", "- 12 -", "Page 3", "Page 3 of 10", "Trang 3", "3/10". */
const PAGE_NUMBER =
  /^\s*(?:[-–—]\s*)?(?:(?:page|trang|p\.|стр\.?|seite)\s*)?\d{1,4}(?:\s*(?:of|\/|trên|из|von)\s*\d{1,4})?(?:\s*[-–—])?\s*$/iu;
/** Lines at each end of a page where running headers and footers sit. */
const EDGE_LINES = 2;
const MAX_RUNNING_CHARS = 120;
const MIN_BODY_LINES = 5;

const runningKey = (text: string) =>
  text.trim().toLowerCase().replace(/\d+/g, '#').replace(/\s+/g, ' ');

/**
 * Drops running headers and footers page by page as the pages stream by: at the top or bottom
 * `EDGE_LINES` lines of a page a bare page number always goes; the first / last line of a page with a
 * body goes when a short line like it was seen at the same end of an earlier page (digits ignored, so "Chapter 3 — page 12" matches) goes too; its first
 * occurrence stays, so a title that happens to repeat is still indexed once.
 */
export function createRunningLineFilter() {
  const seen = { top: new Set<string>(), bottom: new Set<string>() };
  return function filterPage<T extends { text: string }>(lines: T[]): T[] {
    const idx = lines.map((l, i) => (l.text.trim() ? i : -1)).filter((i) => i >= 0);
    const edges = new Map<number, 'top' | 'bottom'>();
    idx.slice(0, EDGE_LINES).forEach((i) => edges.set(i, 'top'));
    idx.slice(-EDGE_LINES).forEach((i) => edges.set(i, edges.get(i) ?? 'bottom'));
    const drop = new Set<number>();
    const found: [keyof typeof seen, string][] = [];
    for (const [i, where] of edges) {
      const line = lines[i];
      if (!line) continue; // edges index `lines` by construction
      const text = line.text;
      if (PAGE_NUMBER.test(text)) drop.add(i);
      // Repeats count only on the very first / last line of a page long enough to have a body.
      else if (
        (i === idx[0] || i === idx.at(-1)) &&
        idx.length >= MIN_BODY_LINES &&
        text.trim().length <= MAX_RUNNING_CHARS
      ) {
        const key = runningKey(text);
        if (seen[where].has(key)) drop.add(i);
        found.push([where, key]);
      }
    }
    for (const [where, key] of found) seen[where].add(key);
    return drop.size ? lines.filter((_, i) => !drop.has(i)) : lines;
  };
}
