import type { Language } from '../../ports/llm';

/** The original's fallback follow-ups (Vietnamese) and their English counterparts (all other languages). */
export const fallbackRelated = (language: Language): string[] =>
  FALLBACK_RELATED[language === 'vi' ? 'vi' : 'en'];

export const FALLBACK_RELATED: Record<'vi' | 'en', string[]> = {
  vi: [
    'Bạn muốn tìm hiểu thêm điều gì về chủ đề này?',
    'Bạn có thắc mắc nào khác liên quan đến nội dung này không?',
    'Bạn có muốn biết thêm thông tin về ứng dụng thực tế của kiến thức này không?',
  ],
  en: [
    'What else would you like to know about this topic?',
    'Do you have any other questions about this content?',
    'Would you like to know more about how this is applied in practice?',
  ],
};

const normalise = (q: string) => q.normalize('NFC').toLowerCase().replace(/\s+/g, ' ').trim();

/**
 * Exactly `count` distinct questions: the candidate lists in order of preference, skipping ones already
 * taken or in `exclude` (e.g. questions already asked). The last list (the fixed defaults) must hold
 * `count` questions; if exclusions left the result short it is topped up from that list regardless.
 */
export function fillQuestions(count: number, lists: string[][], exclude: string[] = []): string[] {
  const excluded = new Set(exclude.map(normalise));
  const taken = new Set<string>();
  const out: string[] = [];
  const take = (q: string, honourExclude: boolean) => {
    const key = normalise(q);
    if (out.length >= count || !key || taken.has(key) || (honourExclude && excluded.has(key)))
      return;
    taken.add(key);
    out.push(q.trim());
  };
  for (const list of lists) for (const q of list) take(q, true);
  for (const q of lists.at(-1) ?? []) take(q, false);
  return out;
}
