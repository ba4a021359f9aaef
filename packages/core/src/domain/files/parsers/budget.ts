import { DocumentError, REFUSAL_MESSAGES } from './types';

/**
 * What one document may cost a parser: bytes any decompression may produce (zip entries, PDF streams)
 * and wall time. Derived from the upload cap so a small file can never become a huge one in memory.
 */
export type ParseBudget = {
  /** Total bytes all inflated parts of one document may add up to. */
  maxInflatedBytes: number;
  /** Wall-clock deadline (epoch ms) after which parsing stops. */
  deadline: number;
  /** OCR of PDF pages without a usable text layer; absent or null: such pages are not indexed. */
  ocr?: OcrSettings | null;
};

/** What OCR may do for one document (plain data: the budget crosses into the worker threads). */
export type OcrSettings = {
  /** Tesseract language codes, each from the npm package `@tesseract.js-data/<code>`. */
  languages: string[];
  /** Pages recognised per document at most. */
  maxPages: number;
};

/** Inflated content may be this many times the upload cap (real documents stay far below). */
export const INFLATE_FACTOR = 10;
/** Default time budget for one document. */
export const DEFAULT_PARSE_SECONDS = 300;

export function parseBudget(
  maxUploadMb: number,
  seconds = DEFAULT_PARSE_SECONDS,
  now = Date.now(),
): ParseBudget {
  return {
    maxInflatedBytes: Math.floor(maxUploadMb * 1024 * 1024 * INFLATE_FACTOR),
    deadline: now + seconds * 1000,
  };
}

/** The budget an uploaded document is parsed with, from the settings (upload cap, time, OCR). */
export function documentBudget(env: {
  MAX_UPLOAD_MB: number;
  PARSE_TIMEOUT_S: number;
  OCR: boolean;
  OCR_LANGUAGES: string;
  OCR_MAX_PAGES: number;
}): ParseBudget {
  const ocr = env.OCR && env.OCR_MAX_PAGES > 0;
  return {
    ...parseBudget(env.MAX_UPLOAD_MB, env.PARSE_TIMEOUT_S),
    ocr: ocr ? { languages: env.OCR_LANGUAGES.split('+'), maxPages: env.OCR_MAX_PAGES } : null,
  };
}

export function tooLarge(detail: string): DocumentError {
  return new DocumentError('too-complex', REFUSAL_MESSAGES.tooComplex(detail));
}

/** Throws once the document's time budget is spent (checked between pages / batches). */
export function checkDeadline(budget: ParseBudget | undefined): void {
  if (budget && Date.now() > budget.deadline) throw tooLarge('quá thời gian xử lý cho phép');
}
