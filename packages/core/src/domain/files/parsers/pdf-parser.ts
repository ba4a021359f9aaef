import { readFile } from 'node:fs/promises';

import type { PDFDocumentProxy, PDFPageProxy } from 'pdfjs-dist/types/src/display/api';

import { checkDeadline, type ParseBudget } from './budget';
import { checkPdfStreams } from './pdf-budget';
import { cleanPdfLines, createRunningLineFilter } from './pdf-hygiene';
import { createPdfOcr, type PdfOcr } from './pdf-ocr';
import { openPdf, pageHasImages, rawPageLines, type PdfLine } from './pdf-text';
import { judgeTextLayer } from './pdf-text-quality';
import { DocumentError, REFUSAL_MESSAGES, type ParsedDocument, type Segment } from './types';

/** A line this much taller than the page's typical text, short and with letters, is a heading. */
const HEADING_RATIO = 1.25;

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function isHeading(line: PdfLine, typical: number): boolean {
  const t = line.text.trim();
  return (
    typical > 0 &&
    line.height >= typical * HEADING_RATIO &&
    t.length >= 3 &&
    t.length <= 120 &&
    /\p{L}/u.test(t)
  );
}

/** Errors thrown by pdf.js while reading a page (bad streams, broken objects) refuse the document. */
function asCorrupt(e: unknown): unknown {
  if (e instanceof DocumentError) return e;
  const detail = e instanceof Error ? e.message : String(e);
  return new DocumentError('corrupt', REFUSAL_MESSAGES.corrupt(detail), { cause: e });
}

async function openOrRefuse(
  path: string,
  budget: ParseBudget,
): Promise<{ doc: PDFDocumentProxy; hasImages: boolean }> {
  const data = new Uint8Array(await readFile(path));
  if (!Buffer.from(data.subarray(0, 1024)).includes('%PDF-')) {
    throw new DocumentError('corrupt', REFUSAL_MESSAGES.corrupt('không phải tệp PDF'));
  }
  const { hasImages } = checkPdfStreams(data, budget);
  try {
    return { doc: await openPdf(data), hasImages };
  } catch (e) {
    const name = (e as { name?: string }).name;
    if (name === 'PasswordException')
      throw new DocumentError('encrypted', REFUSAL_MESSAGES.encrypted, { cause: e });
    const detail = e instanceof Error ? e.message : String(e);
    throw new DocumentError('corrupt', REFUSAL_MESSAGES.corrupt(detail), { cause: e });
  }
}

const visibleChars = (lines: PdfLine[]) =>
  lines.reduce((n, l) => n + l.text.replace(/\s+/gu, '').length, 0);

/**
 * What a document's pages needed (told apart in the refusal when nothing could be indexed), and
 * whether the file holds images at all: without any, no page is a scan and no operator list is read.
 */
type PageTally = { needingOcr: number; garbage: number; hasImages: boolean };

/**
 * A page's lines: its text layer when usable; else (a scan, glyph codes from a font without a
 * ToUnicode map) what OCR reads on the rendered page. A garbage layer is never indexed; a sparse one
 * (a caption over a scanned image) is kept when OCR reads no more than it holds.
 */
async function readPage(
  page: PDFPageProxy,
  ocr: PdfOcr | null,
  tally: PageTally,
): Promise<PdfLine[]> {
  const raw = await rawPageLines(page);
  const verdict = judgeTextLayer(raw.map((l) => l.text).join('\n'));
  if (verdict === 'usable') return cleanPdfLines(raw);
  if (verdict === 'sparse') {
    if (!tally.hasImages) return cleanPdfLines(raw);
    // Without OCR the page keeps what text it has: reading its operators would only cost time.
    if (!ocr || !(await pageHasImages(page))) {
      if (!ocr) tally.needingOcr++;
      return cleanPdfLines(raw);
    }
  }
  tally.needingOcr++;
  if (verdict === 'garbage') tally.garbage++;
  const layer = verdict === 'garbage' ? [] : cleanPdfLines(raw);
  const read = ocr ? await ocr.recognise(page) : null;
  if (!read) return layer;
  const recognised = cleanPdfLines(read);
  return visibleChars(recognised) > visibleChars(layer) ? recognised : layer;
}

/**
 * Why nothing of a PDF could be indexed: no OCR for its scans or its garbage text layer, or OCR found
 * nothing. Null when its pages are simply blank (the ingestion refuses it as empty).
 */
function nothingIndexable(tally: PageTally, ocr: PdfOcr | null): DocumentError | null {
  if (tally.needingOcr === 0) return null;
  if (ocr && ocr.recognised > 0)
    return new DocumentError('image-only', REFUSAL_MESSAGES.ocrFoundNothing);
  if (tally.garbage === tally.needingOcr)
    return new DocumentError('image-only', REFUSAL_MESSAGES.unreadableText);
  return new DocumentError('image-only', REFUSAL_MESSAGES.imageOnly);
}

/**
 * PDF with pdf.js, page by page: page numbers (1-based) and the document's page labels; lines set in a
 * larger font become section headings. Pages without a usable text layer are read by OCR when the budget
 * allows it (`budget.ocr`); a PDF that yields no text at all is refused: as image-only / unreadable when
 * its pages needed OCR, else as empty.
 */
export async function parsePdf(path: string, budget: ParseBudget): Promise<ParsedDocument> {
  const { doc, hasImages } = await openOrRefuse(path, budget);
  const labels = await doc.getPageLabels().catch(() => null);
  async function* segments(): AsyncGenerator<Segment> {
    let offset = 0;
    let section: string | null = null;
    let anyText = false;
    const dropRunning = createRunningLineFilter();
    const ocr = budget.ocr ? createPdfOcr(budget.ocr, budget) : null;
    const tally: PageTally = { needingOcr: 0, garbage: 0, hasImages };
    try {
      for (let n = 1; n <= doc.numPages; n++) {
        checkDeadline(budget);
        const page = await doc.getPage(n);
        const lines = dropRunning(await readPage(page, ocr, tally));
        page.cleanup();
        const pageLabel = labels?.[n - 1] || String(n);
        const typical = median(lines.filter((l) => l.text.trim()).map((l) => l.height));
        let buf: string[] = [];
        let bufOffset = offset;
        let bufSection = section;
        const flush = function* (): Generator<Segment> {
          const text = buf.join('\n');
          if (text.trim()) {
            anyText = true;
            yield { text, offset: bufOffset, page: n, pageLabel, section: bufSection };
          }
        };
        for (const line of lines) {
          if (isHeading(line, typical)) {
            yield* flush();
            buf = [];
            bufOffset = offset;
            section = line.text.trim().replace(/\s+/g, ' ');
            bufSection = section;
          }
          buf.push(line.text);
          offset += line.text.length + 1;
        }
        yield* flush();
        offset += 1; // the page break
      }
      if (!anyText) {
        const refusal = nothingIndexable(tally, ocr);
        if (refusal) throw refusal;
      }
    } catch (e) {
      throw asCorrupt(e);
    } finally {
      await doc.destroy();
    }
  }
  return { pageCount: doc.numPages, segments: segments() };
}
