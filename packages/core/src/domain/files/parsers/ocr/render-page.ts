import type * as CanvasModule from '@napi-rs/canvas';
import type { PDFPageProxy } from 'pdfjs-dist/types/src/display/api';

/** Resolution pages are rendered at for OCR (Tesseract reads 200–300 dpi best). */
export const OCR_DPI = 200;
/** Longest side of a rendered page, whatever its size (a poster must not need a gigabyte). */
const MAX_SIDE_PX = 4000;

type Canvas = typeof CanvasModule;
let canvasModule: Promise<Canvas> | null = null;
/** The canvas binding is loaded on the first page that needs OCR (start-up time, issue 13). */
function loadCanvas(): Promise<Canvas> {
  canvasModule ??= import('@napi-rs/canvas');
  return canvasModule;
}

/**
 * Renders a page with pdf.js onto an `@napi-rs/canvas` canvas and returns it as an 8-bit grey PGM
 * (binary PNM): Tesseract binarises anyway, and a PGM costs nothing to encode, unlike a PNG.
 */
export async function renderPageGrey(page: PDFPageProxy, dpi = OCR_DPI): Promise<Buffer> {
  const { createCanvas } = await loadCanvas();
  const base = page.getViewport({ scale: 1 });
  const scale = Math.min(dpi / 72, MAX_SIDE_PX / Math.max(base.width, base.height));
  const viewport = page.getViewport({ scale });
  const width = Math.ceil(viewport.width);
  const height = Math.ceil(viewport.height);
  const canvas = createCanvas(width, height);
  const context = canvas.getContext('2d');
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, width, height);
  // @napi-rs/canvas implements what pdf.js draws with (pdf.js itself uses it on Node for patterns).
  await page.render({ canvas: canvas as never, viewport }).promise;
  const rgba = context.getImageData(0, 0, width, height).data;
  const header = Buffer.from(`P5\n${width} ${height}\n255\n`, 'latin1');
  const grey = Buffer.allocUnsafe(header.length + width * height);
  header.copy(grey, 0);
  for (let i = 0, o = header.length; i < rgba.length; i += 4, o++) {
    // Rec. 601 luma, composited over white where the page left pixels transparent.
    const a = rgba[i + 3] ?? 255;
    const y = ((rgba[i] ?? 0) * 299 + (rgba[i + 1] ?? 0) * 587 + (rgba[i + 2] ?? 0) * 114) / 1000;
    grey[o] = Math.round((y * a + 255 * (255 - a)) / 255);
  }
  page.cleanup();
  return grey;
}
