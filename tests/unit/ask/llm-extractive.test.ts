import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { createExtractiveLlm, type Language, type LlmSource } from '@rag/core/testing';

import { textPieces } from '../../../packages/core/src/adapters/llm/extractive-llm';
import { carryKeyTerms, needsRewrite } from '../../../packages/core/src/adapters/llm/follow-up';
import { splitSentences } from '../../../packages/core/src/adapters/llm/text';

const CORPUS = join(import.meta.dirname, '../../../../shared/corpus');

/** The paragraphs of a real corpus document as sources, in the order given by `rank`. */
function sourcesFrom(
  file: string,
  rank: (content: string) => number,
  page: number | null = null,
): LlmSource[] {
  const text = readFileSync(join(CORPUS, file), 'utf8');
  let section: string | null = null;
  const paragraphs: LlmSource[] = [];
  for (const block of text.split(/\n{2,}/)) {
    const heading = /^#+\s+(.*)$/m.exec(block);
    if (heading?.[1]) section = heading[1];
    if (block.trim()) {
      paragraphs.push({
        filename: file.split('/').pop() as string,
        page,
        pageLabel: null,
        section,
        content: block,
        score: 0,
      });
    }
  }
  return paragraphs
    .map((p) => ({ ...p, score: rank(p.content) }))
    .sort((a, b) => b.score - a.score)
    .slice(0, 6);
}

const llm = createExtractiveLlm();

async function answer(
  question: string,
  sources: LlmSource[],
  language: Language,
  signal?: AbortSignal,
) {
  const pieces: string[] = [];
  for await (const p of llm.streamAnswer({
    question,
    query: question,
    sources,
    history: [],
    language,
    signal,
  }))
    pieces.push(p);
  return { text: pieces.join(''), pieces };
}

const mentions =
  (...words: string[]) =>
  (c: string) =>
    words.filter((w) => c.includes(w)).length;

describe('extractive answerer', () => {
  it('answers English factoid questions with the document sentence and a file citation', async () => {
    const ibm = sourcesFrom('md/docling-wiki.md', mentions('IBM', 'founded', 'Armonk', 'DOS'));
    const founded = await answer('When was IBM founded?', ibm, 'en');
    expect(founded.text).toContain('1911');
    expect(founded.text).toContain('(file docling-wiki.md)');
    expect(founded.text.startsWith('According to the documents:')).toBe(true);

    const hq = await answer('Where is IBM headquartered?', ibm, 'en');
    expect(hq.text).toContain('Armonk, New York');
    const dos = await answer(
      'Who provided the DOS software for the IBM Personal Computer?',
      ibm,
      'en',
    );
    expect(dos.text).toContain('Microsoft');
  });

  it('answers Vietnamese factoid questions in Vietnamese', async () => {
    const vars = sourcesFrom(
      'md/javascript-info-variables.md',
      mentions('biến', 'let', 'vùng nhớ'),
    );
    const keyword = await answer('Để tạo biến trong JavaScript, sử dụng từ khóa nào?', vars, 'vi');
    expect(keyword.text).toContain('từ khóa `let`');
    expect(keyword.text.startsWith('Theo tài liệu:')).toBe(true);
    expect(keyword.text).toContain('(file javascript-info-variables.md)');

    // Typed without diacritics, still matched.
    const what = await answer('bien la gi', vars, 'vi');
    expect(what.text).toContain('vùng nhớ được đặt tên');
  });

  it('keeps answers readable: no Markdown link targets or footnote markers', async () => {
    const vars = sourcesFrom('md/javascript-info-variables.md', mentions('vùng nhớ được đặt tên'));
    const { text } = await answer('Biến là gì?', vars, 'vi');
    expect(text).toContain('Một biến (variable) là một "vùng nhớ được đặt tên" chứa dữ liệu.');
    expect(text).not.toContain('https://');
    const ibm = sourcesFrom('md/docling-wiki.md', mentions('DOS'));
    expect((await answer('Who provided the DOS software?', ibm, 'en')).text).not.toMatch(/\[\d+\]/);
  });

  it('cites the page of paged documents, in the language of the question', async () => {
    const pdfLike = sourcesFrom('md/docling-wiki.md', mentions('founded'), 3);
    expect((await answer('When was IBM founded?', pdfLike, 'en')).text).toContain(
      '(page 3, docling-wiki.md)',
    );
    expect((await answer('IBM founded in which year?', pdfLike, 'ru')).text).toContain(
      '(стр. 3, docling-wiki.md)',
    );
    expect((await answer('IBM được thành lập (founded) năm nào?', pdfLike, 'vi')).text).toContain(
      '(trang 3, docling-wiki.md)',
    );
  });

  it('says so when the documents do not hold the answer', async () => {
    const ibm = sourcesFrom('md/docling-wiki.md', mentions('IBM'));
    // Not found, and where the closest passages are.
    expect((await answer('What is the boiling point of mercury?', ibm, 'en')).text).toBe(
      'The selected documents do not contain information that answers this question. ' +
        'Closest sources: (file docling-wiki.md)',
    );
    expect((await answer('Thủ đô của nước Pháp là gì?', [], 'vi')).text).toBe(
      'Tài liệu đã chọn không chứa thông tin để trả lời câu hỏi này.',
    );
  });

  it('streams in several pieces and stops when the signal fires', async () => {
    const ibm = sourcesFrom('md/docling-wiki.md', mentions('founded'));
    const full = await answer('When was IBM founded?', ibm, 'en');
    expect(full.pieces.length).toBeGreaterThan(3);
    const abort = new AbortController();
    const partial: string[] = [];
    for await (const p of llm.streamAnswer({
      question: 'When was IBM founded?',
      query: 'When was IBM founded?',
      sources: ibm,
      history: [],
      language: 'en',
      signal: abort.signal,
    })) {
      partial.push(p);
      if (partial.length === 2) abort.abort();
    }
    expect(partial).toHaveLength(2);
  });

  it('builds related questions and suggestions from headings and key phrases, in the asked language', async () => {
    const vars = sourcesFrom('md/javascript-info-variables.md', mentions('biến'));
    const vi = await llm.relatedQuestions({
      question: 'Biến là gì?',
      answer: '',
      sources: vars,
      language: 'vi',
      count: 3,
    });
    expect(vi).toHaveLength(3);
    for (const q of vi) expect(q).toMatch(/\?$/);
    expect(vi.some((q) => q.startsWith('Phần "'))).toBe(true);
    const ibm = sourcesFrom('md/docling-wiki.md', mentions('IBM'));
    const en = await llm.suggestQuestions({ history: [], sources: ibm, language: 'en', count: 4 });
    expect(en.length).toBeGreaterThan(0);
    for (const q of en) expect(q).toMatch(/^(What|Can you)/);
  });
});

