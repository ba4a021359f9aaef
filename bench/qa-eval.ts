// `pnpm eval:qa [--split dev|held|all] [--out name]`: answer quality of the ask pipeline on real
// documents. Ingests the documents of bench/qa/questions.jsonl through the real ingestion, asks every
// question through the ask generator (the same code the REST/tRPC routes stream), twice: restricted
// to the question's file(s) and over all of the user's files. Reports answer accuracy (accepted
// string + correct citation), not-found rate, file@1, page@3, debris and latency (sources → first
// content) per language, kind and format; one summary line, JSON under bench/results/.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import {
  AskInput,
  askQuestion,
  createDeps,
  ingestFile,
  parseEnv,
  signUp,
  startConversation,
} from '@rag/core/testing';

import { machineInfo } from './lib/machine';
import {
  debris,
  fileAt1,
  inSources,
  isCorrect,
  isNotFound,
  pageAt3,
  splitOf,
  type QaQuestion,
  type QaSource,
} from './qa/score';

const here = dirname(fileURLToPath(import.meta.url));
const CORPUS = join(here, '../../shared/corpus');
const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const split = (arg('split') ?? 'all') as 'dev' | 'held' | 'all';
const outName = arg('out') ?? `qa${split === 'all' ? '' : `-${split}`}`;
/** `--dump FILE`: also writes every question's retrieved sources (to replay the answerer offline). */
const dumpPath = arg('dump');
const oneChat = process.argv.includes('--one-chat');

