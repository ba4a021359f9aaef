import { describe, expect, it } from 'vitest';

import { createExtractiveLlm } from '../../../packages/core/src/adapters/llm/extractive-llm';
import {
  carryKeyTerms,
  needsRewrite,
  resolveEllipsis,
} from '../../../packages/core/src/adapters/llm/follow-up';
import { hasOuterReference } from '../../../packages/core/src/domain/answering';
import type { LlmTurn } from '../../../packages/core/src/ports/llm';
import { source } from '../../support/llm-sources';

const after = (content: string) => [{ role: 'user' as const, content }];

describe('follow-ups: an elliptic question substitutes only where it is sure', () => {
  it('replaces the name after the preposition the follow-up repeats', () => {
    expect(
      resolveEllipsis('And to Marseille?', after('What is the fare from Paris to Lyon?')),
    ).toBe('What is the fare from Paris to Marseille?');
  });

  it('carries terms instead when the new name is already in the previous question', () => {
    const history = after('When did IBM sell its PC division to Lenovo?');
    expect(resolveEllipsis('What about Lenovo?', history)).toBeNull();
    expect(carryKeyTerms('What about Lenovo?', history)).not.toContain('Lenovo sell');
  });

  it('carries terms instead when a phrase shares only an article with the previous question', () => {
    const history = after('What is the phone number of the manager?');
    expect(resolveEllipsis('And the email?', history)).toBeNull();
    expect(carryKeyTerms('And the email?', history)).toBe('And the email? phone number manager');
  });
});

describe('follow-ups: cues that are not references', () => {
  const history = after('Who manufactured the ThinkPad originally?');

  it('reads "it" as impersonal only before a closed list of predicates', () => {
    expect(needsRewrite('When was it sold to the Chinese company?', history)).toBe(true);
    expect(needsRewrite('When was it moved to Beijing?', history)).toBe(true);
    expect(needsRewrite('Was it renamed to something else?', history)).toBe(true);
    expect(needsRewrite('Is it possible to install Docling on Windows?', history)).toBe(false);
    expect(needsRewrite('How long does it take to install the Docling converter?', history)).toBe(
      false,
    );
  });

  it('needs a space or comma after an opener word', () => {
    expect(needsRewrite('E-mail do suporte técnico da Apple?', history)).toBe(false);
    expect(needsRewrite('E quanto ao suporte técnico da Apple?', history)).toBe(true);
    expect(needsRewrite('And?', history)).toBe(true);
  });

  it('does not read Vietnamese "còn" meaning "remaining" as an opener', () => {
    expect(needsRewrite('Còn bao nhiêu ngày nữa đến Tết Nguyên Đán?', history)).toBe(false);
    expect(needsRewrite('Còn Đà Nẵng thì sao?', history)).toBe(true);
  });

  it('tries the longer French opener first', () => {
    expect(
      resolveEllipsis(
        'Et pour un bien meuble ?',
        after('Quel est le délai de prescription pour un bien immeuble selon le Code civil ?'),
      ),
    ).toBe('Quel est le délai de prescription pour un bien meuble selon le Code civil ?');
  });

  it('resolves a pronoun in a later clause than a name, and only there', () => {
    expect(hasOuterReference('Who launched PDF.js, and when did it reach Firefox?', 'en')).toBe(
      false,
    );
    expect(hasOuterReference('When did it reach Firefox, and who launched PDF.js?', 'en')).toBe(
      true,
    );
  });
});

describe('follow-ups: the rewrite is resolved once and handed to the answer', () => {
  it('answers the restated question without reading the history again', async () => {
    let reads = 0;
    const first = {
      role: 'user' as const,
      get content() {
        reads++;
        return 'What does the 403 status code mean?';
      },
    };
    const history: LlmTurn[] = [first, { role: 'assistant', content: '…' }, ...after('And 502?')];
    const llm = createExtractiveLlm();
    const rewritten = await llm.rewriteQuery({ question: 'And 504?', history, language: 'en' });
    expect(rewritten).toEqual({
      query: 'What does the 504 status code mean?',
      question: 'What does the 504 status code mean?',
    });
    const afterRewrite = reads;
    const sources = [
      source('| "504"  ; Section 10.5.5: Gateway Timeout', { filename: 'rfc2616.txt' }),
      source('10.5.5 504 Gateway Timeout\n\nThe server did not receive a timely response.', {
        filename: 'rfc2616.txt',
        score: 0.5,
      }),
    ];
    let answer = '';
    for await (const piece of llm.streamAnswer({
      question: 'And 504?',
      query: rewritten.query,
      standalone: rewritten.question,
      sources,
      history,
      language: 'en',
    }))
      answer += piece;
    expect(reads).toBe(afterRewrite);
    // The restated question's kind ("what does … mean?") picks the definition, not the list line.
    expect(answer).toContain('did not receive a timely response');
  });
});
