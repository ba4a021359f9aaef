import { describe, expect, it } from 'vitest';

import { answerType, findSpan, subQuestions } from '../../../packages/core/src/domain/answering';
import { ask, source } from '../../support/llm-sources';

describe('answering: questions asking how long', () => {
  it('asks for a length of time in every language, not for money or a count', () => {
    expect(answerType('How long should a nap last?')).toBe('duration');
    expect(answerType('¿Cuánto tiempo debe durar una siesta?')).toBe('duration');
    expect(answerType('Combien de temps dure la garantie ?')).toBe('duration');
    expect(answerType('Wie lange dauert die Garantie?')).toBe('duration');
    expect(answerType('Thời hiệu khởi kiện là bao lâu?')).toBe('duration');
    expect(answerType('How much does the ticket cost?')).toBe('amount');
  });

  it('finds a number or a range with its unit of time', () => {
    const none = new Set<string>();
    expect(findSpan('duration', 'To increase performance after nap - 5 to 30 minutes', none)).toBe(
      '5 to 30 minutes',
    );
    expect(findSpan('duration', 'Thời hiệu khởi kiện là 03 năm, kể từ ngày 1', none)).toBe(
      '03 năm',
    );
    expect(findSpan('duration', 'Version 2 of the code', none)).toBeNull();
  });

  it('prefers the sentence stating the duration', () => {
    const law = source(
      'Điều 429. Thời hiệu khởi kiện về hợp đồng\nĐiều này quy định thời hiệu khởi kiện về hợp đồng.\n' +
        'Thời hiệu khởi kiện để yêu cầu Tòa án giải quyết tranh chấp hợp đồng là 03 năm, kể từ ngày người có quyền yêu cầu biết quyền bị xâm phạm.',
      { filename: 'bo_luat.docx' },
    );
    expect(ask('Thời hiệu khởi kiện về hợp đồng là bao lâu?', [law], 'vi')).toContain('03 năm —');
  });

  it('splits off a second question after "bao lâu"', () => {
    expect(
      subQuestions('Thời hiệu khởi kiện là bao lâu, và thành phần nào nhận dữ liệu?', 'vi'),
    ).toEqual(['Thời hiệu khởi kiện là bao lâu', 'thành phần nào nhận dữ liệu?']);
  });
});

describe('answering: titles set in capitals', () => {
  it('answers with the text under a title in capitals, not with the title alone', () => {
    // an_le_so_432021AL.pdf, page 1 (the title, then the sentence saying where it was published).
    const page = source(
      'ÁN LỆ SỐ 43/2021/AL1\n\nVề hiệu lực của hợp đồng thế chấp trong trường hợp tài sản thế chấp là nhà đất.\n' +
        'Được Hội đồng Thẩm phán Tòa án nhân dân tối cao thông qua ngày 24 tháng 02 năm 2021 và được công bố ' +
        'theo Quyết định số 42/QĐ-CA ngày 12 tháng 3 năm 2021 của Chánh án Tòa án nhân dân tối cao.',
      { filename: 'an_le_so_432021AL.pdf', page: 1 },
    );
    const answer = ask('Which decision published precedent 43/2021/AL?', [page], 'en');
    // Not the title alone: it only repeats the question's name.
    expect(answer).not.toMatch(/^According to the documents: ÁN LỆ SỐ 43\/2021\/AL1\. \(page/);
    expect(answer).toContain('ÁN LỆ SỐ 43/2021/AL1. Về hiệu lực');
  });
});

describe('answering: Vietnamese typed without diacritics', () => {
  it('reads the question words without their diacritics', () => {
    expect(answerType('bo luat dan su co hieu luc thi hanh tu ngay nao')).toBe('date');
    expect(answerType('ai la nguoi sang lap cong ty')).toBe('person');
    expect(answerType('cong ty co bao nhieu nhan vien')).toBe('count');
    expect(answerType('thoi hieu khoi kien la bao lau')).toBe('duration');
    // Not in an English question: "Who may sign?" is about a person, and "may" is no "mấy".
    expect(answerType('Where may the form be signed?')).toBe('place');
  });

  it('prefers the sentence holding the date', () => {
    const law = source(
      'Điều 689. Hiệu lực thi hành\nBộ luật Dân sự năm 2015 có hiệu lực thi hành, Tòa án áp dụng quy định tại Điều 623 của Bộ luật dân sự.\n' +
        'Bộ luật dân sự này có hiệu lực thi hành từ ngày 01 tháng 01 năm 2017.',
      { filename: 'bo_luat.docx' },
    );
    expect(ask('bo luat dan su co hieu luc thi hanh tu ngay nao', [law], 'vi')).toContain(
      '01 tháng 01 năm 2017 —',
    );
  });
});

describe('answering: "how long is the …" asks for a length unless it names a time', () => {
  it('types a thing as a length and a time word as a duration', () => {
    expect(answerType('How long is the cable?')).toBe('length');
    expect(answerType('How long is the Great Wall of China?')).toBe('length');
    expect(answerType('How long is the warranty for the X200 laptop?')).toBe('duration');
    expect(answerType('How long ago was IBM founded?')).toBe('duration');
  });

  it('reads Japanese どのくらい as a duration only next to a word of time', () => {
    expect(answerType('保証期間はどのくらいですか？')).toBe('duration');
    expect(answerType('この部品の費用はどのくらいですか？')).toBe('amount');
  });

  it('finds Japanese and Korean units of time', () => {
    const none = new Set<string>();
    expect(findSpan('duration', '製品の保証期間は24か月です。', none)).toBe('24か月');
    expect(findSpan('duration', '제품 보증 기간은 2년 동안 유지됩니다.', none)).toBe('2년');
  });

  it('answers with the sentence stating the length, not a duration', () => {
    const cable = source(
      'The cable is 30 metres long and weighs 4 kg.\n\nDelivery of the cable takes 5 days.',
    );
    expect(ask('How long is the cable?', [cable], 'en')).toContain('30 metres');
    expect(ask('How long is the cable?', [cable], 'en')).not.toContain('5 days');
  });
});
