import type { Deps } from '../../ports/deps';
import type { Language, LlmSource, LlmTurn, SuggestInput } from '../../ports/llm';
import { detectLanguage, fillQuestions, toLlmSource } from '../ask';
import { toMessage } from '../conversations';
import { GENERIC_SUGGESTIONS } from './defaults';
import { documentSamples } from './document-samples';
import type { SuggestionResponse, SuggestionsQuery } from './schemas';

type SuggestDeps = Pick<
  Deps,
  'files' | 'conversations' | 'messages' | 'llm' | 'embedder' | 'vectorIndex' | 'log'
>;

/** Messages of the latest conversation the suggestions continue (the original used the last 10). */
const HISTORY_MESSAGES = 10;

async function generate(deps: SuggestDeps, input: SuggestInput): Promise<string[]> {
  try {
    return await deps.llm.suggestQuestions(input);
  } catch (err) {
    // Suggestions never fail the request: the defaults stand in (contract: "always N").
    deps.log.warn({ err }, 'suggestions fell back to defaults');
    return [];
  }
}

/**
 * Exactly `num_suggestions` questions: continuing the caller's latest conversation when there is one,
 * otherwise drawn from their own documents, then the generic defaults.
 */
export async function suggestQuestions(
  deps: SuggestDeps,
  userId: string,
  { num_suggestions: count }: SuggestionsQuery,
): Promise<SuggestionResponse> {
  const latest = await deps.conversations.latestWithMessages(userId);
  if (!latest) {
    const sources = await documentSamples(deps, userId).catch((err: unknown) => {
      deps.log.warn({ err }, 'document samples for suggestions failed');
      return [] as LlmSource[];
    });
    const language: Language = sources.length
      ? detectLanguage(
          sources
            .map((s) => s.content)
            .join(' ')
            .slice(0, 2000),
        )
      : 'vi';
    const generated = sources.length
      ? await generate(deps, { history: [], sources, language, count })
      : [];
    return {
      suggestions: fillQuestions(count, [generated, GENERIC_SUGGESTIONS]),
      conversation_id: null,
      from_history: false,
    };
  }

  const messages = (await deps.messages.list(userId, latest.id, { limit: HISTORY_MESSAGES })).map(
    toMessage,
  );
  const history: LlmTurn[] = messages
    .filter((m) => m.content.trim())
    .map((m) => ({ role: m.role, content: m.content }));
  const asked = messages.filter((m) => m.role === 'user').map((m) => m.content);
  const lastQuestion = asked.at(-1) ?? '';
  const sources = messages
    .filter((m) => m.role === 'assistant')
    .flatMap((m) => m.sources ?? [])
    .slice(-8)
    .map(toLlmSource);
  const language = detectLanguage(lastQuestion);
  const generated = await generate(deps, { history, sources, language, count });
  return {
    suggestions: fillQuestions(count, [generated, GENERIC_SUGGESTIONS], asked),
    conversation_id: latest.id,
    from_history: true,
  };
}
