import { describe, expect, it } from 'vitest';

import { acceptModelTitle, AUTO_TITLE_LENGTH, titleFromQuestion } from '@rag/core/testing';

describe('titleFromQuestion', () => {
  it('keeps a short question, collapsing whitespace and dropping trailing punctuation', () => {
    expect(titleFromQuestion('  When   was\nIBM\tfounded?  ')).toBe('When was IBM founded');
    expect(titleFromQuestion('Docling là gì ?!…')).toBe('Docling là gì');
  });

  it('cuts a long question at a word boundary within the limit', () => {
    const q =
      'Làm thế nào để cấu hình chỉ mục pgvector HNSW cho một bảng có hàng triệu đoạn văn bản tiếng Việt?';
    const title = titleFromQuestion(q) as string;
    expect(Array.from(title).length).toBeLessThanOrEqual(AUTO_TITLE_LENGTH);
    expect(q.startsWith(title)).toBe(true);
    // The cut falls between words: what follows in the question is a space.
    expect(q[title.length]).toBe(' ');
    expect(title).toBe('Làm thế nào để cấu hình chỉ mục pgvector HNSW cho một bảng');
  });

  it('keeps a word that ends exactly at the limit', () => {
    const word = 'a'.repeat(AUTO_TITLE_LENGTH - 2);
    expect(titleFromQuestion(`${word} b c d`)).toBe(`${word} b`);
  });

  it('cuts one over-long word hard, counting code points (no split surrogate pairs)', () => {
    const emoji = '😀'.repeat(AUTO_TITLE_LENGTH + 10);
    expect(titleFromQuestion(emoji)).toBe('😀'.repeat(AUTO_TITLE_LENGTH));
    const url = `https://example.com/${'x'.repeat(100)}`;
    expect(titleFromQuestion(`see ${url}`)).toBe(`see ${url}`.slice(0, AUTO_TITLE_LENGTH));
  });

  it('gives no title when nothing readable is left', () => {
    expect(titleFromQuestion(' ?!. ')).toBeNull();
    expect(titleFromQuestion('')).toBeNull();
  });
});

describe('titleFromQuestion in the question language', () => {
  it('drops a courtesy opener and keeps the topic words', () => {
    expect(titleFromQuestion('Cho tôi hỏi docling là gì?')).toBe('Docling là gì');
    expect(titleFromQuestion('Xin chào, làm ơn cho tôi biết: pgvector hoạt động thế nào?')).toBe(
      'Pgvector hoạt động thế nào',
    );
    expect(titleFromQuestion('Could you please tell me how BM25 ranks documents?')).toBe(
      'How BM25 ranks documents',
    );
    // Only an opener: the question stays as it was asked.
    expect(titleFromQuestion('Cho tôi hỏi ')).toBe('Cho tôi hỏi');
  });
});

describe('acceptModelTitle', () => {
  it('keeps one clean line of a model reply', () => {
    expect(acceptModelTitle('"Cấu hình chỉ mục pgvector".\nExtra line')).toBe(
      'Cấu hình chỉ mục pgvector',
    );
    expect(acceptModelTitle('Title: BM25 ranking basics')).toBe('BM25 ranking basics');
    expect(acceptModelTitle('1. What else?')).toBe('What else');
  });

  it('refuses empty replies and bounds long ones', () => {
    expect(acceptModelTitle(null)).toBeNull();
    expect(acceptModelTitle('  \n "" ')).toBeNull();
    const long = acceptModelTitle('word '.repeat(40)) as string;
    expect(Array.from(long).length).toBeLessThanOrEqual(AUTO_TITLE_LENGTH);
  });
});
