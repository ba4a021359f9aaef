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

/**
 * Walks mammoth's HTML (a small, well-formed tag set) into text blocks: h1–h6 are headings, p/li are
 * paragraphs (list items prefixed "- "), tables become rows of "cell | cell" lines, images keep their alt text.
 */
export function htmlBlocks(html: string): Block[] {
  const blocks: Block[] = [];
  let text = '';
  let boldOnly = true;
  let boldDepth = 0;
  let tableDepth = 0;
  let cell = '';
  let row: string[] = [];
  let rows: string[] = [];
  let heading = false;
  const append = (s: string) => {
    if (tableDepth > 0) cell += s;
    else {
      if (s.trim() && boldDepth === 0) boldOnly = false;
      text += s;
    }
  };
  const endBlock = (kind: 'heading' | 'text', prefix = '') => {
    const t = text
      .replace(/[ \t]+/g, ' ')
      .replace(/ *\n */g, '\n')
      .trim();
    if (t) {
      const looksLikeHeading =
        kind === 'heading' ||
        (t.length <= 150 && (boldOnly || LEGAL_HEADING.test(t)) && !t.includes('\n'));
      blocks.push({
        kind: looksLikeHeading ? 'heading' : 'text',
        text: looksLikeHeading ? t : prefix + t,
      });
    }
    text = '';
    boldOnly = true;
  };
  for (const m of html.matchAll(/<(\/?)([a-zA-Z0-9]+)([^>]*)>|([^<]+)/g)) {
    if (m[4] !== undefined) {
      append(decodeEntities(m[4]));
      continue;
    }
    const closing = m[1] === '/';
    const tag = m[2]!.toLowerCase();
    switch (tag) {
      case 'table':
        if (!closing) {
          if (tableDepth === 0) {
            endBlock('text');
            rows = [];
          }
          tableDepth++;
        } else if (--tableDepth === 0) {
          const t = rows.filter((r) => r.replace(/[|\s]/g, '')).join('\n');
          if (t) blocks.push({ kind: 'table', text: t });
        }
        break;
      case 'tr':
        if (tableDepth === 1) {
          if (closing) rows.push(row.join(' | '));
          row = [];
        }
        break;
      case 'td':
      case 'th':
        if (closing && tableDepth === 1) {
          row.push(cell.replace(/\s+/g, ' ').trim());
          cell = '';
        }
        break;
      case 'br':
        append('\n');
        break;
      case 'img': {
        const alt = /alt="([^"]*)"/.exec(m[3] ?? '')?.[1];
        if (alt) append(` [${decodeEntities(alt).replace(/\s+/g, ' ').trim()}] `);
        break;
      }
      case 'strong':
      case 'b':
        boldDepth += closing ? -1 : 1;
        break;
      case 'h1':
      case 'h2':
      case 'h3':
      case 'h4':
      case 'h5':
      case 'h6':
        if (tableDepth > 0) append(' ');
        else {
          endBlock(closing ? 'heading' : 'text');
          heading = !closing;
        }
        break;
      case 'p':
      case 'li':
        if (tableDepth > 0) append(' ');
        else if (!heading) {
          if (closing) endBlock('text', tag === 'li' ? '- ' : '');
          else if (text.trim()) endBlock('text', '- ');
        }
        break;
      default:
        break;
    }
  }
  endBlock('text');
  return blocks;
}
