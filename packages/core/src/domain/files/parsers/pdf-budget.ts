import { constants, inflateSync } from 'node:zlib';

import { tooLarge, type ParseBudget } from './budget';

const STREAM = Buffer.from('stream');
const END = Buffer.from('endstream');
/** Deflate cannot inflate beyond ~1032 times its input (258-byte matches in ≥ 2-bit codes). */
const MAX_DEFLATE_RATIO = 1032;

type Span = { start: number; end: number };

/** The file's non-image Flate streams, and whether it holds image streams at all. */
function scanStreams(buf: Buffer): { flate: Span[]; hasImages: boolean } {
  const flate: Span[] = [];
  let hasImages = false;
  for (let at = buf.indexOf(STREAM); at !== -1; at = buf.indexOf(STREAM, at + STREAM.length)) {
    if (at >= 3 && buf.subarray(at - 3, at).toString('latin1') === 'end') continue;
    const dictStart = buf.lastIndexOf('obj', at);
    const dict = buf.subarray(Math.max(dictStart, at - 4096, 0), at).toString('latin1');
    let start = at + STREAM.length;
    if (buf[start] === 0x0d) start++;
    if (buf[start] === 0x0a) start++;
    const end = buf.indexOf(END, start);
    if (end === -1) break;
    at = end;
    const image = /\/Subtype\s*\/Image/.test(dict);
    hasImages ||= image;
    if (/\/FlateDecode/.test(dict) && !image) flate.push({ start, end });
  }
  return { flate, hasImages };
}

/**
 * Bounds what pdf.js may inflate: the Flate streams of the file (except images, which text extraction
 * never decodes) must inflate to at most the budget in total. Each stream can grow at most
 * `MAX_DEFLATE_RATIO` times, so only when that bound exceeds the budget are streams inflated (largest
 * first, once, with a capped output) until the exact sizes prove it fits, or do not. A stream that is
 * not valid Flate data is left to pdf.js (it is refused when read). Also tells whether the file holds
 * image streams (a stream's dictionary is never compressed), so that pages without text need no
 * operator list to tell a scan from a blank page.
 */
export function checkPdfStreams(data: Uint8Array, budget: ParseBudget): { hasImages: boolean } {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const { flate, hasImages } = scanStreams(buf);
  let bound = flate.reduce((s, f) => s + (f.end - f.start) * MAX_DEFLATE_RATIO, 0);
  let exact = 0;
  flate.sort((a, b) => b.end - b.start - (a.end - a.start));
  for (const { start, end } of flate) {
    if (bound <= budget.maxInflatedBytes) break;
    bound -= (end - start) * MAX_DEFLATE_RATIO;
    let size: number;
    try {
      size = inflateSync(buf.subarray(start, end), {
        maxOutputLength: Math.max(budget.maxInflatedBytes - exact, 1),
        finishFlush: constants.Z_SYNC_FLUSH,
      }).length;
    } catch (e) {
      if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError)
        throw tooLarge('luồng dữ liệu nén quá lớn');
      continue;
    }
    exact += size;
    bound += size;
    if (exact > budget.maxInflatedBytes) throw tooLarge('luồng dữ liệu nén quá lớn');
  }
  return { hasImages };
}
