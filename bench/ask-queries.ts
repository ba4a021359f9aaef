// `npx tsx bench/ask-queries.ts [--sql]` (issue 17 item 4): how many requests one ask sends to the embedded
// database (PGlite in its worker; a transaction's begin and end count as requests), before its first
// `content` and in all, through the real HTTP route (interactive requests only: the job runner's sweeps
// are not the ask's). Deterministic: the evidence for cutting the asks'
// load on PGlite's single backend.
// Cases, over the ask benchmark's documents: a new user's first question (a new conversation), a
// follow-up in it, one with an explicit `conversation_id`, the same three after POST
// /conversations/create; then the benchmark's workload (its questions in a row in the current
// conversation, as `bench/ask.bench.ts` asks them), averaged. `--sql` prints each request's shape.
import { EventSourceParserStream } from 'eventsource-parser/stream';

import { ASK_QUESTIONS, startAskServer } from './lib/ask-workload';
import { installStatementLog, mark, recentRequests } from './lib/statement-log';

installStatementLog();

const SHOW_SQL = process.argv.includes('--sql');
const WORKLOAD_ROUNDS = 3;

type Counted = { beforeContent: number; total: number; conversationId: string; sql: string[] };

async function ask(url: string, token: string, body: object): Promise<Counted> {
  mark();
  const res = await fetch(`${url}/api/ask/stream`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  if (res.status !== 200 || !res.body) throw new Error(`ask: ${res.status} ${await res.text()}`);
  let beforeContent = -1;
  let conversationId = '';
  for await (const e of res.body
    .pipeThrough(new TextDecoderStream())
    .pipeThrough(new EventSourceParserStream())) {
    if (e.event === 'start')
      conversationId = (JSON.parse(e.data) as { conversation_id: string }).conversation_id;
    if (e.event === 'content' && beforeContent < 0) beforeContent = recentRequests().length;
    if (e.event === 'error') throw new Error(`stream error: ${e.data}`);
  }
  // Whatever the server still writes after `end` is counted too.
  await new Promise((r) => setTimeout(r, 50));
  const sql = [...recentRequests()];
  return { beforeContent, total: sql.length, conversationId, sql };
}

const { url, account, fileIds, close } = await startAskServer('ask-queries', 'q@example.com');
try {
  const token = account.accessToken;
  const rows: Record<string, { before_first_content: number; total: number }> = {};
  const show = (name: string, c: Counted) => {
    rows[name] = { before_first_content: c.beforeContent, total: c.total };
    if (SHOW_SQL) console.log(`--- ${name}\n${c.sql.join('\n')}`);
  };
  const file_id = fileIds;
  for (const round of ['cold', 'warm']) {
    // The second round starts its own conversation first (as the web app's "new chat" does).
    if (round === 'warm') {
      const res = await fetch(`${url}/api/conversations/create`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
      });
      if (res.status !== 200) throw new Error(`create: ${res.status}`);
    }
    const first = await ask(url, token, { question: 'When was IBM founded?', file_id });
    show(`${round} new`, first);
    show(`${round} follow-up`, await ask(url, token, { question: 'Where is it?', file_id }));
    const conversation_id = first.conversationId;
    const question = 'What does Docling convert?';
    show(`${round} explicit`, await ask(url, token, { question, file_id, conversation_id }));
  }
  const workload: Counted[] = [];
  for (let i = 0; i < WORKLOAD_ROUNDS * ASK_QUESTIONS.length; i++) {
    const question = ASK_QUESTIONS[i % ASK_QUESTIONS.length] as string;
    workload.push(await ask(url, token, { question, file_id }));
  }
  const mean = (xs: number[]) =>
    Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 100) / 100;
  rows[`bench workload (mean of ${workload.length})`] = {
    before_first_content: mean(workload.map((c) => c.beforeContent)),
    total: mean(workload.map((c) => c.total)),
  };
  // The first ask of each count.
  const seen = new Set<number>();
  for (const c of workload)
    if (SHOW_SQL && !seen.has(c.total) && seen.add(c.total))
      console.log(`--- workload (${c.total})\n${c.sql.join('\n')}`);
  console.table(rows);
} finally {
  await close();
}
