import type { Language, LlmSource } from '../../ports/llm';
import { isStopWord, terms, tokens, type Token } from './text';
import { createRecentCache } from '../../lib/recent-cache';

/** Sections of the sources in rank order, without repeats or the ones the question already names. */
export function headings(sources: LlmSource[], exclude: string): string[] {
  const asked = new Set(terms(exclude));
  const seen = new Set<string>();
  const out: string[] = [];
  for (const s of sources) {
    const h = s.section
      ?.replace(/^#+\s*/, '')
      .replace(/\s+/g, ' ')
      .trim();
    if (!h || h.length < 3 || h.length > 80) continue;
    const key = terms(h).join(' ');
    if (!key || seen.has(key)) continue;
    seen.add(key);
    if (terms(h).every((t) => asked.has(t))) continue;
    out.push(h);
  }
  return out;
}

/** One passage's candidate phrases, counted, in order of first occurrence. */
type PassagePhrase = { key: string; surface: string; size: number; count: number };

/**
 * The phrases of recently seen passages: follow-ups are built from the sources of every answer, and
 * the same passages come back question after question (50 asks at once share one event loop). A
 * passage's list is ~300 phrases, tens of KB: a few hundred passages stay within ~10 MB.
 */
const passagePhrases = createRecentCache<string, PassagePhrase[]>(256);

const phrasesOf = (content: string): PassagePhrase[] => passagePhrases(content, cutPhrases);

function cutPhrases(content: string): PassagePhrase[] {
  const byKey = new Map<string, PassagePhrase>();
  const ts = tokens(content);
  for (let i = 0; i < ts.length; i++) {
    for (let size = 1; size <= 3 && i + size <= ts.length; size++) {
      const run = ts.slice(i, i + size);
      if (!isPhrase(run, content)) break;
      const key = run.map((t) => t.term).join(' ');
      const hit = byKey.get(key);
      if (hit) hit.count++;
      else byKey.set(key, { key, surface: run.map((t) => t.surface).join(' '), size, count: 1 });
    }
  }
  return [...byKey.values()];
}

/**
 * Frequent phrases of 1–3 topic words inside a sentence (never across punctuation), multi-word ones
 * preferred, keeping the spelling of their first occurrence. Phrases fully named by `exclude` are skipped.
 */
export function keyPhrases(sources: LlmSource[], exclude: string, max: number): string[] {
  const asked = new Set(terms(exclude));
  const counts = new Map<string, { surface: string; count: number; size: number; first: number }>();
  let order = 0;
  for (const s of sources) {
    for (const p of phrasesOf(s.content)) {
      const hit = counts.get(p.key);
      if (hit) hit.count += p.count;
      else counts.set(p.key, { surface: p.surface, count: p.count, size: p.size, first: order++ });
    }
  }
  const ranked = [...counts.entries()]
    .filter(([key, v]) => !key.split(' ').every((t) => asked.has(t)) && isTopic(v))
    .sort(
      ([, a], [, b]) => b.count * weight(b.size) - a.count * weight(a.size) || a.first - b.first,
    );
  const out: string[] = [];
  const chosenKeys: string[] = [];
  for (const [key, v] of ranked) {
    if (out.length >= max) break;
    if (chosenKeys.some((k) => k.includes(key) || key.includes(k))) continue;
    chosenKeys.push(key);
    out.push(v.surface);
  }
  return out;
}

/**
 * Multi-word phrases, or single words that look like names or terms (capitals, digits, code-ish) and
 * recur: a lone common word ("company") makes a vague question.
 */
function isTopic(v: { surface: string; count: number; size: number }): boolean {
  if (v.size > 1) return true;
  return v.count > 1 && v.surface.length > 2 && /[\p{Lu}\d_]/u.test(v.surface);
}

function weight(size: number): number {
  return size === 1 ? 1 : size === 2 ? 1.8 : 2;
}

function isPhrase(run: Token[], text: string): boolean {
  for (let k = 0; k < run.length; k++) {
    const t = run[k] as Token;
    if (isStopWord(t.surface) || /^\d+$/.test(t.term)) return false;
    const next = run[k + 1];
    if (next && !/^\s+$/.test(text.slice(t.end, next.start))) return false;
  }
  return true;
}

const TEMPLATES: Record<
  'vi' | 'en',
  { heading: ((h: string) => string)[]; phrase: ((p: string) => string)[] }
> = {
  vi: {
    heading: [
      (h) => `Phần "${h}" trình bày những nội dung chính nào?`,
      (h) => `Bạn có thể tóm tắt phần "${h}" không?`,
    ],
    phrase: [
      (p) => `Tài liệu nói gì về ${p}?`,
      (p) => `${p} là gì?`,
      (p) => `Bạn có thể giải thích chi tiết hơn về ${p} không?`,
    ],
  },
  en: {
    heading: [
      (h) => `What does the section "${h}" cover?`,
      (h) => `Can you summarise the section "${h}"?`,
    ],
    phrase: [
      (p) => `What do the documents say about ${p}?`,
      (p) => `What is ${p}?`,
      (p) => `Can you explain ${p} in more detail?`,
    ],
  },
};

const capitalise = (q: string) => q.charAt(0).toUpperCase() + q.slice(1);

/** Questions about the given topics in `language`, alternating headings and phrases, no repeats. */
export function questionsAbout(
  topics: { headings: string[]; phrases: string[] },
  language: Language,
  count: number,
): string[] {
  // Follow-up templates exist in the contract's two languages; other questions get the English ones.
  const t = TEMPLATES[language === 'vi' ? 'vi' : 'en'];
  const out: string[] = [];
  const hs = [...topics.headings];
  const ps = [...topics.phrases];
  let i = 0;
  while (out.length < count && (hs.length || ps.length)) {
    const useHeading = hs.length > 0 && (i % 2 === 0 || ps.length === 0);
    const topic = (useHeading ? hs.shift() : ps.shift()) as string;
    const forms = useHeading ? t.heading : t.phrase;
    const q = capitalise((forms[i % forms.length] as (x: string) => string)(topic));
    if (!out.includes(q)) out.push(q);
    i++;
  }
  return out;
}
