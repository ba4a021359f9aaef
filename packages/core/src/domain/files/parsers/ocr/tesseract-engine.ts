import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { Worker as TesseractWorker } from 'tesseract.js';

/** One recognised text line, with its height in pixels (headings are told by height). */
export type OcrLine = { text: string; height: number; paragraphStart: boolean };

/** Lines Tesseract is less sure of than this (0–100) are specks, rules and stamps read as letters. */
const MIN_LINE_CONFIDENCE = 30;

/** The engine is released after this long without a page (its worker holds ~100 MB). */
const IDLE_MS = 30_000;
/** Trained data for LSTM-only recognition (the smaller, faster "best_int" models). */
const DATA_DIR = '4.0.0_best_int';

const requireHere = createRequire(import.meta.url);
/** Resolved from this module first, then from the working directory (an extra language installed there). */
function languageFile(code: string): string {
  const file = `@tesseract.js-data/${code}/${DATA_DIR}/${code}.traineddata.gz`;
  try {
    return requireHere.resolve(file);
  } catch {
    try {
      return createRequire(join(process.cwd(), 'index.js')).resolve(file);
    } catch {
      throw new Error(`OCR language "${code}" needs the npm package @tesseract.js-data/${code}`);
    }
  }
}

/**
 * Tesseract reads every language from one folder (`langPath`), while npm ships each language in its
 * own package: a private folder of symlinks to the packages' files joins them, so nothing is fetched.
 */
async function languageFolder(codes: string[]): Promise<string> {
  const files = codes.map((code) => [code, languageFile(code)] as const);
  const dir = await mkdtemp(join(tmpdir(), 'rag-ocr-'));
  for (const [code, file] of files) await symlink(file, join(dir, `${code}.traineddata.gz`));
  return dir;
}

type Engine = { worker: TesseractWorker; dir: string; languages: string };
let engine: Promise<Engine> | null = null;
let idle: NodeJS.Timeout | null = null;
/** Pages queued or being recognised: the engine is not released under them. */
let busy = 0;

async function startEngine(codes: string[]): Promise<Engine> {
  const dir = await languageFolder(codes);
  try {
    // Loaded on the first page that needs OCR only (start-up time, issue 13).
    const { createWorker, OEM } = await import('tesseract.js');
    const worker = await createWorker(codes.join('+'), OEM.LSTM_ONLY, {
      langPath: dir,
      gzip: true,
      // Never write trained data next to the process (the default cache is the working directory).
      cacheMethod: 'none',
    });
    return { worker, dir, languages: codes.join('+') };
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
}

async function engineFor(codes: string[]): Promise<Engine> {
  const languages = codes.join('+');
  const current = engine && (await engine.catch(() => null));
  if (current?.languages === languages) return current;
  if (current) await stopOcrEngine();
  engine = startEngine(codes);
  engine.catch(() => (engine = null));
  return engine;
}

/** Ends the Tesseract worker (tests, shutdown; also after `IDLE_MS` without pages). */
export async function stopOcrEngine(): Promise<void> {
  if (idle) clearTimeout(idle);
  idle = null;
  const current = engine && (await engine.catch(() => null));
  engine = null;
  if (!current) return;
  await current.worker.terminate();
  await rm(current.dir, { recursive: true, force: true });
}

/** Recognises one page image (PGM, PNG, JPEG…) in `codes` languages: its lines in reading order. */
export async function recognizeImage(image: Buffer, codes: string[]): Promise<OcrLine[]> {
  busy++;
  if (idle) clearTimeout(idle);
  try {
    const { worker } = await engineFor(codes);
    const { data } = await worker.recognize(image, {}, { text: false, blocks: true });
    const lines: OcrLine[] = [];
    for (const block of data.blocks ?? [])
      for (const paragraph of block.paragraphs)
        paragraph.lines
          .filter((line) => line.confidence >= MIN_LINE_CONFIDENCE)
          .forEach((line, i) =>
            lines.push({
              text: line.text.replace(/\s+$/u, ''),
              height: line.bbox.y1 - line.bbox.y0,
              paragraphStart: i === 0,
            }),
          );
    return lines;
  } finally {
    busy--;
    if (busy === 0) {
      idle = setTimeout(() => void stopOcrEngine().catch(() => undefined), IDLE_MS);
      idle.unref();
    }
  }
}
