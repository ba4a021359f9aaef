import { beforeEach, describe, expect, it, vi } from 'vitest';

import type * as Units from '../../../packages/core/src/adapters/llm/units';
import type { LlmSource } from '../../../packages/core/src/ports/llm';
import { source } from '../../support/llm-sources';

// Counts the sources split into units (the CPU an ask's answer spends most on, before the cache).
const split = vi.hoisted(() => ({ contents: [] as string[] }));
vi.mock('../../../packages/core/src/adapters/llm/units', async (importOriginal) => {
  const original = await importOriginal<typeof Units>();
  return {
    ...original,
    unitsOf: (s: LlmSource) => {
      split.contents.push(s.content);
      return original.unitsOf(s);
    },
  };
});

const load = async () => {
  const { composeExtractiveAnswer } =
    await import('../../../packages/core/src/adapters/llm/extractive-answer');
  const { MAX_PREPARED_SOURCES } =
    await import('../../../packages/core/src/adapters/llm/unit-candidates');
  return { composeExtractiveAnswer, MAX_PREPARED_SOURCES };
};

const IBM =
  'IBM was founded in 1911 in Endicott, New York. It is headquartered in Armonk, New York. ' +
  'The company provided the IBM Personal Computer with DOS from Microsoft.';
const RFC =
  '10.4.5 404 Not Found\nThe server has not found anything matching the Request-URI. No indication is given.';
// Every request brings its sources as new objects.
const fresh = () => [source(IBM, { filename: 'ibm.md' }), source(RFC, { filename: 'rfc2616.txt' })];

describe('answering: sources prepared once across asks', () => {
  beforeEach(() => {
    vi.resetModules();
    split.contents = [];
  });

  it('splits a source seen by an earlier ask (as a new object) only once, with the same answers', async () => {
    const { composeExtractiveAnswer: compose } = await load();
    const ask = (question: string) =>
      compose({ question, query: question, sources: fresh(), language: 'en' });
    const first = [ask('When was IBM founded?'), ask('What does 404 mean?')];
    const again = [ask('When was IBM founded?'), ask('What does 404 mean?')];
    expect(split.contents.filter((c) => c === IBM)).toHaveLength(1);
    expect(split.contents.filter((c) => c === RFC)).toHaveLength(1);
    expect(first[0]).toContain('1911');
    expect(again).toEqual(first);

    // The same answers from a process that never saw these sources.
    vi.resetModules();
    const cold = (await load()).composeExtractiveAnswer;
    const coldAnswers = ['When was IBM founded?', 'What does 404 mean?'].map((question) => {
      const answer = cold({ question, query: question, sources: fresh(), language: 'en' });
      vi.resetModules();
      return answer;
    });
    expect(coldAnswers).toEqual(first);
  });

  it('keys a source by its section and filename too (an SQL chunk cut from an INSERT reads its table from the section)', async () => {
    const { composeExtractiveAnswer: compose } = await load();
    const rows = "(1, 'Alice', 'alice@example.com'),\n(2, 'Bob', 'bob@example.com'),";
    const question = 'What is the email of Bob?';
    const plain = compose({ question, query: question, sources: [source(rows)], language: 'en' });
    const labelled = compose({
      question,
      query: question,
      sources: [source(rows, { section: 'INSERT INTO customer (id, name, email)' })],
      language: 'en',
    });
    expect(split.contents.filter((c) => c === rows)).toHaveLength(2);
    expect(labelled).not.toEqual(plain);
    expect(labelled).toContain('bob@example.com');
  });

  it('holds a bounded number of sources: the least recently used is split again', async () => {
    const { composeExtractiveAnswer: compose, MAX_PREPARED_SOURCES } = await load();
    const ask = (sources: LlmSource[]) =>
      compose({ question: 'When was IBM founded?', query: 'x', sources, language: 'en' });
    ask(fresh());
    for (let i = 0; i < MAX_PREPARED_SOURCES; i++)
      ask([source(`Filler number ${i} says nothing about it. It is filler text.`)]);
    ask(fresh());
    expect(split.contents.filter((c) => c === IBM)).toHaveLength(2);
  });
});

describe('answering: word pairs counted without spelling out every pair', () => {
  it('counts each question pair a unit holds once, skipping identifier parts, as spelling them would', async () => {
    const { pairsIn } = await import('../../../packages/core/src/adapters/llm/term-match');
    const { tokens } = await import('../../../packages/core/src/adapters/llm/text');
    const spelled = (text: string, qPairs: Set<string>) => {
      const ts = tokens(text).filter((t) => !t.part);
      const hit = new Set<string>();
      for (let i = 1; i < ts.length; i++) {
        const p = `${ts[i - 1]?.term} ${ts[i]?.term}`;
        if (qPairs.has(p)) hit.add(p);
      }
      return hit.size;
    };
    const qPairs = new Set(['thu do', 'do cua', 'status code', 'code mean']);
    for (const text of [
      'Thủ đô của Nhật Bản là Tokyo, thủ đô lớn.',
      'The status code convertToHtml code mean, status code again.',
      'nothing here',
    ])
      expect(pairsIn(tokens(text), qPairs)).toBe(spelled(text, qPairs));
    expect(pairsIn(tokens('Thủ đô của Nhật Bản, thủ đô.'), qPairs)).toBe(2);
  });
});
