import { describe, expect, it } from 'vitest';

import {
  answerType,
  findSpan,
  isKindWord,
  sameVerb,
} from '../../../packages/core/src/domain/answering';
import { source, ask } from '../../support/llm-sources';

// Written after docling-wiki.md (IBM) and pdkids.pdf p. 15.
const IBM = source(
  'The company was renamed in 1924.\n\nSince the 1990s the company has concentrated on services and ' +
    'research; it sold its microcomputer division to Lenovo in 2005.\n\nIt holds many patents.',
  { filename: 'ibm.md' },
);
const DUEL = source(
  'Men took sides in this strife, and so two bands sprang up.\n\nAlexander Hamilton was killed in a ' +
    'duel by Aaron Burr in July, 1804.\n\nHamilton was in charge of the work of making the coin.',
  { filename: 'kids.pdf', page: 15 },
);

describe('answering: questions worded otherwise than the passage', () => {
  it('matches the forms of an irregular English verb ("sell" ↔ "sold")', () => {
    expect(sameVerb('sell', 'sold')).toBe(true);
    expect(sameVerb('wrote', 'written')).toBe(true);
    expect(sameVerb('sell', 'sell')).toBe(false); // the same word is an exact match, not this one
    expect(sameVerb('sold', 'told')).toBe(false);
    const answer = ask('To which company did it sell its microcomputer division?', [IBM], 'en');
    expect(answer).toContain('sold its microcomputer division to Lenovo');
  });

  it('reads "which month and year" as asking for a date, and states the month with its year', () => {
    expect(answerType('In which month and year did that happen?')).toBe('date');
    expect(answerType('What day was it signed?')).toBe('date');
    expect(answerType('¿Qué día se firmó?')).toBe('date');
    expect(findSpan('date', 'killed in a duel by Aaron Burr in July, 1804.', new Set())).toBe(
      'July, 1804',
    );
  });

  it('lets a date answer "when did it happen?": the event verb only frames the question', () => {
    expect(isKindWord('date', 'happen')).toBe(true);
    expect(isKindWord('place', 'occurred')).toBe(true);
    expect(isKindWord('amount', 'happen')).toBe(false);
    const followUp = ask(
      'In which month and year did that happen?',
      [DUEL],
      'en',
      'In which month and year did that happen? Alexander Hamilton killed duel',
    );
    expect(followUp).toMatch(/^According to the documents: July, 1804 — Alexander Hamilton/);
    expect(ask('When did the duel happen?', [DUEL], 'en')).toContain('July, 1804');
  });
});
