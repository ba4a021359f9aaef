// Dev tool: the top-ranked units for one dumped question. `tsx bench/qa/why.ts FILE ID SCOPE [N]`
import { readFileSync } from 'node:fs';
import { rankUnits } from '../../packages/core/src/adapters/llm/rank-units';
import { standaloneQuery } from '../../packages/core/src/adapters/llm/follow-up';
import { anchorTerms, detectLanguage } from '../../packages/core/src/domain/answering';
import { contentTerms } from '../../packages/core/src/adapters/llm/text';
import type { QaQuestion } from './score';

const [file, id, scope, n] = process.argv.slice(2);
const qs = readFileSync('bench/qa/questions.jsonl', 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l) as QaQuestion);
const q = qs.find((x) => x.id === id);
if (!q) throw new Error(`no question ${id} in bench/qa/questions.jsonl`);
const d = (
  JSON.parse(readFileSync(file as string, 'utf8')) as {
    id: string;
    scope: string;
    sources: Record<string, unknown>[];
  }[]
).find((x) => x.id === id && x.scope === scope);
const language = detectLanguage(q.q);
const history = q.prev ? [{ role: 'user' as const, content: q.prev }] : [];
const { query, question: asked } = standaloneQuery(q.q, history);
console.log({
  language,
  query,
  terms: contentTerms(q.q, language),
  anchors: anchorTerms(q.q, language),
});
const r = rankUnits(
  (d?.sources ?? []).map((s) => ({
    filename: s.source_filename as string,
    page: s.page as number,
    pageLabel: null,
    section: s.section as string,
    content: s.content_snippet as string,
    score: 0,
  })),
  { question: asked, query, language },
);
for (const c of r.ranked.slice(0, Number(n ?? 6)))
  console.log(
    `${c.score.toFixed(3)} cov=${c.coverage.toFixed(2)} anc=${c.anchorShare.toFixed(2)} cross=${c.cross} src=${c.sourceRank} tf=${JSON.stringify([...c.tf])}\n   ${c.text.slice(0, 250)}`,
  );
