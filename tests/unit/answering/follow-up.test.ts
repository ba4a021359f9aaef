import { describe, expect, it } from 'vitest';

import { createExtractiveLlm } from '../../../packages/core/src/adapters/llm/extractive-llm';
import {
  carryKeyTerms,
  needsRewrite,
  resolveEllipsis,
} from '../../../packages/core/src/adapters/llm/follow-up';
import { source } from '../../support/llm-sources';

// Asked mid-chat, after an unrelated question: only a question that leans on the conversation is
// rewritten with the previous question's terms.
const history = [{ role: 'user' as const, content: 'Giá vé tàu từ Paris đi Lyon là bao nhiêu?' }];
const rewritten = (q: string) => needsRewrite(q, history);

describe('follow-ups: which questions are standalone', () => {
  it('leaves a short question that names its own subject alone', () => {
    expect(rewritten('What is the population of Hanoi?')).toBe(false);
    expect(rewritten('How do I install Docling?')).toBe(false);
    expect(carryKeyTerms('What is the population of Hanoi?', history)).toBe(
      'What is the population of Hanoi?',
    );
  });

  it('reads a continuation opening as a follow-up in every language', () => {
    expect(rewritten('And 502?')).toBe(true);
    expect(rewritten('Còn Đà Nẵng thì sao?')).toBe(true);
    expect(rewritten('Và giá vé khứ hồi của chuyến tàu hỏa buổi sáng?')).toBe(true);
    expect(rewritten('Et pour le trajet retour en première classe ?')).toBe(true);
    expect(rewritten('¿Y para el viaje de vuelta en primera clase?')).toBe(true);
  });

  it('reads a pronoun with no antecedent in the question as a follow-up', () => {
    expect(rewritten('Quand a-t-il été fondé par ses créateurs ?')).toBe(true);
    expect(rewritten('Wann wurde er von den Gründern gegründet?')).toBe(true);
    expect(rewritten('Когда он был основан его создателями?')).toBe(true);
    expect(rewritten('Quando ela foi fundada pelos criadores?')).toBe(true);
    expect(rewritten('它是什么时候成立的？')).toBe(true);
    expect(rewritten('When did Satoshi publish it?')).toBe(true);
  });

  it('lets a pronoun refer to a name earlier in the same question', () => {
    expect(rewritten('When was IBM founded and where is it headquartered?')).toBe(false);
    expect(rewritten('When did IBM sell its PC division?')).toBe(false);
  });

  it('does not read impersonal or polite forms as references', () => {
    expect(rewritten("Combien d'employés y a-t-il chez IBM ?")).toBe(false);
    expect(rewritten('Können Sie mir sagen, wann BMW gegründet wurde?')).toBe(false);
    expect(rewritten('How long does it take to install the Docling converter?')).toBe(false);
    expect(rewritten('Where is it stated that the contract is void?')).toBe(false);
    expect(rewritten('Existe-t-il une version gratuite du logiciel ?')).toBe(false);
    expect(rewritten('Who sold it to the Chinese manufacturer?')).toBe(true);
    // Unaccented Vietnamese: "it" is "ít", not the English pronoun.
    expect(rewritten('co it nhat bao nhieu nhan vien o Ha Noi')).toBe(false);
  });

  it('still rewrites a bare name and a question that names nothing', () => {
    expect(rewritten('IBM?')).toBe(true);
    expect(rewritten('Which year?')).toBe(true);
    expect(rewritten('When did that happen?')).toBe(true);
  });
});

