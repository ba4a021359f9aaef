import { describe, expect, it } from 'vitest';

import { carryKeyTerms, needsRewrite } from '../../../packages/core/src/adapters/llm/follow-up';
import { composeExtractiveAnswer } from '../../../packages/core/src/adapters/llm/extractive-answer';
import { source, ask } from '../../support/llm-sources';

// Real passages: chrome-text-selection-markedContent.pdf p. 1, pdfjs_wikipedia.pdf p. 1, rfc2616.txt.
const KREATE = source(
  'We reiterate our EUR 8.00 target price and Accumulate\nrecommendation for Kreate following the Q4 report. In 2024,\n' +
    'Kreate’s revenue grew by 12%.',
  { filename: 'kreate.pdf', page: 1 },
);
const PDFJS = source(
  'PDF.js is a JavaScript library that renders Portable Document Format (PDF) files using the web\n' +
    'standards-compliant HTML5 Canvas. The project is led by the Mozilla Corporation after\n' +
    'Andreas Gal launched it (initially as an experiment) in 2011.',
  { filename: 'pdfjs.pdf', page: 1 },
);
const RFC = source(
  'If the server does not wish to make this information available to the client, the status code 404\n' +
    '   (Not Found) can be used instead.\n\n10.4.5 404 Not Found\n\n' +
    '   The server has not found anything matching the Request-URI. No\n' +
    '   indication is given of whether the condition is temporary or\n   permanent.\n\n' +
    '10.4.9 408 Request Timeout\n\n   The client did not produce a request within the time that the server\n' +
    '   was prepared to wait.',
  { filename: 'rfc2616.txt' },
);

describe('answering: composition', () => {
  it('answers a question in another language than the document through its names', () => {
    const vi = ask('Khuyến nghị (recommendation) đối với Kreate là gì?', [KREATE], 'vi');
    expect(vi).toMatch(/^Theo tài liệu:/);
    expect(vi).toContain('Accumulate');
    expect(vi).toContain('(trang 1, kreate.pdf)');
    const firefox = source(
      'PDF.js was originally created as an extension for Firefox and is included in Firefox\n' +
        'since 2012. (version 15), and enabled by default starting in version 19.',
      { filename: 'pdfjs.pdf', page: 1 },
    );
    const es = ask('¿Desde qué año está PDF.js incluido en Firefox?', [PDFJS, firefox], 'es');
    expect(es).toMatch(/^Según los documentos: 2012 — /);
    expect(es).toContain('(página 1, pdfjs.pdf)');
  });

  it('states the span first, then the sentence that holds it', () => {
    const when = ask('When did Andreas Gal launch PDF.js?', [PDFJS], 'en');
    expect(when).toMatch(/^According to the documents: 2011 — .*Andreas Gal launched it/);
  });

  it('defines a term with the text under the heading that names it', () => {
    const what = ask('What does the 404 status code mean?', [RFC], 'en');
    expect(what).toContain('The server has not found anything matching the Request-URI');
  });

  it('answers each part of a question asking two things, citing both documents', () => {
    const both = ask(
      'Who launched PDF.js, and what is the target price for Kreate?',
      [PDFJS, KREATE],
      'en',
    );
    expect(both).toContain('Andreas Gal');
    expect(both).toContain('EUR 8.00');
    expect(both).toContain('(page 1, pdfjs.pdf)');
    expect(both).toContain('(page 1, kreate.pdf)');
  });

  it('says not found when no passage names what the question is about', () => {
    // nghi_dinh_21_2021_ND_CP.docx: shares "thành phố" with the question, never names Australia.
    const law = source(
      'Nơi nhận: - Ban Bí thư Trung ương Đảng; - HĐND, UBND các tỉnh, thành phố trực thuộc trung ương;',
      { filename: 'nghi_dinh.docx' },
    );
    const answer = ask('Thủ đô của nước Úc là thành phố nào?', [law], 'vi');
    expect(answer).toMatch(/^Tài liệu đã chọn không chứa thông tin/);
    expect(answer).toContain('(file nghi_dinh.docx)');
  });

  it('never says a sentence twice', () => {
    const law = source(
      'Điều 689. Hiệu lực thi hành\nBộ luật này có hiệu lực thi hành từ ngày 01 tháng 01 năm 2017.\n' +
        'Bộ luật dân sự số 33/2005/QH11 hết hiệu lực kể từ ngày Bộ luật này có hiệu lực.',
      { filename: 'bo_luat.docx' },
    );
    const answer = ask('Bộ luật dân sự có hiệu lực thi hành từ ngày nào?', [law], 'vi');
    expect(answer).toContain('01 tháng 01 năm 2017 —');
    expect(answer.split('Bộ luật này có hiệu lực thi hành từ ngày 01').length).toBe(2);
  });
});

describe('answering: follow-ups', () => {
  const turn = (content: string) => [{ role: 'user' as const, content }];

  it("carries the previous question's names first, and only a few of its other words", () => {
    expect(carryKeyTerms('What is his email address?', turn('Who wrote the Bitcoin paper?'))).toBe(
      'What is his email address? Bitcoin wrote paper',
    );
    expect(
      carryKeyTerms('Nó được đưa vào Firefox từ năm nào?', turn('Ai đã khởi xướng PDF.js?')),
    ).toBe('Nó được đưa vào Firefox từ năm nào? PDF.js khởi xướng');
  });

  it('does not carry a number the new question replaces', () => {
    // An elliptic follow-up is the previous question about the new number.
    const q = carryKeyTerms('And what about 408?', turn('What does the 404 status code mean?'));
    expect(q).toBe('What does the 408 status code mean?');
    expect(
      carryKeyTerms('And when was 408 added?', turn('What does the 404 status code mean?')),
    ).toBe('And when was 408 added? status code');
    const answer = composeExtractiveAnswer({
      question: q,
      query: q,
      sources: [RFC],
      language: 'en',
    });
    expect(answer).toContain('did not produce a request within the time');
    expect(answer).not.toContain('404');
  });

  it('leaves a long question alone although it says "this"', () => {
    const history = turn('Bộ luật dân sự số 33/2005/QH11 hết hiệu lực khi nào?');
    expect(needsRewrite('Bộ luật này có hiệu lực thi hành từ ngày nào?', history)).toBe(false);
    expect(needsRewrite('Bà ấy còn nợ bao nhiêu?', history)).toBe(true);
  });
});
