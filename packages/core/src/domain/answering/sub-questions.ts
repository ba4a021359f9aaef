import { anchorSpans } from './anchors';
import type { Language } from './languages';

const L = '(?<![\\p{L}\\p{N}])';
const R = '(?![\\p{L}\\p{N}])';
// "and" between two questions, in each answer language (English too: questions quote it anywhere).
const AND: Record<Language, string> = {
  en: 'and',
  vi: 'và|va',
  fr: 'et',
  de: 'und',
  es: 'y',
  pt: 'e',
  ru: 'и',
  zh: '和|以及|并且',
  ja: 'そして|また',
  ko: '그리고',
};
// A word that makes a clause a question of its own.
export const ASKS = new RegExp(
  `${L}(who|whom|whose|what|when|where|which|why|how|qui|que|quel|quelle|quand|où|comment|combien|wer|was|wann|wo|wie|welche[rsn]?|quién|qué|cuándo|dónde|cuánto|quem|qual|quando|onde|quanto|кто|что|когда|где|какой|сколько|ai|gì|nào|đâu|bao nhiêu|bao lâu|bao giờ|mấy|khi nào|tại sao|vì sao|thế nào)${R}|谁|什么|哪|多少|いつ|どこ|何|누가|무엇|언제|어디`,
  'iu',
);

/**
 * Two names sharing one question ("Án lệ 43/2021/AL và án lệ 26/2018/AL được thông qua ngày nào?")
 * as one question per name; null when the sides are not
 * two names around the same predicate.
 */
function perSubject(
  text: string,
  at: number,
  length: number,
  language: Language,
): [string, string] | null {
  const left = text.slice(0, at).trimEnd();
  const right = text.slice(at + length);
  const spans = anchorSpans(text, language);
  const lastLeft = spans.filter((g) => g.end <= at).at(-1);
  const first = spans.find((g) => g.start >= at + length);
  if (!lastLeft || !first) return null;
  const firstRight = { start: first.start - at - length, end: first.end - at - length };
  // The subject first, then what is asked about it: the right side's predicate serves both names.
  // ("Which command installs React and React DOM?" asks one thing about two names: kept whole.)
  if (!ASKS.test(left) && right.search(ASKS) > firstRight.end)
    return [`${left}${right.slice(firstRight.end)}`, right];
  return null;
}

/**
 * A question asking two things ("Who launched PDF.js, and who wrote the Bitcoin paper?") as its
 * parts, each answered on its own; a question asking one thing, whole. A part is split off only
 * when both sides ask something, so "Tom and Jerry: who wrote it?" stays one question, or when two
 * names share one question (then it is asked once per name).
 */
export function subQuestions(question: string, language: Language): string[] {
  const words = language === 'en' ? AND.en : `${AND[language]}|${AND.en}`;
  const and = new RegExp(`\\s*,?\\s*${L}(?:${words})${R}\\s*`, 'giu');
  const parts: string[] = [];
  let rest = question.trim();
  for (let guard = 0; guard < 3; guard++) {
    let split: [string, string] | null = null;
    for (const m of rest.matchAll(and)) {
      const left = rest.slice(0, m.index).trim();
      const right = rest.slice(m.index + m[0].length).trim();
      if (ASKS.test(left) && ASKS.test(right) && left.length > 8 && right.length > 8) {
        split = [left, right];
        break;
      }
      const both = perSubject(rest, m.index, m[0].length, language);
      if (both) {
        parts.push(...both);
        return parts;
      }
    }
    if (!split) break;
    parts.push(split[0]);
    rest = split[1];
  }
  parts.push(rest);
  return parts;
}
