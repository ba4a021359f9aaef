import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { createDeps, ingestFile, parseEnv, signUp } from '@rag/core/testing';
import { createApp } from '@rag/gateway';

const CORPUS = join(dirname(fileURLToPath(import.meta.url)), '../../../shared/corpus');

// The ask benchmark's documents and questions (bench/ask.bench.ts, bench/ask-queries.ts): real corpus
// documents in English and Vietnamese, questions each of them answers.
export const ASK_DOCS = [
  'md/docling-wiki.md',
  'md/javascript-info-variables.md',
  'pdf/issue13201.pdf',
  'pdf/an_le_so_432021AL.pdf',
  'txt/rfc2616.txt',
];

export const ASK_QUESTIONS = [
  'When was IBM founded?',
  'Where is IBM headquartered?',
  'Để tạo biến trong JavaScript, sử dụng từ khóa nào?',
  'How does the network timestamp transactions?',
  'Bà L mua hai căn nhà đang thế chấp với giá bao nhiêu?',
  'What does the 404 status code mean?',
  'Biến là gì?',
  'Which company provided the DOS software of the IBM Personal Computer?',
];

/** The gateway over a fresh embedded database, one user and the documents above, indexed. */
export async function startAskServer(label: string, email: string) {
  const dataDir = mkdtempSync(join(tmpdir(), `rag-${label}-`));
  const deps = await createDeps(
    // One account stands for the many users of a load test: the per-user cap is not measured here.
    parseEnv({
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      JWT_SECRET: 'x'.repeat(40),
      ASK_CONCURRENCY_PER_USER: '1000',
    }),
  );
  const server = createApp(deps).listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const close = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await deps.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const account = await signUp(deps, { email, password: 'Bench-Password-1' });
    const fileIds: string[] = [];
    for (const doc of ASK_DOCS) {
      const res = await ingestFile(deps, {
        userId: account.user.id,
        filename: doc.split('/').pop() as string,
        source: readFileSync(join(CORPUS, doc)),
      });
      fileIds.push(res.fileId);
    }
    return { deps, server, url, account, fileIds, close };
  } catch (e) {
    await close();
    throw e;
  }
}
