// Dev tool: asks questions about corpus documents outside the QA set, to see how the answerer does on
// documents nobody tuned for. `tsx bench/qa/ask-docs.ts FILE.json` with
// [{ "doc": "docx/x.docx", "q": "…", "prev"?: "…" }, …]; prints each answer and its first-content time.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { AskInput, askQuestion, createDeps, ingestFile, parseEnv, signUp } from '@rag/core/testing';

const here = dirname(fileURLToPath(import.meta.url));
const CORPUS = join(here, '../../../shared/corpus');
type Item = { doc: string; q: string; prev?: string };
const items = JSON.parse(readFileSync(process.argv[2] as string, 'utf8')) as Item[];

const dataDir = mkdtempSync(join(tmpdir(), 'rag-ask-docs-'));
const deps = await createDeps(
  parseEnv({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', JWT_SECRET: 'x'.repeat(40) }),
);
try {
  const { user } = await signUp(deps, { email: 'docs@example.com', password: 'Docs-Check-Pass-1' });
  const ids = new Map<string, string>();
  for (const doc of new Set(items.map((i) => i.doc))) {
    const res = await ingestFile(deps, {
      userId: user.id,
      filename: doc.split('/').pop() as string,
      source: readFileSync(join(CORPUS, doc)),
    });
    ids.set(doc, res.fileId);
  }
  const ask = async (question: string, doc: string, conversationId?: string) => {
    const stream = await askQuestion(deps, {
      userId: user.id,
      ask: AskInput.parse({ question, file_id: [ids.get(doc)], conversation_id: conversationId }),
    });
    let answer = '';
    let at = 0;
    let first = -1;
    let conversation = '';
    for await (const e of stream) {
      if (e.event === 'start') conversation = e.data.conversation_id;
      if (e.event === 'sources') at = performance.now();
      if (e.event === 'content') {
        if (first < 0) first = performance.now() - at;
        answer += e.data.content;
      }
    }
    return { answer, first, conversation };
  };
  for (const item of items) {
    const prev = item.prev ? await ask(item.prev, item.doc) : undefined;
    const r = await ask(item.q, item.doc, prev?.conversation);
    console.log(
      `[${item.doc}] ${item.prev ? `${item.prev} → ` : ''}${item.q}\n  (${r.first.toFixed(1)} ms) ${r.answer}\n`,
    );
  }
} finally {
  await deps.close();
  rmSync(dataDir, { recursive: true, force: true });
}
