// `pnpm bench ocr`: OCR speed and accuracy on pages whose text we know. Pages of text PDFs from the
// shared corpus are rendered to images (pdf.js + @napi-rs/canvas, 200 dpi grey: the text layer is not
// in the image) and recognised with tesseract.js (npm trained data, offline); the character error
// rate (CER) is the edit distance between the recognised text and the page's own text layer, over the
// length of the latter, both with whitespace collapsed. Options: --pages N (per document, default 2),
// --languages eng+vie (default: each document's own).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { openPdf, pageText } from '@rag/core/testing';

import { renderPageGrey } from '../packages/core/src/domain/files/parsers/ocr/render-page';
import {
  recognizeImage,
  stopOcrEngine,
} from '../packages/core/src/domain/files/parsers/ocr/tesseract-engine';
import { machineInfo } from './lib/machine';

const here = dirname(fileURLToPath(import.meta.url));
const corpusDir = join(here, '../../shared/corpus');
const { values } = parseArgs({
  options: { pages: { type: 'string', default: '2' }, languages: { type: 'string' } },
});
const pagesPerDoc = Number(values.pages);

/** Text PDFs with a clean text layer, in the languages OCR is set up for by default. */
const DOCUMENTS = [
  { file: 'pdf/pdkids.pdf', languages: 'eng' },
  { file: 'pdf/issue13201.pdf', languages: 'eng' },
  { file: 'pdf/tracemonkey.pdf', languages: 'eng' },
  { file: 'pdf/an_le_so_432021AL.pdf', languages: 'vie' },
  { file: 'pdf/an_le_so_552022AL.pdf', languages: 'vie' },
];

const normalise = (s: string) => s.normalize('NFC').replace(/\s+/gu, ' ').trim();

/** Levenshtein distance over code points (two rows). */
function editDistance(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    for (let j = 1; j <= y.length; j++) {
      const sub = (prev[j - 1] ?? 0) + (x[i - 1] === y[j - 1] ? 0 : 1);
      cur[j] = Math.min(sub, (prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1);
    }
    prev = cur;
  }
  return prev[y.length] ?? 0;
}

type PageResult = {
  file: string;
  page: number;
  languages: string;
  chars: number;
  renderMs: number;
  ocrMs: number;
  cer: number;
};
const results: PageResult[] = [];
for (const d of DOCUMENTS) {
  const languages = (values.languages ?? d.languages).split('+');
  const doc = await openPdf(new Uint8Array(readFileSync(join(corpusDir, d.file))));
  // The engine's start (wasm, trained data) is timed apart from the pages.
  await recognizeImage(await renderPageGrey(await doc.getPage(1)), languages);
  for (let n = 1; n <= Math.min(pagesPerDoc, doc.numPages); n++) {
    const page = await doc.getPage(n);
    const truth = normalise(await pageText(page));
    const t0 = performance.now();
    const image = await renderPageGrey(page);
    const t1 = performance.now();
    const lines = await recognizeImage(image, languages);
    const t2 = performance.now();
    const read = normalise(lines.map((l) => l.text).join('\n'));
    const cer = editDistance(read, truth) / Math.max(truth.length, 1);
    results.push({
      file: d.file,
      page: n,
      languages: languages.join('+'),
      chars: truth.length,
      renderMs: Math.round(t1 - t0),
      ocrMs: Math.round(t2 - t1),
      cer: Math.round(cer * 1000) / 1000,
    });
    console.log(
      `${d.file} p${n}: ${truth.length} chars, render ${Math.round(t1 - t0)} ms, OCR ${Math.round(t2 - t1)} ms, CER ${(cer * 100).toFixed(1)} %`,
    );
  }
  await doc.destroy();
}
await stopOcrEngine();

const sum = (f: (r: PageResult) => number, rs = results) => rs.reduce((s, r) => s + f(r), 0);
const byLanguage = Object.fromEntries(
  [...new Set(results.map((r) => r.languages))].map((lang) => {
    const rs = results.filter((r) => r.languages === lang);
    return [
      lang,
      {
        pages: rs.length,
        // Character-weighted CER: long pages count for what they hold.
        cer: Math.round((sum((r) => r.cer * r.chars, rs) / sum((r) => r.chars, rs)) * 1000) / 1000,
        pagesPerSecond:
          Math.round((rs.length / (sum((r) => r.renderMs + r.ocrMs, rs) / 1000)) * 100) / 100,
      },
    ];
  }),
);
const totalS = sum((r) => r.renderMs + r.ocrMs) / 1000;
const result = {
  benchmark: 'ocr',
  machine: machineInfo(),
  engine: 'tesseract.js 7.0.0, LSTM, 4.0.0_best_int trained data; pdf.js render at 200 dpi grey',
  pages: results.length,
  pagesPerSecond: Math.round((results.length / totalS) * 100) / 100,
  renderShare: Math.round((sum((r) => r.renderMs) / 1000 / totalS) * 100) / 100,
  cer: Math.round((sum((r) => r.cer * r.chars) / sum((r) => r.chars)) * 1000) / 1000,
  byLanguage,
  perPage: results,
};
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(join(here, 'results/ocr.json'), `${JSON.stringify(result, null, 2)}\n`);
console.log(
  `ocr: ${result.pages} pages, ${result.pagesPerSecond} pages/s (render ${Math.round(result.renderShare * 100)} % of it), CER ${(result.cer * 100).toFixed(1)} % (` +
    Object.entries(byLanguage)
      .map(([l, v]) => `${l} ${(v.cer * 100).toFixed(1)} %, ${v.pagesPerSecond} pages/s`)
      .join('; ') +
    ')',
);
