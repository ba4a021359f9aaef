/** What a question asks for, and whether a passage holds a span of that kind. */
export type AnswerType = 'person' | 'date' | 'count' | 'amount' | 'place' | 'id' | 'other';

// One pattern per answer type over the question's words, in every answer language.
const TYPES: [AnswerType, RegExp][] = [
  [
    'amount',
    /\b(how much|combien|wie viel|cuánto|cuanto|quanto)\b|bao nhiêu tiền|giá|сколько стоит|多少钱|いくら|얼마/iu,
  ],
  [
    'count',
    /\b(how many|combien de|wie viele|cuántos|cuantos|quantos)\b|bao nhiêu|mấy|сколько|多少|いくつ|몇/iu,
  ],
  [
    'date',
    /\b(when|what year|which year|quand|wann|cuándo|quando|en quelle année|in what year)\b|năm nào|ngày nào|khi nào|bao giờ|lúc nào|когда|什么时候|哪一年|いつ|언제/iu,
  ],
  ['person', /\b(who|whom|qui|wer|quién|quem)\b|\bai\b|là ai|кто|谁|誰|누가|누구/iu],
  ['place', /\b(where|où|wo|dónde|onde)\b|ở đâu|tại đâu|где|哪里|どこ|어디/iu],
  [
    'id',
    /\b(number|code|id|version|url|email|address)\b|mã|số hiệu|phiên bản|quyết định số|версия|номер|编号|版本/iu,
  ],
];

export function answerType(question: string): AnswerType {
  const q = question.normalize('NFC');
  for (const [type, re] of TYPES) if (re.test(q)) return type;
  return 'other';
}

const MONTHS =
  /\b(jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sep(t(ember)?)?|oct(ober)?|nov(ember)?|dec(ember)?)\b/i;
const SPANS: Record<Exclude<AnswerType, 'other'>, RegExp[]> = {
  date: [
    /\b(1[0-9]|20)\d\d\b/,
    /\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b/,
    /\b\d{4}\/\d{1,2}\/\d{1,2}\b/,
    /tháng \d{1,2}/iu,
    MONTHS,
  ],
  count: [/\b\d+([.,]\d+)?\b/],
  amount: [
    /[€$£¥]\s?\d|\d\s?(%|€|\$|usd|eur|meur|đồng|vnd|dollars?|euros?)/iu,
    /\b\d{1,3}([.,]\d{3})+\b/,
  ],
  person: [/(?<![\p{L}\p{N}])\p{Lu}\p{Ll}+(\s+\p{Lu}[\p{Ll}.]*){1,3}(?![\p{L}\p{N}])/u],
  place: [/(?<![\p{L}\p{N}])\p{Lu}\p{Ll}+(,?\s+\p{Lu}\p{Ll}+)*(?![\p{L}\p{N}])/u],
  id: [/[\p{L}\d]+[-/.@][\p{L}\d]+/u, /\b\d{3,}\b/],
};

/** True when `text` holds a span of the asked type outside the words the question already used. */
export function hasSpan(type: AnswerType, text: string, questionWords: Set<string>): boolean {
  if (type === 'other') return false;
  const stripped = text
    .split(/(\s+)/)
    .map((w) => (questionWords.has(w.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '')) ? ' ' : w))
    .join('');
  return SPANS[type].some((re) => re.test(stripped));
}
