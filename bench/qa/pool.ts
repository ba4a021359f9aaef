// Dev tool: ingests the QA documents once and dumps, for every question and scope, each search
// part's top POOL hits (the ask route's parts: sub-questions and the bridged rendering), so a change
// in how the ask route picks its sources can be replayed offline (`tsx bench/qa/replay.ts --pool`).
// `tsx bench/qa/pool.ts OUT [--split dev|held|all] [--pool 40]`
import { readFileSync, rmSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { carryKeyTerms } from '../../packages/core/src/adapters/llm/follow-up';
import { detectLanguage, searchParts } from '../../packages/core/src/domain/answering';
import { createDeps, ingestFile, parseEnv, retrieve, signUp, toSource } from '@rag/core/testing';

import { splitOf, type QaQuestion } from './score';

const here = dirname(fileURLToPath(import.meta.url));
const CORPUS = join(here, '../../../shared/corpus');
const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const [out] = process.argv.slice(2);
const split = arg('split') ?? 'dev';
const pool = Number(arg('pool') ?? 40);
const every = readFileSync(join(here, 'questions.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as QaQuestion);
const questions = every.filter((q) => split === 'all' || splitOf(q) === split);

const dataDir = mkdtempSync(join(tmpdir(), 'rag-qa-pool-'));
const deps = await createDeps(
  parseEnv({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', JWT_SECRET: 'x'.repeat(40) }),
);
try {
  const { user } = await signUp(deps, { email: 'qa@example.com', password: 'Qa-Eval-Password-1' });
  const docs = [...new Set(every.flatMap((q) => q.files))].sort();
  const ids = new Map<string, string>();
  for (const doc of docs) {
    const res = await ingestFile(deps, {
      userId: user.id,
      filename: doc.split('/').pop() as string,
      source: readFileSync(join(CORPUS, doc)),
    });
    ids.set(doc, res.fileId);
  }
  const all = [...ids.values()];
  const dump: unknown[] = [];
  for (const scope of ['file', 'all'] as const)
    for (const q of questions) {
      const fileIds =
        scope === 'file' && q.files.length ? q.files.map((f) => ids.get(f) as string) : all;
      const language = detectLanguage(q.q);
      const query = q.prev ? carryKeyTerms(q.q, [{ role: 'user', content: q.prev }]) : q.q;
      const parts = query === q.q ? searchParts(query, language) : [query];
      const lists = await Promise.all(
        parts.map((p) =>
          retrieve(deps, {
            userId: user.id,
            query: p,
            mode: 'hybrid',
            alpha: 0.7,
            fileIds,
            limit: pool,
          }),
        ),
      );
      dump.push({
        id: q.id,
        scope,
        query,
        lists: lists.map((l) => l.map((h) => ({ ...toSource(h), chunk_id: h.chunk.id }))),
      });
    }
  writeFileSync(out as string, JSON.stringify(dump));
} finally {
  await deps.close();
  rmSync(dataDir, { recursive: true, force: true });
}
