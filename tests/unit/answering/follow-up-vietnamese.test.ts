import { describe, expect, it } from 'vitest';

import { carryKeyTerms } from '../../../packages/core/src/adapters/llm/follow-up';
import { detectLanguage, findSpan } from '../../../packages/core/src/domain/answering';
import { ask, CHINOOK_EMPLOYEES as EMPLOYEES } from '../../support/llm-sources';

describe('answering: short Vietnamese follow-ups', () => {
  it('reads a question as Vietnamese by its words when its marks are also French or Spanish ones', () => {
    expect(detectLanguage('Còn 404 thì sao?')).toBe('vi');
    expect(detectLanguage('Còn Microsoft?')).toBe('vi');
    expect(detectLanguage('Nó là gì?')).toBe('vi');
    expect(detectLanguage('Qui est là ?')).toBe('fr');
    expect(detectLanguage('How much did the bank lend to Nguyễn Thị L in total?')).toBe('en');
  });

  it('carries the previous question’s first word as a word, not as part of a name', () => {
    const history = [
      { role: 'user' as const, content: 'Chức danh của nhân viên Michael Mitchell là gì?' },
    ];
    const question = 'Địa chỉ email của anh ấy là gì?';
    const query = carryKeyTerms(question, history);
    expect(query).toContain('Michael Mitchell chức');
    // "Michael Mitchell Chức" was one name no row holds, so nothing answered.
    const answer = ask(question, [EMPLOYEES], 'vi', query);
    expect(answer).toContain('michael@chinookcorp.com');
    expect(answer).not.toContain('andrew@chinookcorp.com');
  });
});

describe('answering: dates', () => {
  it('does not read the verb "may" as a month', () => {
    expect(
      findSpan('date', 'PDF.js may have some issues, and is enabled since 2013.', new Set()),
    ).toBe('2013');
    expect(findSpan('date', 'It was released on May 3, 2013.', new Set())).toBe('May 3, 2013');
    expect(findSpan('date', 'SIGNED JULY 4, 1804', new Set())).toBe('JULY 4, 1804');
  });
});
