import { decodedLines } from './text-decoding';
import type { ParsedDocument, Segment } from './types';

const ATX = /^ {0,3}(#{1,6})[ \t]+(.*?)[ \t#]*$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const SETEXT = /^ {0,3}(=+|-+)[ \t]*$/;
const FLUSH_AT = 32 * 1024;

/** Heading text without inline markup (links, emphasis, code ticks, HTML tags). */
function plainHeading(text: string): string {
  return text
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, '')
    .replace(/[*_`]/g, '')
    .replace(/\s*\{\/\*.*?\*\/\}\s*/g, ' ')
    .replace(/\s*\{#[\w-]+\}\s*$/, '')
    .trim();
}

/**
 * Markdown by heading sections: each section (heading line + body up to the next heading of any level)
 * is one segment whose `section` is the heading. Headings inside fenced code do not count.
 */
export function parseMarkdown(path: string): ParsedDocument {
  async function* segments(): AsyncGenerator<Segment> {
    let section: string | null = null;
    let buf = '';
    let bufOffset = 0;
    let fence: string | null = null;
    let previous: { text: string; offset: number } | null = null;
    const flush = function* (): Generator<Segment> {
      if (buf.trim()) yield { text: buf, offset: bufOffset, page: null, pageLabel: null, section };
      buf = '';
    };
    const append = (text: string, offset: number) => {
      if (!buf) bufOffset = offset;
      buf += (buf ? '\n' : '') + text;
    };
    for await (const line of decodedLines(path)) {
      const text = line.text.replace(/\r$/, '');
      const fenceMatch = FENCE.exec(text);
      if (fence) {
        if (fenceMatch?.[1]?.startsWith(fence)) fence = null;
      } else if (fenceMatch?.[1]) {
        fence = fenceMatch[1];
      } else {
        const atx = ATX.exec(text);
        if (atx) {
          yield* flush();
          section = plainHeading(atx[2] ?? '') || section;
          append(text, line.offset);
          previous = { text, offset: line.offset };
          continue;
        }
        // Setext: a single paragraph line (blank line or nothing before it) underlined by === or ---.
        if (previous && previous.text.trim() && SETEXT.exec(text)) {
          const head = buf.slice(0, buf.length - previous.text.length);
          if (
            buf.endsWith(previous.text) &&
            (head === '' || head.endsWith('\n\n') || head.trim() === '')
          ) {
            buf = head.replace(/\n$/, '');
            yield* flush();
            section = plainHeading(previous.text) || section;
            append(previous.text, previous.offset);
            append(text, line.offset);
            previous = { text, offset: line.offset };
            continue;
          }
        }
      }
      if (text.trim() === '' && buf.length >= FLUSH_AT && !fence) yield* flush();
      append(text, line.offset);
      previous = { text, offset: line.offset };
    }
    yield* flush();
  }
  return { pageCount: null, segments: segments() };
}
