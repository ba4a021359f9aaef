import { readFile } from 'node:fs/promises';

import {
  patchKeywordOptions,
  PLAIN_KEYWORD,
  type KeywordOptions,
  type KeywordOptionsPatch,
  type PgvectorIndex,
  type VectorIndex,
} from '@rag/core/testing';

import type { EvalRun } from './evaluate';

export type Variant = { name: string; options: KeywordOptions };

/**
 * `{ "name": { "titleWeight": 1, "rm3": { … } }, "other": { "english": { … } }, … }`, each a patch over
 * plain BM25 (flat keys apply to both languages).
 */
export async function readVariants(path: string): Promise<Variant[]> {
  const raw = JSON.parse(await readFile(path, 'utf8')) as Record<string, KeywordOptionsPatch>;
  return Object.entries(raw).map(([name, o]) => ({
    name,
    options: patchKeywordOptions(PLAIN_KEYWORD, o),
  }));
}

/** The index whose keyword options a run may switch (the embedded default's pgvector index). */
export function optionedIndex(index: VectorIndex): PgvectorIndex {
  if (!('keywordOptions' in index)) throw new Error('--variants needs the pgvector index');
  return index as PgvectorIndex;
}

/** Mean nDCG@10 of the even- and odd-indexed queries of a run (the halves of `--query-split`). */
export function halves(run: Pick<EvalRun, 'perQuery'>): { even: number; odd: number } {
  const mean = (parity: number) => {
    const rows = run.perQuery.filter((_, i) => i % 2 === parity);
    return rows.reduce((s, r) => s + r[1], 0) / (rows.length || 1);
  };
  return { even: mean(0), odd: mean(1) };
}
