import { constants, inflateSync } from 'node:zlib';

import { tooLarge, type ParseBudget } from './budget';

const STREAM = Buffer.from('stream');
const END = Buffer.from('endstream');

/**
 * Bounds what pdf.js may inflate: every Flate stream of the file (except images, which text extraction
 * never decodes) is inflated once with a cap on its output, and their total must fit the budget. A
 * stream that is not valid Flate data is left to pdf.js (it is refused when read).
 */
export function checkPdfStreams(data: Uint8Array, budget: ParseBudget): void {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  let total = 0;
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
    if (!/\/FlateDecode/.test(dict) || /\/Subtype\s*\/Image/.test(dict)) continue;
    const remaining = budget.maxInflatedBytes - total;
    let size: number;
    try {
      size = inflateSync(buf.subarray(start, end), {
        maxOutputLength: Math.max(remaining, 1),
        finishFlush: constants.Z_SYNC_FLUSH,
      }).length;
    } catch (e) {
      if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError)
        throw tooLarge('luồng dữ liệu nén quá lớn');
      continue;
    }
    total += size;
    if (total > budget.maxInflatedBytes) throw tooLarge('luồng dữ liệu nén quá lớn');
  }
}
