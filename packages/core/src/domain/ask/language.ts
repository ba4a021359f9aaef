import type { Language } from '../../ports/llm';

// Letters only Vietnamese uses among Latin scripts (horn/breve vowels, đ, and the tone-marked vowels).
const VIETNAMESE_LETTERS = /[ăâđêôơưĂÂĐÊÔƠƯạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/u;
// Common function words of Vietnamese typed without diacritics ("thu do cua viet nam la gi").
const UNACCENTED_VIETNAMESE =
  /\b(la gi|cua|khong|nhu the nao|tai sao|bao nhieu|the nao|duoc|nhung|cac|trong|voi|cho toi|hay cho biet|la ai|o dau)\b/i;

/** The language an answer should use: Vietnamese when the text is, otherwise English. */
export function detectLanguage(text: string): Language {
  const nfc = text.normalize('NFC');
  if (VIETNAMESE_LETTERS.test(nfc)) return 'vi';
  return UNACCENTED_VIETNAMESE.test(nfc) ? 'vi' : 'en';
}
