import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The dev sets of the shared corpus, in the order the README reports them. */
export const DEV_SETS = [
  'scifact',
  'alqac2023_vi',
  'uit_reg_wiki_vi',
  'msmarco_trecdl_subset',
] as const;

/** `EVAL_DATA_ROOT`, else `shared/corpus/eval` beside the repository (where CI and the team keep it). */
export function evalDataRoot(env: Record<string, string | undefined>): string {
  if (env.EVAL_DATA_ROOT) return resolve(env.EVAL_DATA_ROOT);
  const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const beside = join(repo, '..', 'shared', 'corpus', 'eval');
  if (!existsSync(beside)) throw new Error(`no eval data at ${beside}; set EVAL_DATA_ROOT`);
  return beside;
}
