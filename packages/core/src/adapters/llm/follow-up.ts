import type { Language, LlmTurn, StandaloneQuery } from '../../ports/llm';
import {
  anchorSpans,
  anchorTerms,
  detectLanguage,
  ellipticNames,
  ellipticPhrase,
  nameShape,
  hasDemonstrative,
  hasOuterReference,
  opensAsContinuation,
} from '../../domain/answering';
import { contentTerms, isStopWord, terms, tokens, type Token } from './text';

/**
 * A question with fewer topic words than this and no name of its own leans on the previous one
 * ("When?", "Which year?"); with two it may ask about anything ("Wie hoch ist der Eiffelturm?").
 */
const SHORT_TERMS = 2;
/** …and one with this many or fewer leans on it when it says "this" or "that". */
const DEMONSTRATIVE_TERMS = 4;

function lastUserTurn(history: LlmTurn[]): string | undefined {
  for (let i = history.length - 1; i >= 0; i--) {
    const turn = history[i];
    if (turn?.role === 'user' && turn.content.trim()) return turn.content;
  }
  return undefined;
}

/**
 * True when the question needs the history to be understood: it opens like a continuation ("And
 * 502?"), holds a pronoun whose antecedent is not in it, is nothing but a name ("IBM?"), or is short
 * and names nothing of its own ("Lãi suất?", "When did that happen?"). A question naming its own
 * subject is standalone however short ("What is Apache Tika?"): asked mid-chat, it must be searched
 * and answered as in a new chat.
 */
export function needsRewrite(question: string, history: LlmTurn[]): boolean {
  if (!lastUserTurn(history)) return false;
  const q = question.normalize('NFC');
  const language = detectLanguage(q);
  if (opensAsContinuation(q, language) || hasOuterReference(q, language)) return true;
  const names = anchorTerms(q, language);
  const words = tokens(q).filter((t) => !t.part);
  if (names.length) return words.filter((t) => !names.includes(t.term)).length < 2;
  const topicWords = contentTerms(q, language).length;
  if (topicWords < SHORT_TERMS) return true;
  return topicWords <= DEMONSTRATIVE_TERMS && hasDemonstrative(q, language);
}

/** The word just before `at` in `text`, folded ("to" of "And to Marseille?"); "" if none. */
function wordBefore(text: string, at: number): string {
  const before = tokens(text.slice(0, at)).filter((t) => !t.part);
  return before.at(-1)?.term ?? '';
}

/**
 * The previous question with the new one's names in place of the one name of their kind it holds,
 * or of the one after the word the follow-up repeats ("And to Marseille?" after "the fare from Paris
 * to Lyon" replaces "Lyon"; "Còn năm 2021 thì sao?" a year after "năm"). Null when unsure — several
 * candidates and no repeated word to choose, or only names the previous question already has ("What
 * about Lenovo?" after "IBM sold … to Lenovo") — so the follow-up carries the previous question's
 * terms instead.
 */
function substituteNames(prev: string, question: string, language: Language): string | null {
  const q = question.normalize('NFC');
  const repeated = new Set(tokens(prev).map((t) => t.term));
  const own = new Set(tokens(q).map((t) => t.term));
  // The words of a name the previous question has too are context: "IBM" of "Còn IBM năm 2021 thì
  // sao?", "Python" of "And Python 3.9?" (a name there, a sentence's first word before); what
  // replaces something is the rest. Likewise a previous name is matched without the new one's words.
  const names = (ellipticNames(q, language, repeated) ?? [])
    .map((n) => withoutWords(q, n, repeated))
    .filter((n) => !!n);
  const first = names[0];
  const last = names.at(-1);
  if (!first || !last) return null;
  const kind = nameShape(names.flatMap((n) => n.terms));
  let candidates = anchorSpans(prev, detectLanguage(prev))
    .map((g) => withoutWords(prev, g, own))
    .filter((g) => !!g && nameShape(g.terms) === kind) as Span[];
  // The word before the new name, when the previous question has it too, says which of its names
  // is replaced: "to" of "And to Marseille?", "năm" of "Còn năm 2021 thì sao?".
  const before = wordBefore(q, first.start);
  if (candidates.length > 1 && before && (isStopWord(before, language) || repeated.has(before)))
    candidates = candidates.filter((g) => wordBefore(prev, g.start) === before);
  const target = candidates.length === 1 ? candidates[0] : undefined;
  if (!target) return null;
  return `${prev.slice(0, target.start)}${q.slice(first.start, last.end)}${prev.slice(target.end)}`;
}

type Span = { terms: string[]; start: number; end: number };

/** A name of `text` without the words of `drop` at its edges; null when nothing else is left. */
function withoutWords(text: string, name: Span, drop: ReadonlySet<string>): Span | null {
  const inside = tokens(text).filter((t) => !t.part && t.start >= name.start && t.end <= name.end);
  let [from, to] = [0, inside.length];
  while (from < to && drop.has(inside[from]?.term ?? '')) from++;
  while (to > from && drop.has(inside[to - 1]?.term ?? '')) to--;
  const kept = inside.slice(from, to);
  const [head, tail] = [kept[0], kept.at(-1)];
  if (!head || !tail) return null;
  if (from === 0 && to === inside.length) return name;
  return {
    terms: name.terms.filter((t) => kept.some((k) => k.term === t)),
    start: head.start,
    end: tail.end,
  };
}

