import {
  beginText,
  concatTransformationMatrix,
  endText,
  moveText,
  PDFHexString,
  setFontAndSize,
  setTextRenderingMode,
  showText,
  TextRenderingMode,
  drawObject,
  PDFDict,
  PDFDocument,
  type PDFPage,
  PDFName,
  popGraphicsState,
  pushGraphicsState,
  StandardFonts,
} from 'pdf-lib';

import { openPdf } from '../../packages/core/src/domain/files/parsers/pdf-text';
import { renderPageGrey } from '../../packages/core/src/domain/files/parsers/ocr/render-page';

/** A one-page text PDF, each line in 20 pt Helvetica (what a scanner would photograph). */
export async function textPdf(lines: string[]): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const page = doc.addPage([612, 792]);
  lines.forEach((text, i) => page.drawText(text, { x: 72, y: 700 - i * 32, size: 20, font }));
  return doc.save();
}

/** The resource name pdf-lib gave the page's font (set with `page.setFont`). */
function fontKey(page: PDFPage): string {
  const fonts = page.node.Resources()?.lookup(PDFName.of('Font'), PDFDict);
  const key = fonts?.keys()[0];
  if (!key) throw new Error('page has no font');
  return key.asString().slice(1);
}

/** The grey pixels of a rendered PGM (P5) image and its size. */
function parsePgm(pgm: Buffer): { width: number; height: number; pixels: Buffer } {
  const header = /^P5\n(\d+) (\d+)\n255\n/.exec(pgm.subarray(0, 64).toString('latin1'));
  if (!header) throw new Error('not a PGM');
  const [, width, height] = header.map(Number) as [number, number, number];
  return { width, height, pixels: pgm.subarray(header[0].length) };
}

/** Character codes 1–28 shown in a font: what a font without a ToUnicode map gives pdf.js. */
const GLYPH_CODES = PDFHexString.of(
  Array.from({ length: 120 }, (_, i) => (1 + (i % 28)).toString(16).padStart(2, '0')).join(''),
);

/**
 * A "scan": a PDF whose pages are only images, each the rendering (pdf.js, 200 dpi grey) of the given
 * text PDF's page: no text layer at all, or with `garbageLayer` an invisible one of glyph codes (a font
 * without ToUnicode). `before` text pages with a text layer come first.
 */
export async function scannedPdf(
  source: Uint8Array,
  before: string[][] = [],
  opts: { garbageLayer?: boolean } = {},
): Promise<Uint8Array> {
  const out = await PDFDocument.create();
  const font = await out.embedFont(StandardFonts.Helvetica);
  for (const lines of before) {
    const page = out.addPage([612, 792]);
    lines.forEach((text, i) => page.drawText(text, { x: 72, y: 700 - i * 20, size: 12, font }));
  }
  const pdf = await openPdf(new Uint8Array(source));
  try {
    for (let n = 1; n <= pdf.numPages; n++) {
      const page = await pdf.getPage(n);
      const [, , w, h] = page.view as [number, number, number, number];
      const { width, height, pixels } = parsePgm(await renderPageGrey(page));
      const image = out.context.flateStream(pixels, {
        Type: 'XObject',
        Subtype: 'Image',
        Width: width,
        Height: height,
        ColorSpace: 'DeviceGray',
        BitsPerComponent: 8,
      });
      const target = out.addPage([w, h]);
      target.node.setXObject(PDFName.of('Scan'), out.context.register(image));
      target.pushOperators(
        pushGraphicsState(),
        concatTransformationMatrix(w, 0, 0, h, 0, 0),
        drawObject('Scan'),
        popGraphicsState(),
      );
      if (opts.garbageLayer) {
        target.setFont(font);
        target.pushOperators(
          beginText(),
          setFontAndSize(fontKey(target), 12),
          setTextRenderingMode(TextRenderingMode.Invisible),
          moveText(72, 700),
          showText(GLYPH_CODES),
          endText(),
        );
      }
    }
  } finally {
    await pdf.destroy();
  }
  return out.save();
}
