import { UserPostings, type PostingDoc } from './bm25-postings';

/** A user's chunks as loaded from the database, with the index version they were read at. */
export type LoadedPostings = { version: string; docs: Iterable<PostingDoc> };

/** What a committed write changed, between two versions of the user's index. */
export type PostingsChange = {
  before: string | null;
  after: string | null;
  added?: PostingDoc[];
  removed?: string[];
};

export type Bm25Cache = {
  /** The user's postings at exactly `version`, loading them when needed; null: search in SQL instead. */
  get(userId: string, version: string): Promise<UserPostings | null>;
  /**
   * Loads these users' postings one by one (after a restart, so their first keyword search is not the
   * one that waits), stopping once the cache is mostly full or `signal` aborts.
   */
  warm(userIds: string[], signal?: AbortSignal): Promise<void>;
  /** After a committed write: moves the cached copy from `before` to `after`, or drops it. */
  applied(userId: string, change: PostingsChange): void;
  readonly stats: { users: number; bytes: number; loads: number };
};

/**
 * Per-user postings kept in process memory under a byte budget (least recently used users leave first).
 * The database stays the source of truth: a copy is used only while its version equals the version the
 * query read from `index_stats`, so writes by another process (a second gateway on the same Postgres)
 * make it reload rather than answer stale. Writes by this process update the copy in place.
 */
export function createBm25Cache(opts: {
  maxBytes: number;
  load: (userId: string) => Promise<LoadedPostings>;
}): Bm25Cache {
  const users = new Map<string, UserPostings>();
  const loading = new Map<string, Promise<UserPostings | null>>();
  /** Users whose postings alone exceed the budget, at the version that was too big. */
  const tooBig = new Map<string, string>();
  let loads = 0;

  const bytes = () => [...users.values()].reduce((n, p) => n + p.bytes, 0);

  function admit(userId: string, postings: UserPostings): boolean {
    if (postings.bytes > opts.maxBytes) {
      tooBig.set(userId, postings.version);
      return false;
    }
    users.set(userId, postings);
    let total = bytes();
    for (const [other, p] of users) {
      if (total <= opts.maxBytes) break;
      if (other === userId) continue;
      users.delete(other);
      total -= p.bytes;
    }
    return true;
  }

  function load(userId: string): Promise<UserPostings | null> {
    let pending = loading.get(userId);
    if (!pending) {
      loads++;
      pending = opts
        .load(userId)
        .then(({ version, docs }) => {
          const postings = new UserPostings(version);
          postings.add(docs);
          return admit(userId, postings) ? postings : null;
        })
        .finally(() => loading.delete(userId));
      loading.set(userId, pending);
    }
    return pending;
  }

  return {
    async get(userId, version) {
      if (opts.maxBytes <= 0 || tooBig.get(userId) === version) return null;
      let postings = users.get(userId);
      // A failed load is not the search's failure: it falls back to SQL, which reports real trouble.
      if (postings?.version !== version)
        postings = (await load(userId).catch(() => null)) ?? undefined;
      if (postings?.version !== version) return null;
      // Most recently used last.
      users.delete(userId);
      users.set(userId, postings);
      return postings;
    },
    async warm(userIds, signal) {
      for (const userId of userIds) {
        if (signal?.aborted || opts.maxBytes <= 0 || bytes() >= opts.maxBytes * 0.8) return;
        if (!users.has(userId) && !(await load(userId))) return;
      }
    },
    applied(userId, { before, after, added, removed }) {
      tooBig.delete(userId);
      const postings = users.get(userId);
      if (!postings) return;
      if (before === null || after === null || postings.version !== before) {
        users.delete(userId);
        return;
      }
      if (removed) postings.remove(removed);
      if (added) postings.add(added);
      postings.version = after;
      // Tombstones cost memory and scan time: reload from the database once a quarter is dead.
      if (postings.dead > 1000 && postings.dead * 4 > postings.size + postings.dead) {
        users.delete(userId);
      } else if (!admit(userId, postings)) users.delete(userId);
    },
    get stats() {
      return { users: users.size, bytes: bytes(), loads };
    },
  };
}
