import { describe, expect, it } from 'vitest';

import { carryKeyTerms } from '../../../packages/core/src/adapters/llm/follow-up';
import { cleanSentence } from '../../../packages/core/src/adapters/llm/text';
import {
  anchorTerms,
  answerType,
  bridgedQuery,
  bridgeTerms,
  detectLanguage,
  findSpan,
  searchParts,
  subQuestions,
} from '../../../packages/core/src/domain/answering';
import { source, ask, CHINOOK_EMPLOYEES as EMPLOYEES } from '../../support/llm-sources';

// Real passages: docling-wiki.md, an_le_so_432021AL.pdf p. 3, rfc2616.txt, Chinook_PostgreSql.sql.
const IBM = source(
  'International Business Machines Corporation, nicknamed Big Blue, is an American multinational ' +
    'technology company headquartered in Armonk, New York and present in over 175 countries.\n\n' +
    'It is a publicly traded company and one of the 30 companies in the Dow Jones Industrial Average.',
  { filename: 'ibm.md' },
);
const HOUSES = source(
  'Tuy nhiên, hai căn nhà đang thế chấp tại Ngân hàng do bà mua của ông\n' +
    'Dương Quốc K, bà Phạm Thị Kim H vào năm 2008 với giá 5.500.000.000 đồng.\n' +
    'Bà đã thanh toán được 3.000.000.000 đồng, còn nợ ông K, bà H 2.500.000.000\nđồng.',
  { filename: 'an_le.pdf', page: 3 },
);
const RFC = source(
  'If the server does not wish to make this information available to the client, the status code 404\n' +
    '   (Not Found) can be used instead.\n\n10.4.5 404 Not Found\n\n' +
    '   The server has not found anything matching the Request-URI. No\n' +
    '   indication is given of whether the condition is temporary or\n   permanent.',
  { filename: 'rfc2616.txt' },
);

describe('answering: English ↔ Vietnamese without shared names', () => {
  it('renders question words through the lexicon, keeping Vietnamese tones apart', () => {
    // "mỗi năm" is "every year": folded, "năm" would also be "nam" (a man) and "mỗi" "mới" (new).
    const vi = bridgeTerms('Eddie kiếm được bao nhiêu tiền mỗi năm?', 'vi');
    expect(vi.get('nam')).toContainEqual(['year']);
    expect(vi.get('nam')).not.toContainEqual(['man']);
    expect(vi.get('moi')).toBeUndefined();
    // A Vietnamese phrase is one concept for each of its syllables.
    expect(bridgeTerms('Trụ sở của công ty ở đâu?', 'vi').get('tru')).toContainEqual([
      'headquarters',
    ]);
    const en = bridgeTerms('For what price did Mrs. L buy the houses?', 'en');
    expect(en.get('houses')).toContainEqual(['can', 'nha']);
    expect(en.get('price')).toContainEqual(['gia']);
    expect(bridgeTerms('Quelle est la capitale ?', 'ru').size).toBe(0);
  });

  it('answers a Vietnamese question from an English passage that shares no name with it', () => {
    const answer = ask('Trụ sở của công ty ở đâu?', [IBM], 'vi');
    expect(answer).toMatch(/^Theo tài liệu:/);
    expect(answer).toContain('Armonk');
  });

  it('answers an English question from a Vietnamese passage', () => {
    const answer = ask('For what price did Mrs. L buy the two mortgaged houses?', [HOUSES], 'en');
    expect(answer).toMatch(/^According to the documents:/);
    expect(answer).toContain('5.500.000.000');
    expect(answer).toContain('(page 3, an_le.pdf)');
  });

  it('searches also with the question said in the other language', () => {
    expect(bridgedQuery('Eddie kiếm được bao nhiêu tiền mỗi năm?', 'vi')).toBe(
      'Eddie income earn money year years',
    );
    expect(searchParts('Mã trạng thái 403 có nghĩa là gì?', 'vi')).toEqual([
      'Mã trạng thái 403 có nghĩa là gì?',
      'code status 403 meaning mean',
    ]);
    // One known word is too little to search on.
    expect(searchParts('When was IBM founded?', 'en')).toEqual(['When was IBM founded?']);
    expect(searchParts('Quelle est la capitale du Canada ?', 'fr')).toHaveLength(1);
  });

  it('reads an English question quoting a Vietnamese name as English', () => {
    expect(detectLanguage('How much did the bank lend to Nguyễn Thị L in total?')).toBe('en');
    expect(detectLanguage('Bà L mua hai căn nhà với giá bao nhiêu?')).toBe('vi');
    expect(detectLanguage('Nguyễn Thị L?')).toBe('vi');
  });

  it('does not take a title before a name for a name', () => {
    expect(anchorTerms('For what price did Mrs. L buy the houses?', 'en')).toEqual([]);
    expect(anchorTerms('Where does Dr Watson live?', 'en')).toEqual(['watson']);
  });
});

describe('answering: definitions, identifiers, follow-ups, shared questions', () => {
  it('answers "what does X mean" with the first sentence of the section about X', () => {
    const answer = ask('What does the 404 status code mean?', [RFC], 'en');
    expect(answer).toContain('has not found anything matching the Request-URI');
    expect(answerType('What does the 404 status code mean?')).toBe('other');
    expect(answerType('Mã trạng thái 403 có nghĩa là gì?')).toBe('other');
  });

  it('asks for an identifier when the question asks which function', () => {
    expect(answerType('Qual função converte um arquivo .docx em HTML?')).toBe('id');
    expect(answerType('Which function extracts the raw text?')).toBe('id');
    const words = new Set(['which', 'function']);
    expect(findSpan('id', 'Use mammoth.convertToHtml(input) to convert it', words)).toBe(
      'mammoth.convertToHtml',
    );
    expect(findSpan('id', 'Call extractRawText on the buffer', words)).toBe('extractRawText');
  });

  it('keeps the space before a file extension (no "convert.docx" identifier is made up)', () => {
    expect(cleanSentence('Mammoth is designed to convert .docx documents , such as these .')).toBe(
      'Mammoth is designed to convert .docx documents, such as these.',
    );
    expect(
      findSpan('id', cleanSentence('To convert an existing .docx file'), new Set()),
    ).toBeNull();
  });

  it('keeps the names a follow-up carried: the row of the person asked about before', () => {
    const history = [
      { role: 'user' as const, content: 'What is the title of employee Michael Mitchell?' },
    ];
    const question = 'And what is his email address?';
    const query = carryKeyTerms(question, history);
    const answer = ask(question, [EMPLOYEES], 'en', query);
    expect(answer).toContain('michael@chinookcorp.com');
    expect(answer).not.toContain('andrew@chinookcorp.com');
  });

  it('asks a question shared by two names once per name', () => {
    expect(
      subQuestions('Án lệ số 43/2021/AL và án lệ số 26/2018/AL được thông qua vào ngày nào?', 'vi'),
    ).toEqual([
      'Án lệ số 43/2021/AL được thông qua vào ngày nào?',
      'án lệ số 26/2018/AL được thông qua vào ngày nào?',
    ]);
    // One thing asked about two names (one command installs both) stays one question.
    expect(subQuestions('Which command installs React and React DOM?', 'en')).toEqual([
      'Which command installs React and React DOM?',
    ]);
    expect(subQuestions('Tom and Jerry: who wrote it?', 'en')).toEqual([
      'Tom and Jerry: who wrote it?',
    ]);
  });
});
