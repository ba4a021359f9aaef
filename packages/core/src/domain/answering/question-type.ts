/** What a question asks for, and whether a passage holds a span of that kind. */
import { detectLanguage } from './languages';
export type AnswerType =
  | 'person'
  | 'date'
  | 'duration'
  | 'length'
  | 'count'
  | 'amount'
  | 'place'
  | 'email'
  | 'id'
  | 'other';

// "How long is the cable?" asks for a length; "How long is the warranty?" for a time: a time word
// after "how long is/are the" makes it a duration, any other noun a length.
const HOW_LONG_IS =
  /\bhow long (?:is|are|was|were) (?:the |a |an |this |that |its |their )?([\p{L}\p{N}' -]+)/iu;
const TIME_NOUN =
  /\b(warranty|guarantee|period|trip|flight|journey|drive|ride|delivery|shipping|stay|course|program(?:me)?|process|wait|waiting|contract|term|lease|leave|trial|subscription|meeting|movie|film|show|break|vacation|holiday|session|semester|probation|life|lifetime|lifespan|lifecycle|duration|time|delay|interval|cycle|shift|visa|licen[cs]e|membership|notice|validity|battery life|shelf life|retention|timeout|ttl|deadline|window|wait time|commute|tour|event|game|match|class|lesson|lecture|interview|exam|test|surgery|treatment|recovery|pregnancy|season|year|month|week|day|hour|minute)s?\b/iu;

/** "How long is the cable?" → length; "How long is the warranty?" → null (a duration, as usual). */
function howLongLength(q: string): boolean {
  const noun = HOW_LONG_IS.exec(q)?.[1];
  return !!noun && !TIME_NOUN.test(noun);
}

// One pattern per answer type over the question's words, in every answer language.
const TYPES: [AnswerType, RegExp][] = [
  // Before amounts and counts: "¿Cuánto tiempo…?", "combien de temps" ask for a length of time.
  [
    'duration',
    // Japanese どのくらい is "how much" too: a duration only next to a word of time.
    /\b(how long|combien de temps|wie lange|cuánto tiempo|cuanto tiempo|quanto tempo)\b|bao lâu|как долго|сколько времени|多久|多长时间|(時間|期間|かか[りる]|何日|何年).*どのくらい|どのくらい.*(時間|期間|かか[りる])|얼마나 오래/iu,
  ],
  [
    'amount',
    /\b(how much|combien|wie viel|cuánto|cuanto|quanto)\b|bao nhiêu tiền|giá|сколько стоит|多少钱|いくら|(費用|値段|価格|料金|金額|コスト).*どのくらい|얼마/iu,
  ],
  [
    'count',
    /\b(how many|combien de|wie viele|cuántos|cuantos|quantos)\b|bao nhiêu|mấy|сколько|多少|いくつ|몇/iu,
  ],
  [
    'date',
    /\b(when|(?:what|which) (?:year|month|day|date)|quand|wann|cuándo|quando|en quelle année|in what year|quelle année|quel mois|quel jour|quelle date|qué año|que año|que ano|qué mes|qué día|qué fecha|que mês|que dia|que data|welchem jahr|welches jahr|welchem monat|welchem tag|welches datum)\b|в каком году|năm nào|ngày nào|khi nào|bao giờ|lúc nào|когда|什么时候|哪一年|いつ|언제/iu,
  ],
  ['person', /\b(who|whom|qui|wer|quién|quem)\b|\bai\b|là ai|кто|谁|誰|누가|누구/iu],
  ['place', /\b(where|où|wo|dónde|onde)\b|ở đâu|tại đâu|где|哪里|どこ|어디/iu],
  ['email', /\b(e-?mail|email address)\b|thư điện tử|электронн|почт|邮箱|メール|이메일/iu],
  [
    'id',
    /\b(number|code|id|version|url|email|address|function|method|função|método|fonction|méthode|funktion|methode|función)\b|mã|số hiệu|phiên bản|quyết định số|hàm nào|версия|номер|функци|метод|编号|版本|函数|関数|함수/iu,
  ],
];

// Words of a question that name the kind of answer ("which year", "email address", "phiên bản"):
// a passage holding a span of that kind answers them even when it never uses the word. Folded terms.
// "When / where did that happen?": the event verb only frames the question; the date or place is the
// answer and the passage tells the event in its own words ("was killed … in July, 1804").
const EVENT =
  'happen|happened|happens|occur|occurred|occurs|geschah|geschehen|passiert|ocurrio|sucedio|aconteceu|ocorreu';
const KIND_WORDS: Record<Exclude<AnswerType, 'other' | 'person'>, RegExp> = {
  length: /^(length|long|distance|km|metres?|meters?|miles?|dai|chieu)$/,
  duration:
    /^(time|duration|period|long|lau|thoi|gian|temps|duree|dauer|zeit|tiempo|duracion|tempo|duracao|время|срок|时间)$/,
  date: new RegExp(
    `^(year|years|date|day|month|annee|jahr|ano|год|nam|ngay|thang|时间|年|日期|${EVENT})$`,
  ),
  count: /^(number|nombre|anzahl|numero|число|so|luong|数量)$/,
  amount: /^(price|cost|amount|total|rate|prix|preis|precio|preco|цена|gia|tien|价格|金额)$/,
  place: new RegExp(
    `^(city|country|place|location|ville|pays|stadt|land|ciudad|pais|cidade|город|страна|pho|nuoc|tinh|城市|国家|${EVENT})$`,
  ),
  email: /^(email|e-mail|mail|address|thu|dien|tu|почта|邮箱)$/,
  id: /^(number|code|id|version|url|email|e-mail|mail|address|numero|номер|версия|ma|hieu|phien|ban|编号|版本|邮箱)$/,
};

/** True when `term` (folded) names the kind of answer `type` asks for. */
export function isKindWord(type: AnswerType, term: string): boolean {
  return type !== 'other' && type !== 'person' && KIND_WORDS[type].test(term);
}

// "What does 403 mean?", "Mã 403 có nghĩa là gì?": a meaning is a sentence, whatever word names the thing.
const MEANING =
  /\b(mean|means|meaning|signifie|signification|bedeutet|bedeutung|significa|significado)\b|nghĩa là|có nghĩa|ý nghĩa|означает|значит|意思|意味|뜻/iu;

// The Vietnamese question words typed without diacritics ("tu ngay nao", "la ai"), for a question
// written wholly without them (one with any diacritic uses the patterns above).
const UNACCENTED_TYPES: [AnswerType, RegExp][] = [
  ['duration', /\b(bao lau)\b/i],
  ['amount', /\b(bao nhieu tien|gia bao nhieu)\b/i],
  ['count', /\b(bao nhieu)\b/i],
  ['date', /\b(nam nao|ngay nao|thang nao|khi nao|bao gio|luc nao)\b/i],
  ['person', /\b(la ai|ai la)\b|^\s*ai\b/i],
  ['place', /\b(o dau|tai dau)\b/i],
];
const UNACCENTED_MEANING = /\b(nghia la gi|co nghia la)\b/i;

export function answerType(question: string): AnswerType {
  const q = question.normalize('NFC');
  if (MEANING.test(q)) return 'other';
  if (howLongLength(q)) return 'length';
  for (const [type, re] of TYPES) if (re.test(q)) return type;
  if (/[^\p{ASCII}]/u.test(q) || detectLanguage(q) !== 'vi' || UNACCENTED_MEANING.test(q))
    return 'other';
  for (const [type, re] of UNACCENTED_TYPES) if (re.test(q)) return type;
  return 'other';
}

// English month names are capitalised (or set in capitals): lower-case "may" is the verb ("it may
// have some issues"), "march" and "august" other words.
const MONTH =
  '(Jan(uary)?|Feb(ruary)?|Mar(ch)?|Apr(il)?|May|June?|July?|Aug(ust)?|Sep(t(ember)?)?|Oct(ober)?|Nov(ember)?|Dec(ember)?)';
const MONTHS = new RegExp(`\\b(${MONTH}|${MONTH.toUpperCase()})\\b`);
const SPANS: Record<Exclude<AnswerType, 'other'>, RegExp[]> = {
  date: [
    // Whole dates first: "ngày 24 tháng 02 năm 2021", "Jun 3, 2013", "3 June 2013".
    /(ngày\s+)?\d{1,2}\s+tháng\s+\d{1,2}(\s+năm\s+\d{4})?|tháng\s+\d{1,2}(\s+năm\s+\d{4})?/iu,
    new RegExp(`${MONTHS.source}\\.?\\s+\\d{1,2}(,?\\s+\\d{4})?`),
    new RegExp(`\\b\\d{1,2}\\s+${MONTHS.source}(\\s+\\d{4})?`),
    // A month and a year: "July, 1804", "March 2012".
    new RegExp(`${MONTHS.source},?\\s+\\d{4}\\b`),
    // A year, not inside an identifier ("33/2005/QH11" is no date).
    /(?<![\p{L}\p{N}/.-])(1[0-9]|20)\d\d(?![\p{L}\p{N}/-])/u,
    /\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b/,
    /\b\d{4}\/\d{1,2}\/\d{1,2}\b/,
    MONTHS,
  ],
  // A number, or a range of them, with a unit of time: "03 năm", "5 to 30 minutes", "90+ minutes".
  duration: [
    /(?<![\p{L}\p{N}])\d+([.,]\d+)?(\s*(-|–|to|đến|à|bis|a|até|до)\s*\d+)?\+?\s*(seconds?|minutes?|mins?|hours?|days?|weeks?|months?|years?|giây|phút|giờ|ngày|tuần|tháng|năm|secondes?|heures?|jours?|semaines?|mois|ans|années?|sekunden|minuten|stunden|tagen?|wochen|monaten?|jahren?|segundos?|minutos?|horas?|días?|dias?|semanas?|meses|años?|anos?|секунд\p{L}*|минут\p{L}*|час\p{L}*|дн\p{L}*|недел\p{L}*|месяц\p{L}*|лет|год\p{L}*)(?![\p{L}])/iu,
    /\d+\s*(秒|分钟|小时|天|周|个月|年)/u,
    /\d+\s*(時間|日間|週間|か月|ヶ月|カ月|年間|分|日|年|시간|개월|일|주|년|분|초)/u,
  ],
  // A number with a unit of length: "30 metres", "21,196 km".
  length: [
    /(?<![\p{L}\p{N}])\d{1,3}(?:[.,\s]\d{3})*(?:[.,]\d+)?\s*(?:km|cm|mm|m|metres?|meters?|kilometres?|kilometers?|miles?|feet|foot|ft|inches|yards?|mét|米|公里|千米)(?![\p{L}])/iu,
  ],
  count: [/\b\d+([.,]\d+)?\b/],
  amount: [
    /[€$£¥]\s?\d|\d\s?(%|€|\$|usd|eur|meur|đồng|vnd|dollars?|euros?)/iu,
    /\b\d{1,3}([.,]\d{3})+\b/,
  ],
  person: [/(?<![\p{L}\p{N}])\p{Lu}\p{Ll}+(\s+\p{Lu}[\p{Ll}.]*){1,3}(?![\p{L}\p{N}])/u],
  place: [/(?<![\p{L}\p{N}])\p{Lu}\p{Ll}+(,?\s+\p{Lu}\p{Ll}+)*(?![\p{L}\p{N}])/u],
  email: [/[\w.+-]+@[\w-]+(\.[\w-]+)+/u],
  id: [
    /(?<![\p{L}\p{N}])[\p{L}\d]+([-/.@][\p{L}\d]+)+/u,
    /\b\d{3,}\b/,
    /\b\p{Ll}+(\p{Lu}\p{Ll}*)+\b/u, // a function or method name: convertToHtml
  ],
};

const bare = (w: string) => w.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');

/** The text with the question's own words blanked out (same length, so offsets still match). */
function withoutQuestionWords(text: string, questionWords: Set<string>): string {
  return text
    .split(/(\s+)/)
    .map((w) => (questionWords.has(bare(w)) ? ' '.repeat(w.length) : w))
    .join('');
}

/** True when `text` holds a span of the asked type outside the words the question already used. */
export function hasSpan(type: AnswerType, text: string, questionWords: Set<string>): boolean {
  return findSpan(type, text, questionWords) !== null;
}

/**
 * The first span of the asked type outside the question's words ("1911", "€8.65", "Andreas Gal"):
 * what a span-first answer states before its supporting sentence. A count keeps the question's
 * noun after it ("19 research facilities").
 */
export function findSpan(
  type: AnswerType,
  text: string,
  questionWords: Set<string>,
): string | null {
  if (type === 'other') return null;
  // A section number opening the text ("10.4.5 404 Not Found") is no answer.
  const stripped = withoutQuestionWords(text, questionWords).replace(/^\d+(\.\d+)+\s/, (m) =>
    ' '.repeat(m.length),
  );
  let best: { index: number; end: number } | null = null;
  for (const re of SPANS[type]) {
    const m = re.exec(stripped);
    const end = m ? m.index + m[0].length : 0;
    // The earliest span, and of those starting together the longest ("Jun 3, 2013", not "Jun").
    if (m && (!best || m.index < best.index || (m.index === best.index && end > best.end)))
      best = { index: m.index, end };
  }
  if (!best) return null;
  let end = best.end;
  if (type === 'count') {
    const after = /^(\s+[\p{L}]+){1,3}/u.exec(text.slice(end))?.[0] ?? '';
    const words = after.split(/(?=\s)/);
    let k = 0;
    while (k < words.length && questionWords.has(bare(words[k] as string))) k++;
    end += words.slice(0, k).join('').length;
  }
  return text.slice(best.index, end).trim();
}

const DEFINITION =
  /\b(what (does|do|is|are)\b.*\bmean|meaning of|what is|what are|define|que signifie|qu['’]est-ce que|was (ist|bedeutet)|qué (es|significa)|o que (é|significa))\b|là gì|nghĩa là gì|có nghĩa|что (означает|такое)|是什么|什么是|意味|とは|무엇입니까|뜻/iu;

/** The question asks what something is or means ("What does 404 mean?", "biến là gì?"). */
export function asksDefinition(question: string): boolean {
  return DEFINITION.test(question.normalize('NFC'));
}
