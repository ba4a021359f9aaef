import { setImmediate as nextTick } from 'node:timers/promises';

import type { Llm, LlmSource } from '../../ports/llm';
import { composeExtractiveAnswer } from './extractive-answer';
import { standaloneQuery } from './follow-up';
import { headings, keyPhrases, questionsAbout } from './topics';

/** Splits text into small pieces (a few words each, whitespace kept) so it streams like a model. */
/** The port is async; computing in the executor turns a throw into a rejection, as `async` would. */
const computed = <T>(compute: () => T): Promise<T> => new Promise((resolve) => resolve(compute()));

export function* textPieces(text: string, wordsPerPiece = 4): Generator<string> {
  const words = text.match(/\S+\s*/g) ?? [];
  for (let i = 0; i < words.length; i += wordsPerPiece)
    yield words.slice(i, i + wordsPerPiece).join('');
}

function topicsOf(sources: LlmSource[], exclude: string, count: number) {
  return { headings: headings(sources, exclude), phrases: keyPhrases(sources, exclude, count * 2) };
}

/**
 * The embedded default: answers with the documents' own best-matching sentences, cited, and builds
 * follow-ups from the sources' headings and key phrases. Deterministic and needs no model.
 */
export function createExtractiveLlm(): Llm {
  return {
    name: 'extractive',
    async *streamAnswer({ question, standalone, query, sources, language, signal }) {
      // "And 502?" asks the previous question again: its kind ("what does … mean?") is the answer's.
      const asked = standalone ?? question;
      const answer = composeExtractiveAnswer({ question: asked, query, sources, language });
      for (const piece of textPieces(answer)) {
        if (signal?.aborted) return;
        yield piece;
        // Let socket events (a disconnect) run between pieces so an abort is seen promptly.
        await nextTick();
      }
    },
    rewriteQuery: ({ question, history }) => computed(() => standaloneQuery(question, history)),
    relatedQuestions: ({ question, sources, language, count }) =>
      computed(() => questionsAbout(topicsOf(sources, question, count), language, count)),
    suggestQuestions: ({ history, sources, language, count }) =>
      computed(() => {
        const recent = history
          .filter((t) => t.role === 'user')
          .map((t) => t.content)
          .join(' ');
        return questionsAbout(topicsOf(sources, recent, count), language, count);
      }),
    // Without a model the automatic title and the parser's SQL analysis stand alone.
    conversationTitle: () => Promise.resolve(null),
    reviewSql: () => Promise.resolve(null),
  };
}
