import type { AnswerInput, Language, LlmSource, LlmTurn } from '../../ports/llm';
import { citation, LANGUAGE_NAME, notFoundSentence } from './citation';
import { bestWindow } from './source-window';
import { estimateTokens } from './text';

export type ChatMessage = { role: 'system' | 'user' | 'assistant'; content: string };

/** History beyond this many tokens is dropped, oldest first (the question and sources matter more). */
export const HISTORY_TOKEN_BUDGET = 1500;
/** Sources beyond this many tokens are dropped, lowest-ranked first. */
export const CONTEXT_TOKEN_BUDGET = 6000;
const PER_SOURCE_TOKENS = 1500;
/** Each source's label lines ("[3] Source: …", "Citation: …"). */
const SOURCE_OVERHEAD_TOKENS = 30;

/** The newest turns that fit in `budget` tokens, in their original order. */
export function capHistory(history: LlmTurn[], budget = HISTORY_TOKEN_BUDGET): LlmTurn[] {
  const kept: LlmTurn[] = [];
  let used = 0;
  for (let i = history.length - 1; i >= 0; i--) {
    const turn = history[i] as LlmTurn;
    const cost = estimateTokens(turn.content) + 4;
    if (used + cost > budget) break;
    used += cost;
    kept.unshift(turn);
  }
  return kept;
}

/**
 * The sources, numbered as cited. Each gets an equal share of the budget (at most
 * PER_SOURCE_TOKENS) and, when longer, its best-matching window for the query, so every source
 * fits instead of the first few long ones filling the budget.
 */
function renderSources(sources: LlmSource[], query: string, language: Language): string {
  const blocks: string[] = [];
  const share = Math.min(
    PER_SOURCE_TOKENS,
    Math.floor(CONTEXT_TOKEN_BUDGET / sources.length) - SOURCE_OVERHEAD_TOKENS,
  );
  let used = 0;
  sources.forEach((s, i) => {
    const content = bestWindow(s.content.trim(), query, share * 4);
    const cost = estimateTokens(content) + SOURCE_OVERHEAD_TOKENS;
    if (!content || used + cost > CONTEXT_TOKEN_BUDGET) return;
    used += cost;
    blocks.push(
      [
        `[${i + 1}] Source: ${s.filename}`,
        `Citation: ${citation(s, language)}`,
        s.section ? `Section: ${s.section}` : null,
        `Content:\n${content}`,
      ]
        .filter(Boolean)
        .join('\n'),
    );
  });
  return blocks.join('\n\n');
}

function systemPrompt(language: Language): string {
  return [
    "You are a careful assistant that answers questions from the user's own documents.",
    `Answer in ${LANGUAGE_NAME[language]}, the language of the question.`,
    'Use only the numbered documents you are given; never invent facts that are not in them.',
    'After every statement taken from a document, cite it exactly as its "Citation" line shows, e.g. ' +
      `"${citation({ filename: 'report.pdf', page: 3, pageLabel: null }, language)}" or "(file notes.md)"; ` +
      'cite each source once per statement, never the same citation twice in a row.',
    `If the documents do not contain the answer, say so plainly: "${notFoundSentence(language)}" ` +
      'If they contain only part of it, answer that part and say what is missing.',
    'Be concise and use Markdown (short paragraphs, lists, `##` headings when useful, SQL in ```sql fences).',
  ].join('\n');
}

/** The grounded chat: system rules, the capped history, then the sources and the question. */
export function buildAnswerMessages(input: AnswerInput): ChatMessage[] {
  const { question, query, sources, history, language } = input;
  const context = sources.length
    ? renderSources(sources, query, language)
    : '(no documents matched)';
  const standalone =
    query.trim() !== question.trim() ? `\n(Standalone form of the question: ${query})` : '';
  return [
    { role: 'system', content: systemPrompt(language) },
    ...capHistory(history).map((t) => ({ role: t.role, content: t.content })),
    { role: 'user', content: `Documents:\n\n${context}\n\nQuestion: ${question}${standalone}` },
  ];
}

function renderHistory(history: LlmTurn[], budget: number): string {
  return capHistory(history, budget)
    .map((t) => `${t.role === 'user' ? 'User' : 'Assistant'}: ${t.content}`)
    .join('\n');
}

export function buildRewriteMessages(question: string, history: LlmTurn[]): ChatMessage[] {
  return [
    {
      role: 'system',
      content:
        "Rewrite the user's last question as one standalone search query that can be understood without " +
        'the conversation: resolve pronouns and references from the history, keep technical terms and the ' +
        "question's language. Reply with the query only.",
    },
    {
      role: 'user',
      content: `Conversation:\n${renderHistory(history, 800)}\n\nLast question: ${question}`,
    },
  ];
}

export function buildQuestionListMessages(input: {
  task: string;
  language: Language;
  count: number;
  material: string;
}): ChatMessage[] {
  return [
    {
      role: 'system',
      content:
        `${input.task} Write exactly ${input.count} short questions in ${LANGUAGE_NAME[input.language]}, ` +
        'one per line, numbered "1. ", each ending with "?". No other text.',
    },
    { role: 'user', content: input.material },
  ];
}

export function renderMaterial(parts: {
  history?: LlmTurn[];
  sources?: LlmSource[];
  extra?: string;
}): string {
  const out: string[] = [];
  if (parts.history?.length) out.push(`Conversation:\n${renderHistory(parts.history, 1000)}`);
  if (parts.sources?.length) {
    const topics = parts.sources
      .slice(0, 5)
      .map(
        (s) =>
          `- ${s.section ? `${s.section}: ` : ''}${s.content.replace(/\s+/g, ' ').slice(0, 300)}`,
      );
    out.push(`Document excerpts:\n${topics.join('\n')}`);
  }
  if (parts.extra) out.push(parts.extra);
  return out.join('\n\n') || '(nothing yet)';
}

/** Questions from a numbered or bulleted list reply, cleaned. */
export function parseQuestionList(text: string): string[] {
  return text
    .split('\n')
    .map((l) =>
      l
        .replace(/^\s*(?:\d{1,2}[.)]|[-*•])\s*/, '')
        .replace(/^["“]|["”]$/g, '')
        .trim(),
    )
    .filter((l) => l.length > 3 && l.length <= 300);
}
