/** A block of a converted DOCX: a heading, a paragraph / list item, or a whole table as text. */
export type Block = { kind: 'heading' | 'text' | 'table'; text: string };

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
};

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === '#') {
      const code =
        e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(code) ? String.fromCodePoint(code) : m;
    }
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

/** Vietnamese legal structure and short all-bold paragraphs read as headings even without heading styles. */
const LEGAL_HEADING = /^(Phần thứ|PHẦN THỨ|Chương|CHƯƠNG|Mục|MỤC|Điều)\s+[\dIVXLCĐ]/u;

/** Where the walk over mammoth's HTML is: the block being read, and the table being read. */
type Walk = {
  blocks: Block[];
  /** Text of the current paragraph / heading. */
  text: string;
  /** Every non-blank piece of `text` so far was inside <strong>/<b>. */
  boldOnly: boolean;
  boldDepth: number;
  tableDepth: number;
  cell: string;
  row: string[];
  rows: string[];
  /** Inside an h1–h6 (its inner <p> does not end the block). */
  heading: boolean;
};

const newWalk = (): Walk => ({
  blocks: [],
  text: '',
  boldOnly: true,
  boldDepth: 0,
  tableDepth: 0,
  cell: '',
  row: [],
  rows: [],
  heading: false,
});

/** Text goes to the current table cell, or to the current block. */
function append(w: Walk, s: string): void {
  if (w.tableDepth > 0) w.cell += s;
  else {
    if (s.trim() && w.boldDepth === 0) w.boldOnly = false;
    w.text += s;
  }
}

/** Ends the current block: a heading when tagged so, or short and all bold / a legal heading. */
function endBlock(w: Walk, kind: 'heading' | 'text', prefix = ''): void {
  const t = w.text
    .replace(/[ \t]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .trim();
  if (t) {
    const looksLikeHeading =
      kind === 'heading' ||
      (t.length <= 150 && (w.boldOnly || LEGAL_HEADING.test(t)) && !t.includes('\n'));
    w.blocks.push({
      kind: looksLikeHeading ? 'heading' : 'text',
      text: looksLikeHeading ? t : prefix + t,
    });
  }
  w.text = '';
  w.boldOnly = true;
}

/** A top-level table becomes one block of "cell | cell" rows (nested tables flatten into cells). */
function onTable(w: Walk, closing: boolean): void {
  if (!closing) {
    if (w.tableDepth === 0) {
      endBlock(w, 'text');
      w.rows = [];
    }
    w.tableDepth++;
  } else if (--w.tableDepth === 0) {
    const t = w.rows.filter((r) => r.replace(/[|\s]/g, '')).join('\n');
    if (t) w.blocks.push({ kind: 'table', text: t });
  }
}

function onRow(w: Walk, closing: boolean): void {
  if (w.tableDepth !== 1) return;
  if (closing) w.rows.push(w.row.join(' | '));
  w.row = [];
}

function onCell(w: Walk, closing: boolean): void {
  if (!closing || w.tableDepth !== 1) return;
  w.row.push(w.cell.replace(/\s+/g, ' ').trim());
  w.cell = '';
}

/** An image keeps its alt text, in brackets. */
function onImage(w: Walk, attributes: string): void {
  const alt = /alt="([^"]*)"/.exec(attributes)?.[1];
  if (alt) append(w, ` [${decodeEntities(alt).replace(/\s+/g, ' ').trim()}] `);
}

function onHeading(w: Walk, closing: boolean): void {
  if (w.tableDepth > 0) return append(w, ' ');
  endBlock(w, closing ? 'heading' : 'text');
  w.heading = !closing;
}

/** p / li end a block (list items prefixed "- "); inside a table they only separate words. */
function onParagraph(w: Walk, tag: string, closing: boolean): void {
  if (w.tableDepth > 0) return append(w, ' ');
  if (w.heading) return;
  if (closing) endBlock(w, 'text', tag === 'li' ? '- ' : '');
  else if (w.text.trim()) endBlock(w, 'text', '- ');
}

const HEADING_TAGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);

function onTag(w: Walk, tag: string, closing: boolean, attributes: string): void {
  if (HEADING_TAGS.has(tag)) return onHeading(w, closing);
  switch (tag) {
    case 'table':
      return onTable(w, closing);
    case 'tr':
      return onRow(w, closing);
    case 'td':
    case 'th':
      return onCell(w, closing);
    case 'br':
      return append(w, '\n');
    case 'img':
      return onImage(w, attributes);
    case 'strong':
    case 'b':
      w.boldDepth += closing ? -1 : 1;
      return;
    case 'p':
    case 'li':
      return onParagraph(w, tag, closing);
  }
}

/**
 * Walks mammoth's HTML (a small, well-formed tag set) into text blocks: h1–h6 are headings, p/li are
 * paragraphs (list items prefixed "- "), tables become rows of "cell | cell" lines, images keep their alt text.
 */
export function htmlBlocks(html: string): Block[] {
  const w = newWalk();
  for (const m of html.matchAll(/<(\/?)([a-zA-Z0-9]+)([^>]*)>|([^<]+)/g)) {
    if (m[4] !== undefined) append(w, decodeEntities(m[4]));
    else onTag(w, (m[2] ?? '').toLowerCase(), m[1] === '/', m[3] ?? '');
  }
  endBlock(w, 'text');
  return w.blocks;
}