const everyQuestion = readFileSync(join(here, 'qa/questions.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as QaQuestion);
const questions = everyQuestion.filter((q) => split === 'all' || splitOf(q) === split);

type Ask = {
  answer: string;
  sources: QaSource[];
  raw: unknown[];
  firstContentMs: number;
  conversationId: string;
};
type Deps = Awaited<ReturnType<typeof createDeps>>;

async function ask(
  deps: Deps,
  userId: string,
  question: string,
  fileIds: string[],
  conversationId?: string,
): Promise<Ask> {
  // A question without a conversation goes to the user's current one, whose history would leak
  // into its search query: each standalone question starts a new chat, as a user would.
  // (`--one-chat` keeps the old way, every question in the current chat: it measures how the follow-up
  // rewrite treats standalone questions asked mid-conversation.)
  const conversation_id =
    conversationId ??
    (oneChat ? undefined : (await startConversation(deps, userId)).conversation_id);
  const stream = await askQuestion(deps, {
    userId,
    ask: AskInput.parse({ question, file_id: fileIds, conversation_id }),
  });
  let answer = '';
  let sources: QaSource[] = [];
  let raw: unknown[] = [];
  let sourcesAt = 0;
  let firstContentMs = -1;
  let conversation = conversationId ?? '';
  for await (const e of stream) {
    if (e.event === 'start') conversation = e.data.conversation_id;
    if (e.event === 'sources') {
      sourcesAt = performance.now();
      raw = e.data.sources;
      sources = e.data.sources.map((s) => ({
        filename: s.source_filename,
        page: s.page,
        content: s.content_snippet,
      }));
    }
    if (e.event === 'content') {
      if (firstContentMs < 0) firstContentMs = performance.now() - sourcesAt;
      answer += e.data.content;
    }
    if (e.event === 'error') throw new Error(`ask failed: ${e.data.message}`);
  }
  return { answer, sources, raw, firstContentMs, conversationId: conversation };
}

type Row = {
  id: string;
  split: 'dev' | 'held';
  lang: string;
  kind: QaQuestion['kind'];
  /** 'cross' when the question's language is not its document's. */
  language_match: 'same' | 'cross';
  format: string;
  scope: 'file' | 'all';
  correct: boolean;
  file1: boolean | null;
  page3: boolean | null;
  /** The accepted string is in the top-5 sources' text (else the miss is retrieval's, not the answerer's). */
  reachable: boolean | null;
  debris: string[];
  firstContentMs: number;
  answer: string;
  top: string[];
};

function formatOf(q: QaQuestion): string {
  const exts = [...new Set(q.files.map((f) => f.split('.').pop() as string))];
  return exts.length === 1 ? (exts[0] as string) : exts.length ? 'mixed' : 'none';
}

const pct = (n: number, d: number) => (d ? Math.round((1000 * n) / d) / 10 : null);
const p = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length
    ? Math.round(100 * (s[Math.min(s.length - 1, Math.floor(q * s.length))] as number)) / 100
    : null;
};

function summarise(rows: Row[]) {
  const answerable = rows.filter((r) => r.kind !== 'unanswerable');
  const unanswerable = rows.filter((r) => r.kind === 'unanswerable');
  const withFile = rows.filter((r) => r.file1 !== null);
  const withPage = rows.filter((r) => r.page3 !== null);
  return {
    questions: rows.length,
    answer_accuracy: pct(answerable.filter((r) => r.correct).length, answerable.length),
    not_found_rate: pct(unanswerable.filter((r) => r.correct).length, unanswerable.length),
    file_at_1: pct(withFile.filter((r) => r.file1).length, withFile.length),
    page_at_3: pct(withPage.filter((r) => r.page3).length, withPage.length),
    answer_in_top5_sources: pct(answerable.filter((r) => r.reachable).length, answerable.length),
    debris: rows.filter((r) => r.debris.length).length,
    first_content_p50_ms: p(
      rows.map((r) => r.firstContentMs),
      0.5,
    ),
    first_content_p95_ms: p(
      rows.map((r) => r.firstContentMs),
      0.95,
    ),
  };
}

function groupBy(rows: Row[], key: (r: Row) => string) {
  const groups = new Map<string, Row[]>();
  for (const r of rows) groups.set(key(r), [...(groups.get(key(r)) ?? []), r]);
  return Object.fromEntries([...groups].sort().map(([k, v]) => [k, summarise(v)]));
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'rag-qa-eval-'));
  const deps = await createDeps(
    parseEnv({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', JWT_SECRET: 'x'.repeat(40) }),
  );
  try {
    const account = await signUp(deps, { email: 'qa@example.com', password: 'Qa-Eval-Password-1' });
    const userId = account.user.id;
    // Every split ingests the same documents, so "over all files" means the same library.
    const docs = [...new Set(everyQuestion.flatMap((q) => q.files))].sort();
    const ids = new Map<string, string>();
    for (const doc of docs) {
      const res = await ingestFile(deps, {
        userId,
        filename: doc.split('/').pop() as string,
        source: readFileSync(join(CORPUS, doc)),
      });
      ids.set(doc, res.fileId);
    }
    const all = [...ids.values()];
    const rows: Row[] = [];
    const dump: unknown[] = [];
    for (const scope of ['file', 'all'] as const) {
      for (const q of questions) {
        const fileIds =
          scope === 'file' && q.files.length ? q.files.map((f) => ids.get(f) as string) : all;
        let conversationId: string | undefined;
        if (q.prev) conversationId = (await ask(deps, userId, q.prev, fileIds)).conversationId;
        const r = await ask(deps, userId, q.q, fileIds, conversationId);
        const unanswerable = q.kind === 'unanswerable';
        if (dumpPath) dump.push({ id: q.id, scope, sources: r.raw });
        rows.push({
          id: q.id,
          split: splitOf(q),
          lang: q.lang,
          kind: q.kind,
          language_match: q.xlang ? 'cross' : 'same',
          format: formatOf(q),
          scope,
          correct: unanswerable ? isNotFound(r.answer) : isCorrect(q, r.answer),
          file1: unanswerable ? null : fileAt1(q, r.sources),
          page3: unanswerable ? null : pageAt3(q, r.sources),
          reachable: unanswerable ? null : inSources(q, r.sources.slice(0, 5)),
          debris: debris(r.answer),
          firstContentMs: r.firstContentMs,
          answer: r.answer,
          top: r.sources.slice(0, 3).map((s) => `${s.filename}${s.page ? `#${s.page}` : ''}`),
        });
      }
    }
    const byScope = (s: Row['scope']) => rows.filter((r) => r.scope === s);
    const result = {
      benchmark: 'qa',
      machine: machineInfo(),
      answerer: deps.llm.name,
      split,
      documents: docs.length,
      restricted_to_file: {
        ...summarise(byScope('file')),
        by_split: groupBy(byScope('file'), (r) => r.split),
        by_language: groupBy(byScope('file'), (r) => r.lang),
        by_kind: groupBy(byScope('file'), (r) => r.kind),
        by_format: groupBy(byScope('file'), (r) => r.format),
        by_language_match: groupBy(byScope('file'), (r) => r.language_match),
      },
      all_files: {
        ...summarise(byScope('all')),
        by_split: groupBy(byScope('all'), (r) => r.split),
        by_language: groupBy(byScope('all'), (r) => r.lang),
        by_kind: groupBy(byScope('all'), (r) => r.kind),
        by_format: groupBy(byScope('all'), (r) => r.format),
        by_language_match: groupBy(byScope('all'), (r) => r.language_match),
      },
      answers: rows.map(({ id, scope, correct, reachable, debris: d, answer, top }) => ({
        id,
        scope,
        correct,
        reachable,
        debris: d,
        answer,
        top,
      })),
    };
    if (dumpPath) writeFileSync(dumpPath, JSON.stringify(dump));
    mkdirSync(join(here, 'results'), { recursive: true });
    writeFileSync(join(here, `results/${outName}.json`), JSON.stringify(result, null, 2));
    const f = result.restricted_to_file;
    const a = result.all_files;
    console.log(
      `qa (${split}, ${questions.length} questions, ${docs.length} docs, ${deps.llm.name}): answer ${f.answer_accuracy}% ` +
        `in the question's file / ${a.answer_accuracy}% over all files; follow-ups ${f.by_kind.followup?.answer_accuracy ?? '-'}%; two-document ${f.by_kind.cross?.answer_accuracy ?? '-'}%; cross-language ${f.by_language_match.cross?.answer_accuracy ?? '-'}%; ` +
        `not-found ${a.not_found_rate}%; file@1 ${a.file_at_1}%; page@3 ${a.page_at_3}%; debris ${f.debris + a.debris}; ` +
        `first content p50 ${a.first_content_p50_ms} ms p95 ${a.first_content_p95_ms} ms after sources`,
    );
  } finally {
    await deps.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
