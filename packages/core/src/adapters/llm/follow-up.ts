import type { LlmTurn } from '../../ports/llm';
import { contentTerms, isStopWord, terms, tokens } from './text';

// Words that point back at an earlier turn ("what about its size?", "còn nó thì sao?").
const ANAPHORA_EN =
  /\b(it|its|this|these|those|they|them|their|he|she|his|her|him|what about|how about|and what)\b/i;
const ANAPHORA_VI =
  /(^|[\s,])(nó|này|đó|ấy|kia|họ|thì sao|thế còn|như vậy|điều đó|cái đó)(?=$|[\s,?.!])/iu;
/** A question with this many topic words or more usually names its own subject. */
const STANDALONE_TERMS = 4;

function lastUserTurn(history: LlmTurn[]): string | undefined {
  for (let i = history.length - 1; i >= 0; i--) {
    const turn = history[i];
    if (turn?.role === 'user' && turn.content.trim()) return turn.content;
  }
  return undefined;
}

/** True when the question needs the history to be understood (short, or refers back). */
export function needsRewrite(question: string, history: LlmTurn[]): boolean {
  if (!lastUserTurn(history)) return false;
  if (contentTerms(question).length < STANDALONE_TERMS - 1) return true;
  return ANAPHORA_EN.test(question) || ANAPHORA_VI.test(question.normalize('NFC'));
}

/**
 * The model-free rewrite: the question plus the previous question's key terms it does not already
 * mention, so retrieval keeps the topic of the conversation.
 */
export function carryKeyTerms(question: string, history: LlmTurn[]): string {
  const previous = lastUserTurn(history);
  if (!previous || !needsRewrite(question, history)) return question;
  const own = new Set(terms(question));
  const carried: string[] = [];
  const seen = new Set<string>();
  for (const t of tokens(previous)) {
    if (isStopWord(t.surface) || own.has(t.term) || seen.has(t.term)) continue;
    seen.add(t.term);
    carried.push(t.surface);
  }
  return carried.length ? `${question.trim()} ${carried.slice(0, 8).join(' ')}` : question;
}
