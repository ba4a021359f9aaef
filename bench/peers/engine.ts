import type { CorpusRecord } from '../lib/beir';

/** The language of a dev set: it decides which analysis the peers' docs recommend (stemmer, stop words). */
export type SetLanguage = 'english' | 'vietnamese';

/** One query as every engine receives it: the text, and OUR embedder's vector for it (computed once). */
export type PreparedQuery = { id: string; text: string; vector: number[] };

/** A ranking function under comparison: corpus ids, best first. */
export type PeerEngine = {
  name: string;
  /** 'keyword' engines are compared with ours-keyword, 'hybrid' ones with ours-hybrid. */
  kind: 'keyword' | 'hybrid';
  /** What it is configured with and why (with the doc page), for the results file. */
  settings: Record<string, unknown>;
  search(query: PreparedQuery, k: number): Promise<string[]>;
};

/** What one build produces: one index and the engines that query it. */
export type PeerIndex = {
  engines: PeerEngine[];
  /** Bytes the index takes on disk (or serialised, for in-memory engines); null when it has no form. */
  diskBytes(): Promise<number | null>;
  close(): Promise<void>;
};

/** The corpus of one set as every peer gets it: the same records and one vector per record. */
export type BuildInput = {
  records: readonly CorpusRecord[];
  /** OUR embedder's vector of each record's rendering, in record order. */
  vectors: readonly number[][];
  dimensions: number;
  language: SetLanguage;
  /** A fresh directory the index may write to. */
  dir: string;
};

/** A family of engines built over one index (e.g. LanceDB FTS and its hybrids). */
export type PeerFamily = {
  name: string;
  /** False when the family does not apply to the set (e.g. the Porter stemmer on Vietnamese). */
  appliesTo(language: SetLanguage): boolean;
  build(input: BuildInput): Promise<PeerIndex>;
};

/**
 * The one text each peer indexes for a record: title and body as a single field, the same words our
 * upload renders (see `renderRecord`), so differences come from analysis and ranking, not from fields.
 */
export const recordText = (r: Pick<CorpusRecord, 'title' | 'text'>): string =>
  r.title.trim() ? `${r.title.replace(/\s+/g, ' ').trim()}\n\n${r.text.trim()}` : r.text.trim();
