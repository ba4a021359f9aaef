// Dev tool: the top hits for free-form queries over one or more QA documents, as the ask route
// retrieves them (hybrid, α 0.7). `tsx bench/qa/probe.ts DOC[,DOC…] "query" ["query"…]`
import { readFileSync, rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { createDeps, ingestFile, parseEnv, retrieve, signUp, toSource } from '@rag/core/testing';

const here = dirname(fileURLToPath(import.meta.url));
const CORPUS = join(here, '../../../shared/corpus');
const [docList, ...queries] = process.argv.slice(2);
const dataDir = mkdtempSync(join(tmpdir(), 'rag-qa-probe-'));
const deps = await createDeps(
  parseEnv({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', JWT_SECRET: 'x'.repeat(40) }),
);
try {
  const { user } = await signUp(deps, { email: 'qa@example.com', password: 'Qa-Eval-Password-1' });
  const fileIds: string[] = [];
  for (const doc of (docList ?? '').split(','))
    fileIds.push(
      (
        await ingestFile(deps, {
          userId: user.id,
          filename: doc.split('/').pop() as string,
          source: readFileSync(join(CORPUS, doc)),
        })
      ).fileId,
    );
  for (const query of queries) {
    const hits = await retrieve(deps, {
      userId: user.id,
      query,
      mode: 'hybrid',
      fileIds,
      alpha: 0.7,
      limit: 10,
    });
    console.log(`# ${query}`);
    for (const h of hits.map(toSource))
      console.log(
        `  ${h.score.toFixed(3)} ${h.content_snippet.replace(/\s+/g, ' ').slice(0, Number(process.env.W ?? 110))}`,
      );
  }
} finally {
  await deps.close();
  rmSync(dataDir, { recursive: true, force: true });
}
