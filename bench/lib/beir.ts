import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

export type CorpusRecord = { id: string; title: string; text: string };
export type Query = { id: string; text: string };
/** query id → (corpus id → graded relevance; 0 = judged non-relevant). */
export type Qrels = Map<string, Map<string, number>>;

export type BeirDataset = {
  /** The folder's name, e.g. `scifact`. */
  name: string;
  dir: string;
  corpus: CorpusRecord[];
  /** Only the queries that have at least one qrel row, in file order. */
  queries: Query[];
  qrels: Qrels;
};

async function* lines(path: string): AsyncGenerator<{ line: string; n: number }> {
  const rl = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  let n = 0;
  for await (const line of rl) {
    n++;
    if (line.trim()) yield { line, n };
  }
}

function field(obj: Record<string, unknown>, key: string, where: string): string {
  const v = obj[key];
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (v === undefined || v === null) return '';
  throw new Error(`${where}: "${key}" is not a string`);
}

async function readJsonl(path: string): Promise<{ obj: Record<string, unknown>; where: string }[]> {
  const out: { obj: Record<string, unknown>; where: string }[] = [];
  for await (const { line, n } of lines(path)) {
    const where = `${basename(path)}:${n}`;
    let obj: unknown;
    try {
      obj = JSON.parse(line);
    } catch (e) {
      throw new Error(`${where}: invalid JSON`, { cause: e });
    }
    if (!obj || typeof obj !== 'object') throw new Error(`${where}: not a JSON object`);
    out.push({ obj: obj as Record<string, unknown>, where });
  }
  return out;
}

export async function readCorpus(path: string): Promise<CorpusRecord[]> {
  const seen = new Set<string>();
  return (await readJsonl(path)).map(({ obj, where }) => {
    const id = field(obj, '_id', where);
    if (!id) throw new Error(`${where}: missing "_id"`);
    if (seen.has(id)) throw new Error(`${where}: duplicate corpus id ${id}`);
    seen.add(id);
    return { id, title: field(obj, 'title', where), text: field(obj, 'text', where) };
  });
}

export async function readQueries(path: string): Promise<Query[]> {
  return (await readJsonl(path)).map(({ obj, where }) => {
    const id = field(obj, '_id', where);
    if (!id) throw new Error(`${where}: missing "_id"`);
    return { id, text: field(obj, 'text', where) };
  });
}

/** BEIR `qrels/*.tsv`: `query-id<TAB>corpus-id<TAB>score`, with an optional header line. */
export async function readQrels(path: string): Promise<Qrels> {
  const qrels: Qrels = new Map();
  for await (const { line, n } of lines(path)) {
    const cols = line.split('\t').map((c) => c.trim());
    if (n === 1 && cols[0] === 'query-id') continue;
    const [qid, docId, score] = cols;
    const grade = Number(score);
    if (!qid || !docId || score === undefined || !Number.isInteger(grade)) {
      throw new Error(`${basename(path)}:${n}: expected query-id, corpus-id, integer score`);
    }
    let judged = qrels.get(qid);
    if (!judged) qrels.set(qid, (judged = new Map<string, number>()));
    judged.set(docId, grade);
  }
  return qrels;
}

async function firstExisting(paths: string[]): Promise<string> {
  for (const p of paths) {
    try {
      await access(p);
      return p;
    } catch {
      // try the next layout
    }
  }
  throw new Error(`none of ${paths.join(', ')} exists`);
}

/**
 * Loads a BEIR-style folder: `corpus.jsonl`, `queries.jsonl` and `qrels.tsv` (or BEIR's own
 * `qrels/test.tsv`). Queries without qrels are dropped, as BEIR's evaluator does; a qrel naming a
 * document absent from the corpus is an error (it would silently cap recall).
 */
export async function loadBeir(dir: string): Promise<BeirDataset> {
  const root = resolve(dir);
  const [corpus, allQueries, qrels] = await Promise.all([
    readCorpus(join(root, 'corpus.jsonl')),
    readQueries(join(root, 'queries.jsonl')),
    firstExisting([join(root, 'qrels.tsv'), join(root, 'qrels', 'test.tsv')]).then(readQrels),
  ]);
  const ids = new Set(corpus.map((r) => r.id));
  for (const [qid, judged] of qrels) {
    for (const docId of judged.keys()) {
      if (!ids.has(docId))
        throw new Error(`qrels: query ${qid} judges ${docId}, absent from the corpus`);
    }
  }
  const queries = allQueries.filter((q) => qrels.has(q.id));
  return { name: basename(root), dir: root, corpus, queries, qrels };
}
