// CPU of the extractive answerer per ask (issue 17 item 4), apart from the rest of the ask path: the
// ask workload's questions are asked once over HTTP to capture what the answerer is given, then each
// input is composed again and again on fresh copies of its sources (as every request brings new
// objects) and timed (CPU: the process's, the server closed). `npx tsx bench/ask-compose.ts [--rounds N] [--dump file.json]`.
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

import type { Deps } from '@rag/core';

import { ASK_QUESTIONS, startAskServer } from './lib/ask-workload';

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const ROUNDS = Number(arg('--rounds') ?? 40);

const { deps, url, account, fileIds, close } = await startAskServer(
  'bench-compose',
  'c@example.com',
);
const captured: AnswerInput[] = [];
type Llm = Deps['llm'];
type AnswerInput = Parameters<Llm['streamAnswer']>[0];
const llm: Llm = deps.llm;
const original = llm.streamAnswer.bind(llm);
llm.streamAnswer = (input) => {
  captured.push(input);
  return original(input);
};
try {
  for (const question of ASK_QUESTIONS) {
    const res = await fetch(`${url}/api/ask/stream`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${account.accessToken}`,
      },
      body: JSON.stringify({ question, file_id: fileIds }),
    });
    await res.text();
  }
} finally {
  await close();
}
llm.streamAnswer = original;
const inputsOut = arg('--inputs');
if (inputsOut)
  writeFileSync(inputsOut, JSON.stringify(captured.map((c) => ({ ...c, signal: undefined }))));

const drain = async (input: AnswerInput) => {
  let out = '';
  for await (const piece of llm.streamAnswer(input)) out += piece;
  return out;
};
const fresh = (input: AnswerInput): AnswerInput => ({
  ...input,
  sources: input.sources.map((s) => ({ ...s, content: `${s.content}` })),
  signal: undefined,
});

const answers = await Promise.all(captured.map((c) => drain(fresh(c))));
const perAsk: number[] = [];
const cpu0 = process.cpuUsage();
for (let r = 0; r < ROUNDS; r++) {
  for (const c of captured) {
    const input = fresh(c);
    const t0 = performance.now();
    const answer = await drain(input);
    perAsk.push(performance.now() - t0);
    if (answer !== answers[captured.indexOf(c)]) throw new Error('answer changed between rounds');
  }
}
const cpu = process.cpuUsage(cpu0);
const byQuestion = captured.map((c, i) => {
  const xs = perAsk.filter((_, k) => k % captured.length === i).sort((a, b) => a - b);
  return `${c.question.slice(0, 30)}: ${Math.round((xs[xs.length >> 1] as number) * 10) / 10}`;
});
console.log(byQuestion.join('\n'));
const sorted = [...perAsk].sort((a, b) => a - b);
const at = (p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] as number;
const r2 = (x: number) => Math.round(x * 100) / 100;
const dump = arg('--dump');
if (dump) writeFileSync(dump, JSON.stringify(answers, null, 2));
console.log(
  `compose: ${captured.length} questions × ${ROUNDS} rounds: CPU ${r2((cpu.user + cpu.system) / 1000 / perAsk.length)} ms per answer; wall mean ${r2(perAsk.reduce((a, b) => a + b, 0) / perAsk.length)} ms, ` +
    `p50 ${r2(at(0.5))} ms, p95 ${r2(at(0.95))} ms per answer`,
);
