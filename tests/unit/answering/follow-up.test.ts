import { describe, expect, it } from 'vitest';

import { carryKeyTerms, needsRewrite } from '../../../packages/core/src/adapters/llm/follow-up';

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
    // Unaccented Vietnamese: "it" is "ít", not the English pronoun.
    expect(rewritten('co it nhat bao nhieu nhan vien o Ha Noi')).toBe(false);
  });

  it('still rewrites a bare name and a question that names nothing', () => {
    expect(rewritten('IBM?')).toBe(true);
    expect(rewritten('Which year?')).toBe(true);
    expect(rewritten('When did that happen?')).toBe(true);
  });
});