// The phrase's first words that find its place ("to", "đối với", "in the case of"); more would only
// make the search quadratic on long questions.
const LEAD_WORDS = 4;

// Articles say nothing of where a phrase belongs: "the" of "And the email?" may stand before any noun.
const ARTICLES = new Set(
  'the a an le la les l un une der die das den dem des ein eine einen el los las lo o os as um uma'.split(
    ' ',
  ),
);

/**
 * The previous question with the new one's phrase in place of its counterpart: where the previous
 * question has the phrase's first words ("to", "đối với"), through the topic words that follow
 * them there ("to quickly shed sleepiness" ← "to make up for lost sleep"). Only when those first
 * words are more than an article and stand at one place in it; otherwise null (unsure).
 */
function substitutePhrase(prev: string, question: string, language: Language): string | null {
  const phrase = ellipticPhrase(question, language);
  if (!phrase) return null;
  const prevLanguage = detectLanguage(prev);
  const stop = (t: Token | undefined) => !!t && isStopWord(t.surface, prevLanguage);
  const ts = tokens(prev).filter((t) => !t.part);
  const lead = tokens(phrase).filter((t) => !t.part);
  let at = -1;
  let shared = 0;
  let places = 0;
  for (let i = 0; i < ts.length; i++) {
    let k = 0;
    while (k < Math.min(lead.length - 1, LEAD_WORDS) && ts[i + k]?.term === lead[k]?.term) k++;
    const matched = ts.slice(i, i + k);
    if (!k || !matched.some(stop) || matched.every((t) => ARTICLES.has(t.term))) continue;
    if (k > shared) [at, shared, places] = [i, k, 1];
    else if (k === shared) places++;
  }
  const start = ts[at];
  if (!start || places > 1) return null;
  let j = at + shared;
  while (j < ts.length && stop(ts[j])) j++;
  while (j < ts.length && !stop(ts[j])) j++;
  const next = ts[j];
  const tail = next ? ` ${prev.slice(next.start)}` : prev.slice(ts.at(-1)?.end ?? prev.length);
  return `${prev.slice(0, start.start)}${phrase}${tail}`;
}

/** The previous question asked again with what the elliptic new one puts in (null if it is not). */
function substitute(previous: string, question: string, language: Language): string | null {
  const prev = previous.normalize('NFC');
  return substituteNames(prev, question, language) ?? substitutePhrase(prev, question, language);
}

/** The last user question, itself resolved when it was elliptic ("And 502?" → its full question). */
function previousQuestion(history: LlmTurn[]): string | undefined {
  let resolved: string | undefined;
  for (const turn of history) {
    if (turn.role !== 'user' || !turn.content.trim()) continue;
    const language = detectLanguage(turn.content);
    resolved = (resolved && substitute(resolved, turn.content, language)) || turn.content;
  }
  return resolved;
}

/**
 * An elliptic follow-up ("And 502?" after "What does the 403 status code mean?") as the previous
 * question asked about its new names ("What does the 502 status code mean?"): it asks the same thing,
 * so it is searched and answered as that question. Null for any other question, or when the previous
 * question names nothing of that kind.
 */
export function resolveEllipsis(question: string, history: LlmTurn[]): string | null {
  const previous = previousQuestion(history);
  return previous ? substitute(previous, question, detectLanguage(question)) : null;
}

/** How many of the previous question's other topic words a follow-up carries, after its names. */
const CARRIED_TOPIC_WORDS = 3;

/**
 * The model-free rewrite of a follow-up, resolved once per ask: an elliptic one is the previous
 * question restated (searched and answered as that question); any other is searched as the question,
 * then what it leaves implicit from the previous question: its names, numbers and identifiers
 * (anchors), then a few of its other topic words, so retrieval keeps the conversation's subject while
 * the new question's own words stay the focus. An anchor the new question replaces with one of the
 * same shape ("and what about 408?" after "404") is not carried. A standalone question is its own
 * query.
 */
export function standaloneQuery(question: string, history: LlmTurn[]): StandaloneQuery {
  // The cheap test first: resolving the history's questions detects each one's language.
  if (!needsRewrite(question, history)) return { query: question, question };
  const previous = previousQuestion(history);
  if (!previous) return { query: question, question };
  const resolved = substitute(previous, question, detectLanguage(question));
  if (resolved) return { query: resolved, question: resolved };
  return { query: withCarriedTerms(question, previous), question };
}

/** The search query of `standaloneQuery`. */
export const carryKeyTerms = (question: string, history: LlmTurn[]): string =>
  standaloneQuery(question, history).query;

function withCarriedTerms(question: string, previous: string): string {
  const language = detectLanguage(question);
  const own = new Set(terms(question));
  const ownAnchors = anchorTerms(question, language);
  // A number or identifier replaces the previous one; a name only in a bare "what about X?".
  const bare = contentTerms(question, language).filter((t) => !ownAnchors.includes(t)).length <= 1;
  const replaced = new Set(
    ownAnchors.map((t) => nameShape([t])).filter((k) => k !== 'name' || bare),
  );
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
      if (!replaced.has(nameShape([t.term]))) anchors.push(t.surface);
    } else topics.push(t.surface.toLowerCase()); // "Chức" of "Chức danh của …?" is no name
  }
  const carried = [...anchors, ...topics.slice(0, CARRIED_TOPIC_WORDS)];
  return carried.length ? `${question.trim()} ${carried.join(' ')}` : question;
}
