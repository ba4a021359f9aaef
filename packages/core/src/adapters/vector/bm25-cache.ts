import { UserPostings } from './bm25-postings';
import type { PostingDoc, VectorOptions } from './posting-lists';

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
  /**
   * The user's postings at exactly `version`, or null: the caller searches in SQL while the copy loads
   * in the background (a search never waits for a load of seconds).
   */
  get(userId: string, version: string): UserPostings | null;
  /**
   * The user's postings if they are current: on an exclusive database (the embedded one, which only
   * this process writes, every write reaching {@link applied}) the cached copy itself, without reading
   * the version; otherwise the copy at the version `readVersion` gives (one indexed read).
   */
  lookup(userId: string, readVersion: () => Promise<string | null>): Promise<UserPostings | null>;
  /**
   * Like `lookup`, but a user whose copy is not held waits for it to load (null only when the user is
   * too big for the cache or the cache is off): searches whose options need the texts in memory.
   */
  ensure(userId: string, readVersion: () => Promise<string | null>): Promise<UserPostings | null>;
  /**
   * Loads these users' postings one by one (after a restart), stopping once the cache is mostly full
   * or `signal` aborts.
   */
  warm(userIds: string[], signal?: AbortSignal): Promise<void>;
  /** After a committed write: moves the cached copy from `before` to `after`, or drops it. */
  applied(userId: string, change: PostingsChange): void;
  /** Waits for the loads in flight (before closing the database). */
  settle(): Promise<void>;
  readonly stats: { users: number; bytes: number; loads: number; hits: number; misses: number };
};

/** Versions come from one global sequence and, per user, in commit order (writes hold the user's lock). */
const newer = (a: string, b: string) => BigInt(a) > BigInt(b);

/**
 * Per-user postings kept in process memory under a byte budget (least recently used users leave first).
 * The database stays the source of truth: a copy is used only while its version equals the version the
 * query read from `index_stats`, so writes by another process (a second gateway on the same Postgres)
 * make it reload rather than answer stale. Writes by this process update the copy in place, including
 * writes committed while the copy was loading.
 */
export function createBm25Cache(opts: {
  maxBytes: number;
  load: (userId: string) => Promise<LoadedPostings>;
  /** Embeddings kept with the postings (users up to `maxChunks` chunks), within the same budget. */
  vectors?: VectorOptions;
  /** Only this process writes the database: copies are moved by every write and need no version read. */
  exclusive?: boolean;
}): Bm25Cache {
  const users = new Map<string, UserPostings>();
  const loading = new Map<string, Promise<UserPostings | null>>();
  /** Local writes committed while the user's copy was loading, applied once it arrives. */
  const queued = new Map<string, PostingsChange[]>();
  /** Users whose postings alone exceed the budget, at the version that was too big. */
  const tooBig = new Map<string, string>();
  let loads = 0;
  let hits = 0;
  let misses = 0;

  const bytes = () => [...users.values()].reduce((n, p) => n + p.bytes, 0);

  function admit(userId: string, postings: UserPostings): boolean {
    // Vectors are the larger part: without them the postings may still fit.
    if (postings.bytes > opts.maxBytes) postings.dropVectors();
    if (postings.bytes > opts.maxBytes) {
      tooBig.set(userId, postings.version);
      users.delete(userId);
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

  /** Moves a copy along one change; false when the change does not start from the copy's version. */
  function advance(postings: UserPostings, { before, after, added, removed }: PostingsChange) {
    if (before === null || after === null || postings.version !== before) return false;
    if (removed) postings.remove(removed);
    if (added) postings.add(added);
    postings.version = after;
    return true;
  }

  /** Keeps a moved copy unless too many tombstones make a fresh load worth it (a quarter dead). */
  function keep(userId: string, postings: UserPostings) {
    if (postings.dead > 1000 && postings.dead * 4 > postings.size + postings.dead) {
      users.delete(userId);
    } else admit(userId, postings);
  }

  function load(userId: string): Promise<UserPostings | null> {
    let pending = loading.get(userId);
    if (!pending) {
      loads++;
      queued.set(userId, []);
      pending = opts
        .load(userId)
        .then(({ version, docs }) => {
          const postings = new UserPostings(version, opts.vectors);
          postings.add(docs);
          for (const change of queued.get(userId) ?? []) {
            // Writes the snapshot already holds are skipped; a gap means another process wrote too.
            if (change.after !== null && !newer(change.after, postings.version)) continue;
            if (!advance(postings, change)) return null;
          }
          return admit(userId, postings) ? postings : null;
        })
        .catch(() => null)
        .finally(() => {
          loading.delete(userId);
          queued.delete(userId);
        });
      loading.set(userId, pending);
    }
    return pending;
  }

  function current(userId: string): UserPostings | null {
    if (opts.maxBytes <= 0) return null;
    const postings = users.get(userId);
    if (!postings) {
      misses++;
      if (!tooBig.has(userId)) void load(userId);
      return null;
    }
    hits++;
    users.delete(userId);
    users.set(userId, postings);
    return postings;
  }

  const cache: Bm25Cache = {
    async lookup(userId, readVersion) {
      if (opts.exclusive) return current(userId);
      const version = await readVersion();
      return version === null ? null : cache.get(userId, version);
    },
    async ensure(userId, readVersion) {
      const held = await cache.lookup(userId, readVersion);
      if (held || opts.maxBytes <= 0 || tooBig.has(userId)) return held;
      await load(userId);
      return cache.lookup(userId, readVersion);
    },
    get(userId, version) {
      if (opts.maxBytes <= 0 || tooBig.get(userId) === version) return null;
      const postings = users.get(userId);
      if (postings?.version !== version) {
        misses++;
        void load(userId);
        return null;
      }
      hits++;
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
    applied(userId, change) {
      tooBig.delete(userId);
      queued.get(userId)?.push(change);
      const postings = users.get(userId);
      if (!postings) return;
      if (advance(postings, change)) keep(userId, postings);
      else users.delete(userId);
    },
    async settle() {
      await Promise.all(loading.values());
    },
    get stats() {
      return { users: users.size, bytes: bytes(), loads, hits, misses };
    },
  };
  return cache;
}
