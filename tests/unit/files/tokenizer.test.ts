import { describe, expect, it } from 'vitest';

import {
  bm25Idf,
  documentTerms,
  foldDiacritics,
  looksVietnamese,
  queryTerms,
  words,
} from '@rag/core/testing';

describe('tokenizer', () => {
  it('normalises to NFC and lower case, splitting on anything but letters, marks and digits', () => {
    const decomposed = 'Tie\u0302\u0301ng Vie\u0323\u0302t'; // NFD input
    expect(words(`${decomposed}: HTTP/1.1, B-tree!`)).toEqual([
      'tiếng',
      'việt',
      'http',
      '1',
      '1',
      'b',
      'tree',
    ]);
  });

  it('folds Vietnamese diacritics including đ', () => {
    expect(foldDiacritics('Đường đến trường Hà Nội')).toBe('Duong den truong Ha Noi');
  });

  it('indexes folded terms for every word and exact accented forms too', () => {
    const { tf, length } = documentTerms('Hợp đồng thế chấp, hợp đồng mua bán');
    expect(length).toBe(8);
    expect(tf.get('hop')).toBe(2);
    expect(tf.get('hợp')).toBe(2);
    expect(tf.get('chap')).toBe(1);
    expect(tf.get('chấp')).toBe(1);
  });

  it('queries with diacritics match exactly, without diacritics match every accented spelling', () => {
    expect([...queryTerms('thế chấp').keys()]).toEqual(['thế', 'chấp']);
    // "the" is an English stopword; unaccented words also search their English stem.
    expect([...queryTerms('the chap').keys()]).toEqual(['chap', '~chap']);
    expect([...queryTerms('hop dong').keys()].filter((t) => !t.startsWith('~'))).toEqual([
      'hop',
      'dong',
    ]);
    const doc = documentTerms('mà má mã');
    expect(doc.tf.get('ma')).toBe(3);
    expect(doc.tf.get('mà')).toBe(1);
  });

  it('stems English passages into their own namespace and drops English stopwords', () => {
    const { tf } = documentTerms('The indexing of databases: cats and their kittens');
    expect([...tf.keys()]).toEqual(['~index', '~databas', '~cat', '~kitten']);
    // A plural and its singular meet at one stem.
    expect(documentTerms('proteins').tf.get('~protein')).toBe(1);
    expect(documentTerms('protein').tf.get('~protein')).toBe(1);
    // A query word typed without diacritics searches its Vietnamese (folded) and English (stem) terms.
    expect([...queryTerms('the indexing of databases').keys()]).toEqual([
      'indexing',
      '~index',
      'databases',
      '~databas',
    ]);
    expect([...queryTerms('an toan to chuc').keys()]).toEqual([
      'an',
      '~an',
      'toan',
      '~toan',
      'to',
      '~to',
      'chuc',
      '~chuc',
    ]);
  });

  it('never stems a Vietnamese word, with or without diacritics', () => {
    // Porter would turn "may" (máy, machine) into "mai" (tomorrow), "ly" into "li", "tuy" into "tui".
    for (const text of [
      'Máy tính để bàn, ly nước, tuy vậy ngày mai',
      'may tinh de ban ly nuoc tuy vay ngay mai',
    ]) {
      const { tf } = documentTerms(text);
      expect(tf.get('may')).toBe(1);
      expect(tf.get('ly')).toBe(1);
      expect(tf.get('tuy')).toBe(1);
      expect(tf.get('mai')).toBe(1);
      expect([...tf.keys()].some((t) => t.startsWith('~'))).toBe(false);
    }
    // An English passage's "may" is only ever its namespaced stem: it cannot meet Vietnamese "mai".
    expect(documentTerms('Results may vary between days').tf.has('mai')).toBe(false);
    expect(queryTerms('máy').has('~mai')).toBe(false);
  });

  it('tells Vietnamese passages from English ones, with or without diacritics', () => {
    expect(looksVietnamese(words('Hợp đồng thế chấp phải được công chứng'))).toBe(true);
    expect(looksVietnamese(words('hop dong the chap phai duoc cong chung'))).toBe(true);
    expect(looksVietnamese(words('The results show that proteins bind to the cell wall'))).toBe(
      false,
    );
    expect(looksVietnamese(words('José Müller wrote this paper about indexing'))).toBe(false);
  });

  it('splits CJK ideographs into single characters', () => {
    expect(words('数理ファイナンス')).toEqual(['数', '理', 'フ', 'ァ', 'イ', 'ナ', 'ン', 'ス']);
  });

  it('uses a positive idf even for terms in most documents', () => {
    expect(bm25Idf(10, 9)).toBeGreaterThan(0);
    expect(bm25Idf(10, 1)).toBeGreaterThan(bm25Idf(10, 5));
  });
});
