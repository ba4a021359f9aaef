import { promisify } from 'node:util';

import yauzl from 'yauzl';

import { tooLarge, type ParseBudget } from './budget';
import { DocumentError, REFUSAL_MESSAGES } from './types';

/** A part this large must not have compressed better than this (zip bombs reach ~1000:1). */
const MAX_RATIO = 100;
const RATIO_FROM_BYTES = 1024 * 1024;
/** One XML part the DOCX converter loads into a DOM: bounded whatever the upload cap. */
const MAX_XML_PART = 32 * 1024 * 1024;

const openZip = promisify<string, yauzl.Options, yauzl.ZipFile>(yauzl.open);

/** Entries the DOCX converter inflates (media are never read: images only contribute alt text). */
function isReadByConverter(name: string): boolean {
  return /\.(xml|rels)$/i.test(name);
}

/**
 * Checks a ZIP (DOCX) before any converter inflates it: the central directory's sizes and ratios first,
 * then every part the converter will read is inflated once, counting bytes, so a directory lying about
 * sizes is caught too (yauzl refuses a stream longer than its declared size). Memory stays at one chunk.
 */
export async function checkZipBudget(path: string, budget: ParseBudget): Promise<void> {
  let zip: yauzl.ZipFile;
  try {
    zip = await openZip(path, { lazyEntries: true, autoClose: false, validateEntrySizes: true });
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e);
    throw new DocumentError('corrupt', REFUSAL_MESSAGES.corrupt(detail), { cause: e });
  }
  const openStream = promisify(zip.openReadStream.bind(zip));
  let declared = 0;
  let inflated = 0;
  try {
    const entries: yauzl.Entry[] = [];
    await new Promise<void>((resolve, reject) => {
      zip.on('entry', (entry: yauzl.Entry) => {
        entries.push(entry);
        zip.readEntry();
      });
      zip.on('end', resolve);
      zip.on('error', reject);
      zip.readEntry();
    }).catch((e: unknown) => {
      const detail = e instanceof Error ? e.message : String(e);
      throw new DocumentError('corrupt', REFUSAL_MESSAGES.corrupt(detail), { cause: e });
    });
    for (const entry of entries) {
      declared += entry.uncompressedSize;
      if (declared > budget.maxInflatedBytes) throw tooLarge('nội dung giải nén quá lớn');
      if (
        entry.uncompressedSize > RATIO_FROM_BYTES &&
        entry.uncompressedSize > entry.compressedSize * MAX_RATIO
      )
        throw tooLarge(`tỉ lệ nén bất thường ở ${entry.fileName}`);
      if (isReadByConverter(entry.fileName) && entry.uncompressedSize > MAX_XML_PART)
        throw tooLarge(`phần ${entry.fileName} quá lớn`);
    }
    for (const entry of entries) {
      if (!isReadByConverter(entry.fileName) || entry.fileName.endsWith('/')) continue;
      try {
        for await (const chunk of await openStream(entry)) inflated += (chunk as Buffer).length;
      } catch (e) {
        // Only a stream longer than declared, or broken data, ends up here.
        const detail = e instanceof Error ? e.message : String(e);
        if (/too many bytes/i.test(detail))
          throw tooLarge(`kích thước khai báo sai ở ${entry.fileName}`);
        throw new DocumentError('corrupt', REFUSAL_MESSAGES.corrupt(detail), { cause: e });
      }
      if (inflated > budget.maxInflatedBytes) throw tooLarge('nội dung giải nén quá lớn');
    }
  } finally {
    zip.close();
  }
}
