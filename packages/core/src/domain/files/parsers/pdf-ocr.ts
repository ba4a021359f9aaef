import type { PDFPageProxy } from 'pdfjs-dist/types/src/display/api';

import type { OcrSettings, ParseBudget } from './budget';
import type { PdfLine } from './pdf-text';

/** OCR of the pages of one PDF within its budget: a page count cap and the parse deadline. */
export type PdfOcr = {
  /** The page's lines as recognised, or null when the budget is spent (the page is then skipped). */
  recognise(page: PDFPageProxy): Promise<PdfLine[] | null>;
  /** Pages recognised so far, and pages that needed OCR but were left out by the budget. */
  readonly recognised: number;
  readonly skipped: number;
};

/** OCR stops while this many mean page times still fit before the deadline (text pages must finish). */
const DEADLINE_MARGIN_PAGES = 2;

/** Recognised lines as the layout analysis expects them: blank lines between paragraphs. */
function asPdfLines(lines: { text: string; height: number; paragraphStart: boolean }[]): PdfLine[] {
  const out: PdfLine[] = [];
  for (const line of lines) {
    if (line.paragraphStart && out.length) out.push({ text: '', height: 0 });
    out.push({ text: line.text, height: line.height });
  }
  return out;
}

export function createPdfOcr(settings: OcrSettings, budget: ParseBudget): PdfOcr {
  let recognised = 0;
  let skipped = 0;
  let spentMs = 0;
  const withinBudget = () => {
    if (recognised >= settings.maxPages) return false;
    const mean = recognised ? spentMs / recognised : 0;
    return Date.now() + mean * DEADLINE_MARGIN_PAGES < budget.deadline;
  };
  return {
    get recognised() {
      return recognised;
    },
    get skipped() {
      return skipped;
    },
    async recognise(page) {
      if (!withinBudget()) {
        skipped++;
        return null;
      }
      const started = Date.now();
      // Loaded with the first page needing OCR only: most documents never need tesseract or canvas.
      const [{ renderPageGrey }, { recognizeImage }] = await Promise.all([
        import('./ocr/render-page'),
        import('./ocr/tesseract-engine'),
      ]);
      const image = await renderPageGrey(page);
      const lines = await recognizeImage(image, settings.languages);
      recognised++;
      spentMs += Date.now() - started;
      return asPdfLines(lines);
    },
  };
}