describe('follow-ups: an elliptic question asks the previous one again', () => {
  const after = (content: string) => [{ role: 'user' as const, content }];

  it('puts its names in place of the previous question’s names of that kind', () => {
    const q403 = after('What does the 403 status code mean?');
    expect(resolveEllipsis('And 502?', q403)).toBe('What does the 502 status code mean?');
    expect(carryKeyTerms('And what about 502?', q403)).toBe('What does the 502 status code mean?');
    expect(resolveEllipsis('Còn Đà Nẵng thì sao?', after('Dân số của Hà Nội là bao nhiêu?'))).toBe(
      'Dân số của Đà Nẵng là bao nhiêu?',
    );
    // A chain of them: each is resolved against the question the previous one stood for.
    const chain = [...q403, { role: 'assistant' as const, content: '…' }, ...after('And 502?')];
    expect(resolveEllipsis('And 504?', chain)).toBe('What does the 504 status code mean?');
  });

  it('replaces the previous question’s year, version or name after a word it repeats', () => {
    expect(
      resolveEllipsis(
        'Còn năm 2021 thì sao?',
        after('Doanh thu của công ty năm 2020 là bao nhiêu?'),
      ),
    ).toBe('Doanh thu của công ty năm 2021 là bao nhiêu?');
    expect(
      resolveEllipsis('What about version 3.2?', after('When was version 3.1 released?')),
    ).toBe('When was version 3.2 released?');
    expect(
      resolveEllipsis('And the 2019 report?', after('What was the revenue in the 2018 report?')),
    ).toBe('What was the revenue in the 2019 report?');
    expect(
      resolveEllipsis(
        'What about employee Andrew Fuller?',
        after('What is the title of employee Nancy Edwards?'),
      ),
    ).toBe('What is the title of employee Andrew Fuller?');
    expect(
      resolveEllipsis(
        'Còn án lệ số 26/2018/AL thì sao?',
        after('Án lệ số 43/2021/AL được thông qua ngày nào?'),
      ),
    ).toBe('Án lệ số 26/2018/AL được thông qua ngày nào?');
    // The repeated word picks which of two numbers is replaced; a name already asked about is context.
    expect(
      resolveEllipsis('Còn năm 2020?', after('Chi nhánh số 3 có bao nhiêu nhân viên năm 2019?')),
    ).toBe('Chi nhánh số 3 có bao nhiêu nhân viên năm 2020?');
    expect(
      resolveEllipsis(
        'Còn IBM năm 2021 thì sao?',
        after('Doanh thu của IBM năm 2020 là bao nhiêu?'),
      ),
    ).toBe('Doanh thu của IBM năm 2021 là bao nhiêu?');
    // A word that only says what kind a number is asks nothing new; the words of a name the previous
    // question has (a sentence's first word there, not a name) are not what is replaced.
    expect(
      resolveEllipsis('And for the year 2012?', after('How many users did Firefox have in 2010?')),
    ).toBe('How many users did Firefox have in 2012?');
    expect(
      resolveEllipsis(
        'Et pour l’année 2021 ?',
        after('Quel était le chiffre d’affaires en 2020 ?'),
      ),
    ).toBe('Quel était le chiffre d’affaires en 2021 ?');
    expect(resolveEllipsis('And Python 3.9?', after('Python 3.8 end of life date?'))).toBe(
      'Python 3.9 end of life date?',
    );
    expect(resolveEllipsis('Còn Node 18 thì sao?', after('Node 16 hết hỗ trợ khi nào?'))).toBe(
      'Node 18 hết hỗ trợ khi nào?',
    );
    // A word the previous question does not have is something new: not an ellipsis.
    expect(
      resolveEllipsis('Còn lợi nhuận năm 2021 thì sao?', after('Doanh thu năm 2020 là bao nhiêu?')),
    ).toBeNull();
    expect(
      carryKeyTerms('Còn lợi nhuận năm 2021 thì sao?', after('Doanh thu năm 2020 là bao nhiêu?')),
    ).not.toContain('2020');
  });

  it('puts its phrase in place of the previous question’s counterpart', () => {
    expect(
      resolveEllipsis(
        'And for a movable property?',
        after('How long is the limitation period for an immovable property under the Civil Code?'),
      ),
    ).toBe('How long is the limitation period for a movable property under the Civil Code?');
    expect(
      resolveEllipsis(
        'Còn đối với hợp đồng thuê nhà thì sao?',
        after('Thời hiệu khởi kiện đối với hợp đồng mua bán là bao lâu?'),
      ),
    ).toBe('Thời hiệu khởi kiện đối với hợp đồng thuê nhà là bao lâu?');
  });

  it('leaves a follow-up that asks something of its own to the carried terms', () => {
    const history = after('What is the title of employee Michael Mitchell?');
    expect(resolveEllipsis('And what is his email address?', history)).toBeNull();
    expect(resolveEllipsis('And IBM?', after('What does the 403 status code mean?'))).toBeNull();
    expect(resolveEllipsis('And where is it headquartered?', history)).toBeNull();
    expect(
      resolveEllipsis(
        'Còn thành phần nào hiển thị tiêu đề?',
        after('Thành phần nào nhận dữ liệu?'),
      ),
    ).toBeNull();
  });

  it('answers what the previous question asked, not a line that merely names the number', async () => {
    // rfc2616.txt: the status-code list and the section defining 502.
    const sources = [
      source(
        '| "417"  ; Section 10.4.18: Expectation Failed\n| "500"  ; Section 10.5.1: Internal Server Error\n' +
          '| "502"  ; Section 10.5.3: Bad Gateway\n| "503"  ; Section 10.5.4: Service Unavailable',
        { filename: 'rfc2616.txt' },
      ),
      source(
        '10.5.3 502 Bad Gateway\n\n   The server, while acting as a gateway or proxy, received an invalid\n' +
          '   response from the upstream server it accessed in attempting to fulfill the request.',
        { filename: 'rfc2616.txt', score: 0.5 },
      ),
    ];
    const history = after('What does the 403 status code mean?');
    const llm = createExtractiveLlm();
    const { query, question: standalone } = await llm.rewriteQuery({
      question: 'And 502?',
      history,
      language: 'en',
    });
    expect(standalone).toBe('What does the 502 status code mean?');
    let answer = '';
    for await (const piece of llm.streamAnswer({
      question: 'And 502?',
      query,
      standalone,
      sources,
      history,
      language: 'en',
    }))
      answer += piece;
    expect(answer).toContain('received an invalid response');
  });
});
