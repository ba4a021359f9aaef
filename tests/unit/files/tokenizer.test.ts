import { describe, expect, it } from 'vitest';

import { bm25Idf, documentTerms, foldDiacritics, queryTerms, words } from '@rag/core/testing';

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
    expect([...queryTerms('the chap').keys()]).toEqual(['chap']); // "the" is an English stopword
    expect([...queryTerms('hop dong').keys()]).toEqual(['hop', 'dong']);
    const doc = documentTerms('mà má mã');
    expect(doc.tf.get('ma')).toBe(3);
    expect(doc.tf.get('mà')).toBe(1);
  });

  it('stems English and drops English stopwords, keeping Vietnamese syllables that collide with them', () => {
    expect([...queryTerms('the indexing of databases').keys()]).toEqual(['index', 'databas']);
    expect([...queryTerms('an toan to chuc').keys()]).toEqual(['an', 'toan', 'to', 'chuc']);
  });

  it('splits CJK ideographs into single characters', () => {
    expect(words('数理ファイナンス')).toEqual(['数', '理', 'フ', 'ァ', 'イ', 'ナ', 'ン', 'ス']);
  });

  it('uses a positive idf even for terms in most documents', () => {
    expect(bm25Idf(10, 9)).toBeGreaterThan(0);
    expect(bm25Idf(10, 1)).toBeGreaterThan(bm25Idf(10, 5));
  });
});
