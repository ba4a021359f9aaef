import { stat } from 'node:fs/promises';
import { join } from 'node:path';

import Database from 'better-sqlite3';

import type { PeerFamily, SetLanguage } from './engine';
import { recordText } from './engine';

const FTS5_DOC = 'https://www.sqlite.org/fts5.html';

/**
 * A free-text query as an FTS5 MATCH expression: every word quoted (so `AND`, `NOT`, `-`, `:` and
 * brackets are words, not syntax) and joined with OR. FTS5's implicit operator is AND, which would drop
 * every document missing one word of a long SciFact claim; OR with bm25() ordering is how a ranked
 * keyword search is written (fts5.html#full_text_query_syntax).
 */
export function fts5MatchExpression(query: string): string | null {
  const words = query.normalize('NFC').match(/[\p{L}\p{N}]+/gu) ?? [];
  const unique = [...new Set(words.map((w) => w.toLowerCase()))];
  return unique.length ? unique.map((w) => `"${w}"`).join(' OR ') : null;
}

type Variant = { name: string; tokenize: string; why: string; languages: SetLanguage[] };

const VARIANTS = {
  unicode61: {
    name: 'fts5-unicode61',
    tokenize: 'unicode61 remove_diacritics 2',
    why:
      'unicode61 splits on Unicode separators and folds case (fts5.html#unicode61_tokenizer); remove_diacritics 2 ' +
      'removes diacritics from every Latin letter, 1 (the default) misses letters that carry two ' +
      'marks, which Vietnamese has (ấ, ộ, ữ)',
    languages: ['english', 'vietnamese'],
  },
  porter: {
    name: 'fts5-porter',
    tokenize: 'porter unicode61 remove_diacritics 2',
    why:
      'the porter tokenizer wraps unicode61 and stems English words (fts5.html#porter_tokenizer); run on the ' +
      'English sets only, since Porter rules mangle Vietnamese syllables',
    languages: ['english'],
  },
  keepDiacritics: {
    name: 'fts5-unicode61-diacritics',
    tokenize: 'unicode61 remove_diacritics 0',
    why: 'diagnosis only (bench/peers/diagnose.ts): does folding tone marks cost FTS5 on Vietnamese?',
    languages: ['english', 'vietnamese'],
  },
} satisfies Record<string, Variant>;

/**
 * SQLite FTS5 (through better-sqlite3) over an on-disk database, ranked by the built-in bm25()
 * (fts5.html#the_bm25_function: k1 = 1.2, b = 0.75, fixed), best first with `ORDER BY bm25(docs)`.
 */
export function fts5Family(variant: keyof typeof VARIANTS): PeerFamily {
  const v: Variant = VARIANTS[variant];
  return {
    name: v.name,
    appliesTo: (language) => v.languages.includes(language),
    build(input) {
      const file = join(input.dir, `${v.name}.sqlite`);
      const db = new Database(file);
      db.exec(
        `CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, body, tokenize = '${v.tokenize}')`,
      );
      const insert = db.prepare('INSERT INTO docs (id, body) VALUES (?, ?)');
      db.transaction(() => {
        for (const r of input.records) insert.run(r.id, recordText(r));
      })();
      // Merges the b-tree segments the inserts left, fts5.html#the_optimize_command.
      db.exec(`INSERT INTO docs(docs) VALUES('optimize')`);
      const select = db.prepare<[string, number], { id: string }>(
        'SELECT id FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT ?',
      );
      return Promise.resolve({
        engines: [
          {
            name: v.name,
            kind: 'keyword',
            settings: {
              library: 'better-sqlite3 12.11.1',
              sqlite: db.prepare<[], { v: string }>('SELECT sqlite_version() AS v').get()?.v,
              tokenize: v.tokenize,
              why: v.why,
              ranking: 'bm25() (k1 1.2, b 0.75), query words OR-ed',
              doc: FTS5_DOC,
            },
            search(query, k) {
              const match = fts5MatchExpression(query.text);
              if (!match) return Promise.resolve([]);
              return Promise.resolve(select.all(match, k).map((row) => row.id));
            },
          },
        ],
        async diskBytes() {
          return (await stat(file)).size;
        },
        close() {
          db.close();
          return Promise.resolve();
        },
      });
    },
  };
}