describe('follow-up rewriting without a model', () => {
  const history = [
    { role: 'user' as const, content: 'When was IBM founded?' },
    { role: 'assistant' as const, content: 'IBM was founded in 1911.' },
  ];

  it("carries the previous question's key terms into a question that refers back", async () => {
    expect(needsRewrite('Where is it headquartered?', history)).toBe(true);
    const rewritten = await llm.rewriteQuery({
      question: 'Where is it headquartered?',
      history,
      language: 'en',
    });
    expect(rewritten).toEqual({
      query: 'Where is it headquartered? IBM founded',
      question: 'Where is it headquartered?',
    });
    expect(
      carryKeyTerms('Còn nó thì sao?', [{ role: 'user', content: 'Thủ đô của Việt Nam là gì?' }]),
      // The previous question's names come first, then its other topic words.
    ).toBe('Còn nó thì sao? Việt Nam thủ đô');
  });

  it('reads "and what" as a reference back only when it opens the question', () => {
    expect(needsRewrite('And what about 408?', history)).toBe(true);
    expect(
      needsRewrite(
        'When was Margaret Park hired, and what is the data type of the password column?',
        history,
      ),
    ).toBe(false);
  });

  it('leaves standalone questions and first questions alone', async () => {
    const standalone = 'Which company provided the DOS operating system software?';
    expect(await llm.rewriteQuery({ question: standalone, history, language: 'en' })).toEqual({
      query: standalone,
      question: standalone,
    });
    expect(
      await llm.rewriteQuery({ question: 'Where is it?', history: [], language: 'en' }),
    ).toEqual({ query: 'Where is it?', question: 'Where is it?' });
  });
});

describe('text helpers', () => {
  it('re-joins wrapped lines and splits sentences, lists and headings', () => {
    expect(
      splitSentences(
        '# Title\n\nThe quick brown\nfox jumps. Then it rests!\n- item one\n- item two',
      ),
    ).toEqual(['Title', 'The quick brown fox jumps.', 'Then it rests!', 'item one', 'item two']);
  });

  it('streams text in word groups that rebuild it exactly', () => {
    const text = 'Theo tài liệu: một hai ba bốn năm sáu bảy (file a.md)';
    expect([...textPieces(text)].join('')).toBe(text);
  });
});
