import {
  components,
  create,
  insertMultiple,
  save,
  search,
  type AnyOrama,
  type Tokenizer,
} from '@orama/orama';
import { stopwords as englishStopwords } from '@orama/stopwords/english';

import type { PeerEngine, PeerFamily, SetLanguage } from './engine';
import { recordText } from './engine';

const STEMMING_DOC = 'https://docs.orama.com/open-source/text-analysis/stemming';
const STOPWORDS_DOC = 'https://docs.orama.com/open-source/text-analysis/stopwords';
const LANGUAGES_DOC = 'https://docs.orama.com/open-source/supported-languages';
const HYBRID_DOC = 'https://docs.orama.com/open-source/usage/search/hybrid-search';
const BATCH = 500;

/**
 * Vietnamese is not among Orama's languages (LANGUAGES_DOC) and its English splitter,
 * `/[^A-Za-zàèéìòóù0-9_'-]+/`, cuts Vietnamese words at every other letter (ế, ạ, đ...). Orama accepts a
 * custom tokenizer object; this one splits on anything that is not a Unicode letter or digit, lower-cases
 * and NFC-normalises, keeps diacritics (they tell Vietnamese words apart), and like Orama's own drops
 * duplicate tokens.
 */
export function unicodeTokenizer(allowDuplicates = false): Tokenizer {
  return {
    language: 'vietnamese',
    normalizationCache: new Map(),
    tokenize: (raw) => {
      const tokens =
        raw
          .normalize('NFC')
          .toLowerCase()
          .match(/[\p{L}\p{N}]+/gu) ?? [];
      return allowDuplicates ? tokens : [...new Set(tokens)];
    },
  };
}

/** Orama's docs configuration for a language: Porter stemming and its English stop words, or the above. */
export function docsTokenizer(language: SetLanguage, allowDuplicates = false): Tokenizer {
  return language === 'english'
    ? components.tokenizer.createTokenizer({
        language: 'english',
        stemming: true,
        stopWords: englishStopwords,
        allowDuplicates,
      })
    : unicodeTokenizer(allowDuplicates);
}

/**
 * WORKAROUND, not a documented setting: Orama's full-text search expands every query token as a prefix
 * (radix-tree `find` without `exact`), so "cell" also scores "cellular", "cells", "cellulose"... and a
 * SciFact claim of 11 words touches over a thousand indexed words. `exact: true` is no way out: it also
 * keeps only documents containing every query word case-sensitively (search-fulltext.js). Ending every
 * token with a mark no word contains makes a prefix match a whole-term match.
 */
export function wholeTermTokenizer(inner: Tokenizer): Tokenizer {
  return {
    language: inner.language,
    normalizationCache: inner.normalizationCache,
    tokenize: (raw, language, prop, withCache) =>
      inner.tokenize(raw, language, prop, withCache).map((t) => `${t}\u0003`),
  };
}

type Variant = 'docs' | 'whole-term';

/**
 * Orama 3.1.18 over the record text and OUR vector of each record. Full-text: BM25 with its defaults,
 * `threshold` left at 1 (every document matching any word). Hybrid: the same query vector, `similarity: 0`
 * (the default 0.8 cuts nearly every hashing-vector candidate) and the balance ours fuses with.
 */
export function oramaFamily(
  variant: Variant,
  vectorWeight: number,
  /** Diagnosis only: keep repeated tokens, so BM25 sees term frequencies (Orama's default drops them). */
  allowDuplicates = false,
): PeerFamily {
  const prefix = `${variant === 'docs' ? 'orama' : 'orama-wholeterm'}${allowDuplicates ? '-tf' : ''}`;
  return {
    name: prefix,
    appliesTo: () => true,
    async build(input) {
      const base = docsTokenizer(input.language, allowDuplicates);
      const tokenizer = variant === 'docs' ? base : wholeTermTokenizer(base);
      const db: AnyOrama = create({
        schema: { text: 'string', embedding: `vector[${input.dimensions}]` } as const,
        components: { tokenizer },
      });
      for (let i = 0; i < input.records.length; i += BATCH) {
        const docs = input.records
          .slice(i, i + BATCH)
          .map((r, j) => ({ id: r.id, text: recordText(r), embedding: input.vectors[i + j]! }));
        await insertMultiple(db, docs, BATCH);
      }
      const analysis =
        input.language === 'english'
          ? {
              stemming: 'english (Porter)',
              stopWords: '@orama/stopwords/english',
              docs: [STEMMING_DOC, STOPWORDS_DOC],
            }
          : { tokenizer: 'Unicode letters/digits (custom)', docs: [LANGUAGES_DOC] };
      const common = {
        library: '@orama/orama 3.1.18',
        ...analysis,
        ...(variant === 'whole-term'
          ? { workaround: 'whole-term tokens (no prefix expansion)' }
          : {}),
      };
      const weights = { text: 1 - vectorWeight, vector: vectorWeight };
      const ids = (hits: { id: string }[]) => hits.map((h) => String(h.id));
      const engines: PeerEngine[] = [
        {
          name: `${prefix}-bm25`,
          kind: 'keyword',
          settings: { ...common, mode: 'fulltext' },
          async search(query, k) {
            return ids((await search(db, { term: query.text, mode: 'fulltext', limit: k })).hits);
          },
        },
        {
          name: `${prefix}-hybrid`,
          kind: 'hybrid',
          settings: {
            ...common,
            mode: 'hybrid',
            hybridWeights: weights,
            similarity: 0,
            hybridDoc: HYBRID_DOC,
          },
          async search(query, k) {
            const res = await search(db, {
              term: query.text,
              mode: 'hybrid',
              vector: { value: query.vector, property: 'embedding' },
              similarity: 0,
              hybridWeights: weights,
              limit: k,
            });
            return ids(res.hits);
          },
        },
      ];
      return {
        engines,
        // In memory only: the size of its serialised form (what `save` returns, as JSON).
        diskBytes: () => Promise.resolve(Buffer.byteLength(JSON.stringify(save(db)))),
        close: () => Promise.resolve(),
      };
    },
  };
}
