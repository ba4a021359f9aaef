import { describe, expect, it } from 'vitest';

import {
  anchorGroups,
  anchorTerms,
  asksDefinition,
  findSpan,
  isKindWord,
  isStopWord,
  namesAnchor,
  sameStem,
  subQuestions,
  tokens,
} from '../../../packages/core/src/domain/answering';

describe('answering: anchors, stems and tokens', () => {
  it('finds the language-neutral words of a question, grouped into names', () => {
    expect(anchorTerms('IBM có trụ sở chính ở đâu?', 'vi')).toEqual(['ibm']);
    expect(anchorTerms('Khuyến nghị (recommendation) đối với Kreate là gì?', 'vi')).toEqual([
      'recommendation',
      'kreate',
    ]);
    expect(
      anchorTerms('Which provincial court issued appellate civil judgment 16/2019/DS-PT?', 'en'),
    ).toEqual(['16/2019/ds-pt']);
    expect(anchorGroups('Giá vé máy bay từ Hà Nội đi Paris là bao nhiêu?', 'vi')).toEqual([
      ['ha', 'noi'],
      ['paris'],
    ]);
    // Long Latin words are only foreign inside a Vietnamese question.
    expect(anchorTerms('Qual função converte um arquivo .docx existente em HTML?', 'pt')).toEqual([
      'html',
    ]);
  });

  it('matches plurals, inflections and cognates, not words that merely share a beginning', () => {
    expect(sameStem('grains', 'grain')).toBe(true);
    expect(sameStem('problema', 'problem')).toBe(true);
    expect(sameStem('converte', 'convert')).toBe(true);
    expect(sameStem('hired', 'hiredate')).toBe(true);
    expect(sameStem('install', 'instance')).toBe(false);
    expect(sameStem('2018', '2019')).toBe(false);
    // A footnote number glued to an identifier in a PDF still names it.
    expect(namesAnchor('43/2021/al', '43/2021/al1')).toBe(true);
    expect(namesAnchor('404', '4040')).toBe(true);
    expect(namesAnchor('404', '404123')).toBe(false);
  });

  it('splits identifiers into their words and SQL quotes off names', () => {
    const terms = tokens('mammoth.convertToHtml(input)').map((t) => t.term);
    expect(terms).toEqual(expect.arrayContaining(['mammoth.converttohtml', 'convert', 'html']));
    expect(tokens("(7, N'King', N'Robert')").map((t) => t.term)).toEqual([
      '7',
      'n',
      'king',
      'n',
      'robert',
    ]);
    expect(isStopWord('1')).toBe(false); // "Bước 1"
    expect(isStopWord('point')).toBe(false); // a topic, not a function word
    expect(isStopWord('which')).toBe(true);
  });
});

describe('answering: what the question asks for', () => {
  it('finds the span of the asked kind, whole, outside the words of the question', () => {
    const asked = new Set(['bộ', 'luật', 'hiệu', 'lực']);
    expect(
      findSpan('date', 'Bộ luật này có hiệu lực thi hành từ ngày 01 tháng 01 năm 2017.', asked),
    ).toBe('ngày 01 tháng 01 năm 2017');
    expect(findSpan('date', 'Due Date: Jun 3, 2013', new Set(['due', 'date']))).toBe('Jun 3, 2013');
    // A year inside an identifier is no date.
    expect(findSpan('date', 'Bộ luật dân sự số 33/2005/QH11 hết hiệu lực', new Set())).toBeNull();
    expect(findSpan('email', 'Satoshi Nakamoto satoshin@gmx.com www.bitcoin.org', new Set())).toBe(
      'satoshin@gmx.com',
    );
    const count = new Set(['how', 'many', 'research', 'facilities', 'does', 'ibm', 'have']);
    expect(findSpan('count', 'IBM has 19 research facilities worldwide.', count)).toBe(
      '19 research facilities',
    );
    // A section number opening a heading is no answer.
    expect(findSpan('id', '10.4.5 404 Not Found', new Set(['404']))).toBeNull();
  });

  it('knows the words that name the kind of answer, and definition questions', () => {
    expect(isKindWord('date', 'year')).toBe(true);
    expect(isKindWord('email', 'address')).toBe(true);
    expect(isKindWord('id', 'phien')).toBe(true);
    expect(isKindWord('person', 'name')).toBe(false);
    expect(asksDefinition('What does the 404 status code mean?')).toBe(true);
    expect(asksDefinition('Что означает код состояния 404 Not Found?')).toBe(true);
    expect(asksDefinition('Bước 1 là gì?')).toBe(true);
    expect(asksDefinition('When was IBM founded?')).toBe(false);
  });

  it('splits a question that asks two things, and only such a question', () => {
    expect(subQuestions('Who launched PDF.js, and who wrote the Bitcoin paper?', 'en')).toEqual([
      'Who launched PDF.js',
      'who wrote the Bitcoin paper?',
    ]);
    expect(subQuestions('IBM được thành lập năm nào và lệnh nào cài đặt Mammoth?', 'vi')).toEqual([
      'IBM được thành lập năm nào',
      'lệnh nào cài đặt Mammoth?',
    ]);
    expect(subQuestions('Tom and Jerry: who wrote it?', 'en')).toEqual([
      'Tom and Jerry: who wrote it?',
    ]);
    // "vé" holds the letter of Portuguese "e" but is no conjunction.
    expect(subQuestions('Giá vé máy bay từ Hà Nội đi Paris là bao nhiêu?', 'vi')).toHaveLength(1);
  });
});
