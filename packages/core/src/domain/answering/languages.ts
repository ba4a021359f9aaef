import { detect } from '../../lib/language-detector';
import { createRecentCache } from '../../lib/recent-cache';

/** Languages answers are written in; the first two are the contract's, the rest follow the question. */
export const LANGUAGES = ['vi', 'en', 'fr', 'de', 'es', 'pt', 'ru', 'zh', 'ja', 'ko'] as const;
export type Language = (typeof LANGUAGES)[number];

// Letters only Vietnamese uses among Latin scripts (horn/breve vowels, đ, and the tone-marked vowels).
const VIETNAMESE_LETTERS = /[ăâđêôơưĂÂĐÊÔƠƯạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/u;
// Common function words of Vietnamese typed without diacritics ("thu do cua viet nam la gi").
const UNACCENTED_VIETNAMESE =
  /\b(la gi|cua|khong|nhu the nao|tai sao|bao nhieu|the nao|duoc|nhung|cac|trong|voi|cho toi|hay cho biet|la ai|o dau|nam nao|ngay nao|thang nao|bao lau|bao gio|luc nao)\b/i;

// Vietnamese words whose only marks French, Spanish or Portuguese letters have too ("Còn 404 thì
// sao?", "Nó là gì?"): no other answer language writes them, and short follow-ups are often nothing else.
const VIETNAMESE_WORDS = /(?<!\p{L})(còn|thì|gì|nó|nào|có|vì|mà)(?!\p{L})/iu;

// Capitalised words: names, which keep their Vietnamese letters in any language ("Nguyễn Thị L").
const CAPITALISED = /(?<!\p{L})\p{Lu}\p{L}*/gu;
const ENGLISH_FUNCTION_WORDS =
  /\b(the|what|who|whom|how|when|where|which|why|is|are|was|were|did|does|do|of|in|to|for)\b/i;

/**
 * Vietnamese letters outside names, or Vietnamese letters or words (in names, or capitalised: "Còn")
 * in a question with no English function word.
 */
function isVietnamese(nfc: string): boolean {
  if (VIETNAMESE_LETTERS.test(nfc.replace(CAPITALISED, ''))) return true;
  if (VIETNAMESE_LETTERS.test(nfc) || VIETNAMESE_WORDS.test(nfc))
    return !ENGLISH_FUNCTION_WORDS.test(nfc);
  return UNACCENTED_VIETNAMESE.test(nfc);
}

/**
 * The language of a question: Vietnamese by its letters or unaccented function words (detectors
 * miss "thu do la gi"), else tinyld (measured: 90/90 of the QA questions, ~0.3 ms each; franc-min
 * 74/90), limited to the languages answers are written in; English otherwise.
 */
export function detectLanguage(text: string): Language {
  // An ask detects its question's language several times (the stream, the rewrite, the answerer).
  return text.length <= REMEMBERED_LENGTH
    ? recentLanguages(text, detectUncached)
    : detectUncached(text);
}

const REMEMBERED_LENGTH = 2_000;
const recentLanguages = createRecentCache<string, Language>(1_000);

function detectUncached(text: string): Language {
  const nfc = text.normalize('NFC');
  if (isVietnamese(nfc)) return 'vi';
  if (/[\p{Script=Hangul}]/u.test(nfc)) return 'ko';
  if (/[\p{Script=Hiragana}\p{Script=Katakana}]/u.test(nfc)) return 'ja';
  if (/\p{Script=Han}/u.test(nfc)) return 'zh';
  if (/\p{Script=Cyrillic}/u.test(nfc)) return 'ru';
  const found = detect(nfc, { only: ['en', 'fr', 'de', 'es', 'pt'] });
  return (LANGUAGES as readonly string[]).includes(found) ? (found as Language) : 'en';
}
