import type { PassageTerms } from '../../domain/search/tokenizer';

/**
 * {@link PassageTerms} as two strings (words never hold a space) for the ingest worker's result
 * message: structured-cloning two strings costs far less than two arrays of a few hundred short
 * strings each.
 */
export type PackedPassage = { english: boolean; n: number; terms: string; accented: string };

export function packPassage(p: PassageTerms): PackedPassage {
  return {
    english: p.english,
    n: p.terms.length,
    terms: p.terms.join(' '),
    accented: p.accented.some((a) => a !== null) ? p.accented.map((a) => a ?? '').join(' ') : '',
  };
}

export function unpackPassage(p: PackedPassage): PassageTerms {
  if (p.n === 0) return { english: p.english, terms: [], accented: [] };
  return {
    english: p.english,
    terms: p.terms.split(' '),
    accented:
      p.accented === ''
        ? new Array<null>(p.n).fill(null)
        : p.accented.split(' ').map((a) => a || null),
  };
}
