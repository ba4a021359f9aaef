import mammoth from 'mammoth';

import type { ParseBudget } from './budget';
import { htmlBlocks } from './html-blocks';
import { readHead } from './text-decoding';
import { DocumentError, REFUSAL_MESSAGES, type ParsedDocument, type Segment } from './types';
import { checkZipBudget } from './zip-budget';

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const OLE_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
/** Flush a section's blocks into a segment past this size (the chunker splits further). */
const FLUSH_AT = 16 * 1024;

/** OOXML is a ZIP; an OLE container holding `EncryptionInfo` is a password-protected OOXML. */
async function sniff(path: string): Promise<void> {
  const head = await readHead(path, 512 * 1024);
  if (head.subarray(0, 8).equals(OLE_MAGIC)) {
    if (head.includes(Buffer.from('EncryptionInfo', 'utf16le'))) {
      throw new DocumentError('encrypted', REFUSAL_MESSAGES.encrypted);
    }
    throw new DocumentError(
      'corrupt',
      REFUSAL_MESSAGES.corrupt('tệp Word 97-2003 (.doc), hãy lưu lại dưới dạng .docx'),
    );
  }
  if (!head.subarray(0, 4).equals(ZIP_MAGIC)) {
    throw new DocumentError('corrupt', REFUSAL_MESSAGES.corrupt('không phải tệp DOCX hợp lệ'));
  }
}

/** DOCX with mammoth (via HTML): headings become sections, tables stay as "cell | cell" rows. */

/**
 * Segments computed in memory, served as the async sequence a parsed document carries (nothing to
 * close when a reader stops early: the blocks are already in memory).
 */
function served<T>(items: Iterator<T, void>): AsyncIterable<T> {
  return { [Symbol.asyncIterator]: () => ({ next: () => Promise.resolve(items.next()) }) };
}
export async function parseDocx(path: string, budget: ParseBudget): Promise<ParsedDocument> {
  await sniff(path);
  // Before mammoth (JSZip) inflates anything: a zip bomb is refused, not loaded.
  await checkZipBudget(path, budget);
  let html: string;
  try {
    const result = await mammoth.convertToHtml(
      { path },
      // Images only contribute their alt text; never inline them as base64.
      { convertImage: mammoth.images.imgElement(() => Promise.resolve({ src: '' })) },
    );
    html = result.value;
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e);
    throw new DocumentError('corrupt', REFUSAL_MESSAGES.corrupt(detail), { cause: e });
  }
  const blocks = htmlBlocks(html);
  function* segments(): Generator<Segment, void> {
    let section: string | null = null;
    let offset = 0;
    let buf = '';
    let bufOffset = 0;
    const flush = function* (): Generator<Segment> {
      if (buf.trim()) yield { text: buf, offset: bufOffset, page: null, pageLabel: null, section };
      buf = '';
    };
    for (const block of blocks) {
      if (block.kind === 'heading') {
        yield* flush();
        section = block.text.replace(/\s+/g, ' ');
      } else if (buf.length >= FLUSH_AT) {
        yield* flush();
      }
      if (!buf) bufOffset = offset;
      buf += (buf ? '\n\n' : '') + block.text;
      offset += block.text.length + 2;
    }
    yield* flush();
  }
  return { pageCount: null, segments: served(segments()) };
}
