import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

import { describe, expect, it } from 'vitest';

import { openPdf, pageText } from '@rag/core/testing';

import { corpusPath } from '../../support/corpus';

const NAMES = [
  'Array.prototype.push',
  'JSON.stringify',
  'JSON.parse',
  'Function.prototype.toString',
];

/** core-js's replacements are ordinary functions (they have a prototype); V8's built-ins do not. */
const replacedIn = (scope: typeof globalThis) =>
  NAMES.filter((name) => {
    const fn = name.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], scope);
    return typeof fn === 'function' && Object.hasOwn(fn, 'prototype');
  });

const pdfMjs = pathToFileURL(
  createRequire(
    fileURLToPath(new URL('../../../packages/core/package.json', import.meta.url)),
  ).resolve('pdfjs-dist/legacy/build/pdf.mjs'),
).href;

/** What a fresh thread that imports pdf.js's legacy build directly reports as replaced. */
function replacedByPlainImport(): Promise<string[]> {
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    import(workerData.url).then(() => {
      parentPort.postMessage(workerData.names.filter((name) => {
        const fn = name.split('.').reduce((o, k) => o[k], globalThis);
        return typeof fn === 'function' && Object.hasOwn(fn, 'prototype');
      }));
    });`;
  const worker = new Worker(code, { eval: true, workerData: { url: pdfMjs, names: NAMES } });
  return new Promise((resolve, reject) => {
    worker.once('message', (names: string[]) => {
      void worker.terminate();
      resolve(names);
    });
    worker.once('error', reject);
  });
}

/** pdf.js's bundled core-js must not leave its slow JavaScript built-ins in the thread that parses. */
describe('pdf.js and the built-ins', () => {
  it('a plain import of the legacy build replaces them (what loadPdfJs undoes)', async () => {
    expect(await replacedByPlainImport()).toEqual(NAMES);
  });

  it('after a PDF is opened and read, the built-ins are V8’s and pdf.js’s additions stay', async () => {
    expect(replacedIn(globalThis)).toEqual([]);
    const doc = await openPdf(new Uint8Array(readFileSync(corpusPath('pdf/tracemonkey.pdf'))));
    expect(await pageText(await doc.getPage(1))).toContain('Trace-based Just-in-Time');
    await doc.destroy();
    expect(replacedIn(globalThis)).toEqual([]);
    expect(typeof (Promise as { withResolvers?: unknown }).withResolvers).toBe('function');
    const value = { a: [1, 'b', null], c: { d: true } };
    expect(JSON.parse(JSON.stringify(value))).toEqual(value);
    const list: number[] = [];
    list.push(1, 2);
    expect(list).toEqual([1, 2]);
  });
});
