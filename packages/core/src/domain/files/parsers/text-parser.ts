import { decodedLines } from './text-decoding';
import type { ParsedDocument, Segment } from './types';

/** Flush a run of paragraphs once it is this long (keeps memory bounded on huge files). */
const FLUSH_AT = 16 * 1024;

/**
 * Plain text, encoding detected. Paragraph runs become segments, cut at blank lines once long enough and
 * at form feeds (printout page breaks). Text has no pages in the contract's sense: `page` stays null.
 */
export function parseText(path: string): ParsedDocument {
  async function* segments(): AsyncGenerator<Segment> {
    let buf = '';
    let bufOffset = 0;
    const flush = function* (): Generator<Segment> {
      if (buf.trim())
        yield { text: buf, offset: bufOffset, page: null, pageLabel: null, section: null };
      buf = '';
    };
    for await (const line of decodedLines(path)) {
      const parts = line.text.split('\f');
      let partOffset = line.offset;
      for (const [i, part] of parts.entries()) {
        if (i > 0) {
          yield* flush();
          partOffset++;
        }
        if (!buf) bufOffset = partOffset;
        buf += (buf ? '\n' : '') + part;
        partOffset += part.length;
      }
      if (line.text.trim() === '' && buf.length >= FLUSH_AT) yield* flush();
    }
    yield* flush();
  }
  return { pageCount: null, segments: segments() };
}
