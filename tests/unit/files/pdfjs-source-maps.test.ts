import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

import { describe, expect, it } from 'vitest';

import { corpusPath } from '../../support/corpus';

const core = fileURLToPath(new URL('../../../packages/core/', import.meta.url));
const fromCore = createRequire(`${core}package.json`);
const bundle = (name: string) =>
  pathToFileURL(fromCore.resolve(`pdfjs-dist/legacy/build/${name}`)).href;

type Probe = { worker: boolean; main: boolean; enabledAfter: boolean };

/**
 * A fresh thread with source maps on reads a PDF (one page, one corrupt file for an error stack),
 * through our loader or through a plain import of pdf.js, and tells whether Node holds pdf.js's maps.
 */
function probe(via: 'loader' | 'plain'): Promise<Probe> {
  const code = `
    const { parentPort, workerData: w } = require('node:worker_threads');
    const { findSourceMap } = require('node:module');
    const { readFileSync } = require('node:fs');
    (async () => {
      process.setSourceMapsEnabled(true);
      let read;
      if (w.via === 'loader') {
        const { register } = await import(w.tsx);
        register();
        const { openPdf, pageText } = await import(w.pdfText);
        read = async (bytes) => pageText(await (await openPdf(bytes)).getPage(1));
      } else {
        await import(w.worker);
        const pdfjs = await import(w.main);
        read = async (bytes) => (await (await pdfjs.getDocument({ data: bytes }).promise).getPage(1)).getTextContent();
      }
      await read(new Uint8Array(readFileSync(w.pdf)));
      await read(new Uint8Array(Buffer.from('%PDF-1.7 garbage'))).catch((e) => e.stack);
      parentPort.postMessage({
        worker: Boolean(findSourceMap(w.worker)),
        main: Boolean(findSourceMap(w.main)),
        enabledAfter: process.sourceMapsEnabled,
      });
    })().catch((e) => parentPort.postMessage({ error: String(e && e.stack) }));`;
  const worker = new Worker(code, {
    eval: true,
    workerData: {
      via,
      tsx: pathToFileURL(fromCore.resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href,
      pdfText: pathToFileURL(`${core}src/domain/files/parsers/pdf-text.ts`).href,
      worker: bundle('pdf.worker.mjs'),
      main: bundle('pdf.mjs'),
      pdf: corpusPath('pdf/tracemonkey.pdf'),
    },
  });
  return new Promise((resolve, reject) => {
    worker.once('message', (m: Probe | { error: string }) => {
      void worker.terminate();
      if ('error' in m) reject(new Error(m.error));
      else resolve(m);
    });
    worker.once('error', reject);
  });
}

describe('pdf.js and source maps (27 MB of live heap per parsing thread)', () => {
  it('a plain import with source maps on makes Node keep both bundles’ maps', async () => {
    expect(await probe('plain')).toEqual({ worker: true, main: true, enabledAfter: true });
  });

  it('loadPdfJs imports pdf.js without them and leaves source maps on for the rest', async () => {
    expect(await probe('loader')).toEqual({ worker: false, main: false, enabledAfter: true });
  });
});
