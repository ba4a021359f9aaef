import type { CorpusRecord } from '../beir';

/** A search engine under comparison: indexes the records once, then ranks corpus ids for a query. */
export type PeerEngine = {
  name: string;
  /** What it is configured with, for the results file. */
  settings: Record<string, unknown>;
  search(query: string): Promise<string[]>;
};

/** Record text as every in-memory peer indexes it (the same title + text our upload renders). */
export const recordFields = (r: CorpusRecord) => ({ id: r.id, title: r.title, text: r.text });
