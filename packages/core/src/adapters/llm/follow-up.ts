import type { LlmTurn } from '../../ports/llm';
import { anchorTerms, detectLanguage } from '../../domain/answering';
import { contentTerms, isStopWord, terms, tokens } from './text';

// Words that point back at an earlier turn ("what about its size?", "còn nó thì sao?").
const PRONOUN_EN = /\b(it|its|they|them|their|he|she|his|her|him)\b/i;
// …but "and what" in mid-question joins a second question of its own ("When was X hired, and what is…?").
const OPENER_EN = /^\W*(what about|how about|and what)\b/i;
const PRONOUN_VI = /(^|[\s,])(nó|ấy|họ|thì sao|thế còn)(?=$|[\s,?.!])/iu;
// Demonstratives refer back only in a short question: "this law" in a long one names its own subject.
const DEMONSTRATIVE =
  /\b(this|these|those|that)\b|(^|[\s,])(này|đó|kia|như vậy|điều đó|cái đó)(?=$|[\s,?.!])/iu;
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
  const q = question.normalize('NFC');
  const topicWords = contentTerms(q).length;
  if (topicWords < STANDALONE_TERMS - 1) return true;
  if (PRONOUN_EN.test(q) || OPENER_EN.test(q) || PRONOUN_VI.test(q)) return true;
  return topicWords <= STANDALONE_TERMS && DEMONSTRATIVE.test(q);
}

/** How many of the previous question's other topic words a follow-up carries, after its names. */
const CARRIED_TOPIC_WORDS = 3;

const shape = (term: string) => (/^\d+$/.test(term) ? 'number' : /\d/.test(term) ? 'id' : 'name');

/**
 * The model-free rewrite: the question, then what it leaves implicit from the previous question:
 * its names, numbers and identifiers (anchors), then a few of its other topic words, so retrieval
 * keeps the conversation's subject while the new question's own words stay the focus. An anchor
 * the new question replaces with one of the same shape ("and what about 408?" after "404") is not
 * carried.
 */
export function carryKeyTerms(question: string, history: LlmTurn[]): string {
  const previous = lastUserTurn(history);
  if (!previous || !needsRewrite(question, history)) return question;
  const language = detectLanguage(question);
  const own = new Set(terms(question));
  const ownAnchors = anchorTerms(question, language);
  // A number or identifier replaces the previous one; a name only in a bare "what about X?".
  const bare = contentTerms(question, language).filter((t) => !ownAnchors.includes(t)).length <= 1;
  const replaced = new Set(ownAnchors.map(shape).filter((k) => k !== 'name' || bare));
  const prevLanguage = detectLanguage(previous);
  const prevAnchors = new Set(anchorTerms(previous, prevLanguage));
  const anchors: string[] = [];
  const topics: string[] = [];
  const seen = new Set<string>();
  let end = 0;
  for (const t of tokens(previous)) {
    if (t.start < end) continue; // a part of an identifier already seen ("js" of "PDF.js")
    end = t.end;
    if (isStopWord(t.surface, prevLanguage) || own.has(t.term) || seen.has(t.term)) continue;
    seen.add(t.term);
    if (prevAnchors.has(t.term)) {
      if (!replaced.has(shape(t.term))) anchors.push(t.surface);
    } else topics.push(t.surface);
  }
  const carried = [...anchors, ...topics.slice(0, CARRIED_TOPIC_WORDS)];
  return carried.length ? `${question.trim()} ${carried.join(' ')}` : question;
}
