import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

import type * as PdfJsModule from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { PDFDocumentProxy, PDFPageProxy } from 'pdfjs-dist/types/src/display/api';

import { cleanPdfLines } from './pdf-hygiene';

type PdfJs = typeof PdfJsModule;

/**
 * Built-ins the legacy build's bundled core-js replaces on Node 20 with JavaScript versions for spec
 * corners pdf.js never uses (JSON.rawJSON, a non-writable array length, source text for revivers).
 * Left in place they slow the whole thread: JSON.stringify ~8x (every SSE event, every tRPC reply), push 2x.
 * The additions core-js makes (Promise.withResolvers, Uint8Array base64, Map.getOrInsert…) are kept.
 */
const REPLACED: ReadonlyArray<readonly [object, string]> = [
  [Array.prototype, 'push'],
  [JSON, 'stringify'],
  [JSON, 'parse'],
  [Function.prototype, 'toString'],
];

/** pdfjs-dist ships no types for its worker bundle: its name is held as a plain string. */
const WORKER_BUNDLE = { specifier: 'pdfjs-dist/legacy/build/pdf.worker.mjs' };

async function importPdfJs(): Promise<PdfJs> {
  const saved = REPLACED.map(([owner, name]) => Object.getOwnPropertyDescriptor(owner, name));
  // With source maps on (`--enable-source-maps`, tsx), Node keeps pdf.js's maps (5.8 MB of JSON for
  // the worker bundle alone) and, once a stack is formatted, their decoded form: +27 MB of live heap
  // in every thread that parses, marked at every full collection. Its traces need no mapping.
  // (`sourceMapsEnabled` is Node 20.7+; before it the state cannot be restored, so it is left alone.)
  const maps = process.sourceMapsEnabled as boolean | undefined;
  if (maps !== undefined) process.setSourceMapsEnabled(false);
  try {
    // The worker bundle first: it sets globalThis.pdfjsWorker, so pdf.js's in-thread ("fake") worker
    // never imports it later, after the built-ins are restored.
    await import(WORKER_BUNDLE.specifier);
    return await import('pdfjs-dist/legacy/build/pdf.mjs');
  } finally {
    if (maps !== undefined) process.setSourceMapsEnabled(maps);
    REPLACED.forEach(([owner, name], i) => {
      const descriptor = saved[i];
      if (descriptor) Object.defineProperty(owner, name, descriptor);
    });
  }
}

let pdfjsPromise: Promise<PdfJs> | null = null;
/** pdf.js legacy build (the one that runs on Node 20), loaded once on first use. */
export function loadPdfJs(): Promise<PdfJs> {
  pdfjsPromise ??= importPdfJs();
  return pdfjsPromise;
}

const pdfjsRoot = dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));

/** Opens a PDF held in memory. CMaps are needed to extract CJK text from CID fonts. */
export async function openPdf(data: Uint8Array): Promise<PDFDocumentProxy> {
  const pdfjs = await loadPdfJs();
  return pdfjs.getDocument({
    data,
    cMapUrl: join(pdfjsRoot, 'cmaps') + '/',
    cMapPacked: true,
    standardFontDataUrl: join(pdfjsRoot, 'standard_fonts') + '/',
    disableFontFace: true,
    useSystemFonts: false,
    isEvalSupported: false,
    verbosity: 0,
  }).promise;
}

export type PdfLine = { text: string; height: number };

/** A page's text layer as lines in content order, with the tallest glyph height of each line (raw). */
export async function rawPageLines(page: PDFPageProxy): Promise<PdfLine[]> {
  const content = await page.getTextContent();
  const lines: PdfLine[] = [];
  let text = '';
  let height = 0;
  let lastY: number | null = null;
  let lastHeight = 0;
  const endLine = () => {
    lines.push({ text, height });
    text = '';
    height = 0;
  };
  for (const item of content.items) {
    if (!('str' in item)) continue;
    const y = item.transform[5] as number;
    // A vertical jump of more than ~1.8 lines marks a paragraph break.
    if (
      text === '' &&
      lastY !== null &&
      lastHeight > 0 &&
      Math.abs(lastY - y) > lastHeight * 1.8 &&
      lines.length
    ) {
      if (lines.at(-1)?.text !== '') lines.push({ text: '', height: 0 });
    }
    text += item.str;
    if (item.str.trim()) {
      height = Math.max(height, item.height);
      lastY = y;
      lastHeight = item.height || lastHeight;
    }
    if (item.hasEOL) endLine();
  }
  if (text) endLine();
  return lines;
}

/** A page's text as cleaned lines (see pdf-hygiene.ts). */
export async function pageLines(page: PDFPageProxy): Promise<PdfLine[]> {
  return cleanPdfLines(await rawPageLines(page));
}

/** Plain text of a page (what the bare-extraction benchmark baseline measures). */
export async function pageText(page: PDFPageProxy): Promise<string> {
  return (await pageLines(page)).map((l) => l.text).join('\n');
}

/** True when the page paints images (a scanned page: its text can only come from OCR). */
export async function pageHasImages(page: PDFPageProxy): Promise<boolean> {
  const { OPS } = await loadPdfJs();
  const ops = await page.getOperatorList();
  const imageOps = new Set<number>([
    OPS.paintImageXObject,
    OPS.paintInlineImageXObject,
    OPS.paintImageMaskXObject,
  ]);
  return ops.fnArray.some((fn) => imageOps.has(fn));
}
