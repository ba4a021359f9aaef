import { chunkTerms, type TermPositions } from '../../domain/search/rerank';
import type { PassageTerms } from '../../domain/search/tokenizer';

/**
 * The term positions of one user's chunks, by postings slot, in one growable integer arena: per chunk
 * its language, its distinct text terms (sorted ids) with the offsets of their positions, and its
 * heading's term counts. Built once when a chunk enters the postings, so the title and proximity
 * re-rank of a query reads only its own terms' positions (a binary search per term and chunk) instead
 * of tokenizing and walking every word of every candidate.
 *
 * Layout at a chunk's offset: english, d (distinct text terms), h (distinct heading terms), then
 * d term ids, d + 1 position offsets (relative to the positions' start), h heading ids, h counts,
 * and the positions.
 */
export class ChunkPositions {
  private readonly vocab = new Map<string, number>();
  private arena = new Int32Array(1024);
  private used = 0;
  private at = new Int32Array(256).fill(-1);

  get bytes(): number {
    return this.arena.byteLength + this.at.byteLength + this.vocab.size * 60;
  }

  private id(term: string): number {
    let id = this.vocab.get(term);
    if (id === undefined) this.vocab.set(term, (id = this.vocab.size));
    return id;
  }

  /** Tokenizes the chunk (text and heading, as the index did) and stores its positions at `slot`. */
  set(slot: number, content: string, section: string | null, body?: PassageTerms): void {
    const chunk = chunkTerms(content, section, body);
    const byTerm = new Map<number, number[]>();
    const put = (term: string, i: number) => {
      const id = this.id(term);
      const list = byTerm.get(id);
      if (list) list.push(i);
      else byTerm.set(id, [i]);
    };
    chunk.terms.forEach((term, i) => {
      put(term, i);
      const exact = chunk.accented[i];
      if (exact) put(exact, i);
    });
    const ids = [...byTerm.keys()].sort((a, b) => a - b);
    const title = [...chunk.title].map(([term, n]) => [this.id(term), n] as const);
    let positions = 0;
    for (const list of byTerm.values()) positions += list.length;
    const start = this.reserve(3 + ids.length * 2 + 1 + title.length * 2 + positions);
    const a = this.arena;
    a[start] = chunk.english ? 1 : 0;
    a[start + 1] = ids.length;
    a[start + 2] = title.length;
    const offsets = start + 3 + ids.length;
    const titles = offsets + ids.length + 1;
    const data = titles + title.length * 2;
    let p = 0;
    ids.forEach((id, k) => {
      a[start + 3 + k] = id;
      a[offsets + k] = p;
      for (const pos of byTerm.get(id) ?? []) a[data + p++] = pos;
    });
    a[offsets + ids.length] = p;
    title.forEach(([id, n], k) => {
      a[titles + k] = id;
      a[titles + title.length + k] = n;
    });
    if (slot >= this.at.length) {
      const at = new Int32Array(Math.max(slot + 1, this.at.length * 2)).fill(-1);
      at.set(this.at);
      this.at = at;
    }
    this.at[slot] = start;
  }

  /** Frees nothing (the arena is rebuilt with the postings), but the slot no longer answers. */
  clear(slot: number): void {
    if (slot < this.at.length) this.at[slot] = -1;
  }

  private reserve(n: number): number {
    if (this.used + n > this.arena.length) {
      const arena = new Int32Array(Math.max(this.used + n, this.arena.length * 2));
      arena.set(this.arena.subarray(0, this.used));
      this.arena = arena;
    }
    const start = this.used;
    this.used += n;
    return start;
  }

  /** The ids of a query's terms (−1 for a term no chunk holds), resolved once per query. */
  ids(terms: readonly { term: string }[]): Int32Array {
    return Int32Array.from(terms, ({ term }) => this.vocab.get(term) ?? -1);
  }

  /** The chunk at `slot` for the query terms of {@link ids}, or null when it was never stored. */
  of(slot: number, ids: Int32Array): TermPositions | null {
    const start = slot < this.at.length ? (this.at[slot] ?? -1) : -1;
    if (start < 0) return null;
    const a = this.arena;
    const d = a[start + 1] ?? 0;
    const h = a[start + 2] ?? 0;
    const offsets = start + 3 + d;
    const titles = offsets + d + 1;
    const data = titles + h * 2;
    // Each query term's index among the chunk's terms (−1: absent), looked up once.
    const found = new Int32Array(ids.length);
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i] ?? -1;
      found[i] = id < 0 ? -1 : search(a, start + 3, d, id);
    }
    return {
      english: a[start] === 1,
      count(i) {
        const k = found[i] ?? -1;
        return k < 0 ? 0 : (a[offsets + k + 1] ?? 0) - (a[offsets + k] ?? 0);
      },
      positions(i) {
        const k = found[i] ?? -1;
        if (k < 0) return EMPTY;
        return a.subarray(data + (a[offsets + k] ?? 0), data + (a[offsets + k + 1] ?? 0));
      },
      titleCount(i) {
        const id = ids[i] ?? -1;
        for (let k = 0; k < h && id >= 0; k++)
          if (a[titles + k] === id) return a[titles + h + k] ?? 0;
        return 0;
      },
    };
  }
}

const EMPTY = new Int32Array(0);

/** Index (0 … n − 1) of `id` among the n sorted ids from `from`, or −1. */
function search(a: Int32Array, from: number, n: number, id: number): number {
  let lo = 0;
  let hi = n - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = a[from + mid] ?? 0;
    if (v === id) return mid;
    if (v < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
