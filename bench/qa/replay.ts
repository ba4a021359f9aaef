// Dev tool: replays the extractive answerer over sources dumped by `pnpm eval:qa --dump FILE`
// (no ingestion, no retrieval), so a composition change is measured in a second.
// `tsx bench/qa/replay.ts FILE [--split dev|held] [--show]`; with `--pool`, FILE is a dump of
// `bench/qa/pool.ts` (each search part's wider hit list) and the sources are picked as the ask route does
// (a place to try other picks from the wider pool).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { composeExtractiveAnswer } from '../../packages/core/src/adapters/llm/extractive-answer';
import { standaloneQuery } from '../../packages/core/src/adapters/llm/follow-up';
import { detectLanguage } from '../../packages/core/src/domain/answering';
import { isCorrect, isNotFound, splitOf, type QaQuestion } from './score';

const here = dirname(fileURLToPath(import.meta.url));
const [file] = process.argv.slice(2);
const split = process.argv.includes('--split')
  ? process.argv[process.argv.indexOf('--split') + 1]
  : 'dev';
const show = process.argv.includes('--show');
const pooled = process.argv.includes('--pool');
type Dumped = {
  id: string;
  scope: string;
  sources: Hit[];
  lists?: Hit[][];
};
type Hit = {
  chunk_id?: string;
  source_filename: string;
  page: number | null;
  page_label: string | null;
  section: string | null;
  content_snippet: string;
  score: number;
};
const questions = new Map(
  readFileSync(join(here, 'questions.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as QaQuestion)
    .map((q) => [q.id, q]),
);
/** The ask route's pick (`retrieveParts`): each part's first hits taking turns, in score order. */
function routeSources(lists: Hit[][], limit: number): Hit[] {
  const seen = new Set<string>();
  const out: Hit[] = [];
  for (let i = 0; out.length < limit && lists.some((l) => i < l.length); i++)
    for (const list of lists) {
      const hit = list[i];
      const key = hit?.chunk_id ?? hit?.content_snippet;
      if (!hit || key === undefined || seen.has(key) || out.length >= limit) continue;
      seen.add(key);
      out.push(hit);
    }
  return out.sort((a, b) => b.score - a.score);
}
const dump = JSON.parse(readFileSync(file as string, 'utf8')) as Dumped[];
const tally: Record<string, [number, number]> = {};
const times: number[] = [];
const cpuTimes: number[] = [];
for (const d of dump) {
  const q = questions.get(d.id) as QaQuestion;
  if (split !== 'all' && splitOf(q) !== split) continue;
  const history = q.prev ? [{ role: 'user' as const, content: q.prev }] : [];
  const { query, question: asked } = standaloneQuery(q.q, history);
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const language = detectLanguage(q.q);
  const sources = pooled ? routeSources(d.lists ?? [], 10) : d.sources;
  const answer = composeExtractiveAnswer({
    question: asked,
    query,
    language,
    sources: sources.map((s) => ({
      filename: s.source_filename,
      page: s.page,
      pageLabel: s.page_label,
      section: s.section,
      content: s.content_snippet,
      score: s.score,
    })),
  });
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  times.push(ms);
  cpuTimes.push((cpu.user + cpu.system) / 1000);
  const ok = q.kind === 'unanswerable' ? isNotFound(answer) : isCorrect(q, answer);
  const key = `${d.scope}/${q.kind === 'unanswerable' ? 'notfound' : 'answer'}`;
  const t = (tally[key] ??= [0, 0]);
  t[0] += ok ? 1 : 0;
  t[1] += 1;
  if (!ok || show)
    console.log(
      `${ok ? 'ok ' : 'BAD'} ${d.id} ${d.scope} ${ms.toFixed(1)}ms Q: ${q.q} ACC=${JSON.stringify(q.accept ?? q.accept_all ?? null)}\n    A: ${answer.slice(0, 500)}`,
    );
}
for (const [k, [n, d]] of Object.entries(tally))
  console.log(`${k}: ${n}/${d} = ${((100 * n) / d).toFixed(1)}%`);
times.sort((a, b) => a - b);
const at = (xs: number[], q: number) =>
  (xs[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? 0).toFixed(1);
console.log(
  `compose wall p50 ${at(times, 0.5)} ms p95 ${at(times, 0.95)} ms max ${at(times, 1)} ms`,
);
cpuTimes.sort((a, b) => a - b);
console.log(
  `compose cpu p50 ${at(cpuTimes, 0.5)} ms p95 ${at(cpuTimes, 0.95)} ms max ${at(cpuTimes, 1)} ms`,
);
