import { anchorSpans } from './anchors';
import type { Language } from './languages';
import { tokens, type Token } from './segment';
import { ASKS } from './sub-questions';
import { isStopWord } from './stop-words';

// The signs that a question leans on the conversation for its subject, in every answer language:
// it opens like a continuation ("And 502?", "Còn X thì sao?"), or holds a pronoun or possessive
// whose antecedent is not in the question itself. A question naming its own subject without them
// is standalone however short it is ("What is Apache Tika?").

const L = '(?<![\\p{L}\\p{N}])';
const R = '(?![\\p{L}\\p{N}])';
const word = (alternatives: string) => new RegExp(`${L}(?:${alternatives})${R}`, 'iu');
// An opener is a word of its own: a space or comma follows it, or it ends the question ("And?"),
// so "E-mail do suporte?" does not open with Portuguese "e".
const opening = (alternatives: string) =>
  new RegExp(`^[\\s¿¡"“'(]*(?:${alternatives})(?=[\\s,，]|[?？!.]*\\s*$)`, 'iu');

/** A continuation opening the question: "and …", "what about …", "còn …". */
const OPENERS: Record<Language, RegExp> = {
  en: opening('and what about|and how about|what about|how about|and|also'),
  // "Còn" is also "remaining" / "still": "Còn bao nhiêu ngày nữa…?", "Còn lại …", "Còn hiệu lực …?".
  vi: opening(
    'thế còn|vậy còn|còn(?!\\s+(?:bao nhiêu|bao lâu|lại|hiệu lực|hạn|mấy|nữa|không))|và|vậy',
  ),
  // Longer alternatives first: the first that matches wins.
  fr: opening("et pour|et|qu[’']en est-il|aussi"),
  de: opening('und was ist mit|was ist mit|wie steht es mit|und|auch'),
  es: opening('y qué hay de|qué hay de|qué tal|y|también'),
  pt: opening('e quanto a|e quanto|e o|e a|e|também'),
  ru: opening('а как насчёт|а как насчет|а как|а что|а|и'),
  zh: /^\s*(?:那么|那|还有|另外|而)/u,
  ja: /^\s*(?:では|じゃあ|それでは|それから|また)/u,
  ko: /^\s*(?:그럼|그러면|그리고|그렇다면)/u,
};

// "thì sao" / "what about it" anywhere ends an elliptic question ("Động sản thì sao?").
const ELLIPSIS = /(^|[\s,])(thì sao|thi sao|thế nào rồi)(?=$|[\s,?.!])/iu;

const IMPERSONAL =
  "(?:\\s+(?:is|was|be|been|'s))?\\s+(?:(?:possible|impossible|necessary|true|false|required|allowed|" +
  'permitted|forbidden|prohibited|important|mandatory|legal|illegal|safe|advisable|recommended|better|' +
  'best|worth|easy|hard|difficult|likely|stated|said|written|mentioned|specified|known|clear|enough|ok|' +
  "okay)\\s+(?:to|that|for|if|whether)|(?:take|takes|took|cost|costs)(?:\\s+[\\p{L}']+){0,2}\\s+to)\\s";

type Pronouns = { personal: RegExp; possessive: RegExp };
const none = /$^/u;

/**
 * Personal pronouns (the subject or object that lies elsewhere) and possessives ("its", "son"),
 * which may point at a name earlier in the same clause ("When did IBM sell its PC division?").
 * Impersonal and ambiguous forms stay out: French "il y a", German "es", Chinese "其他".
 */
const PRONOUNS: Record<Language, Pronouns> = {
  // "it" is impersonal only before a closed list of predicates: "Is it possible to …?", "How long does
  // it take to …?", "Where is it stated that …?" — not "When was it sold to …?".
  en: {
    personal: word(`it(?!${IMPERSONAL})|they|them|he|she|him`),
    possessive: word('its|their|his|her'),
  },
  vi: {
    personal: word('nó|chúng nó|họ(?! (?:và )?tên)|(?:ông|bà|anh|cô|chị|em) (?:ấy|ta)'),
    possessive: word('của nó|của họ'),
  },
  fr: {
    personal: word(
      "(?<!y a-t-|faut-|s’|s'|agit-|existe-t-|reste-t-)il(?! (?:y|faut|s’agit|s'agit))|elle|ils|elles|lui|eux",
    ),
    possessive: word('son|sa|ses|leur|leurs'),
  },
  // Case kept: "Sie" is the polite "you", "sie" she or they.
  de: {
    personal: new RegExp(`${L}(?:er|ihn|ihm|sie)${R}`, 'u'),
    possessive: word('seine[mnrs]?|ihre[mnrs]?|dessen|deren'),
  },
  es: { personal: word('él|ella|ellos|ellas'), possessive: word('su|sus') },
  pt: {
    personal: word('ele|ela|eles|elas'),
    possessive: word('seu|sua|seus|suas|dele|dela|deles|delas'),
  },
  ru: {
    personal: word('он|она|оно|они|него|неё|нее|них|ему|ей|им'),
    possessive: word('его|её|ее|их'),
  },
  zh: { personal: /它们?|她们?|(?<!其)他们?|(?<!应)该(?=[\p{Script=Han}])/u, possessive: none },
  ja: { personal: /それ|彼女?|彼ら/u, possessive: /その/u },
  ko: { personal: /그것|그녀|그들/u, possessive: /그의/u },
};

// Where one clause ends and the next begins: a pronoun there may refer to a name before it
// ("Who launched PDF.js, and when did it reach Firefox?").
const CLAUSE = /[,;:]|(?<![\p{L}\p{N}])(?:and|và|et|und|y|e|и|а)(?![\p{L}\p{N}])|和|并且|以及/iu;

/**
 * The languages whose cues apply: the question's, and the contract's two, which users mix in —
 * but not English in a Vietnamese question, where unaccented "it" / "them" are "ít" / "thêm".
 */
const cueLanguages = (language: Language): Language[] =>
  language === 'vi' ? ['vi'] : [...new Set([language, 'en', 'vi'] as const)];

/** The question opens like a continuation of the previous one, or is an elliptic "X thì sao?". */
export function opensAsContinuation(question: string, language: Language): boolean {
  const q = question.normalize('NFC');
  return ELLIPSIS.test(q) || cueLanguages(language).some((l) => OPENERS[l].test(q));
}

/**
 * A pronoun or possessive whose antecedent is not in the question: a possessive after one of the
 * question's own names refers to it, and so does a pronoun in a later clause than that name;
 * anything else points at the conversation ("What is his email address?", "Nó được đổi tên …?").
 */
export function hasOuterReference(question: string, language: Language): boolean {
  const q = question.normalize('NFC');
  const names = anchorSpans(q, language);
  // Linear: only the earliest name matters, and the first clause boundary after it (a pronoun after
  // that boundary is in a later clause than a name).
  const firstName = Math.min(...names.map((n) => n.end));
  let clauseAfterName = Infinity;
  for (const m of q.matchAll(new RegExp(CLAUSE.source, `${CLAUSE.flags}g`)))
    if (m.index >= firstName) {
      clauseAfterName = m.index + m[0].length;
      break;
    }
  const resolved = (at: number, possessive: boolean) =>
    firstName <= at && (possessive || clauseAfterName <= at);
  for (const l of cueLanguages(language)) {
    const { personal, possessive } = PRONOUNS[l];
    for (const [re, isPossessive] of [
      [personal, false],
      [possessive, true],
    ] as const) {
      for (const m of q.matchAll(new RegExp(re.source, `${re.flags}g`)))
        if (!resolved(m.index, isPossessive)) return true;
    }
  }
  return false;
}

/** "this", "that" …: in a short question they point back ("When did that happen?"). */
const DEMONSTRATIVES: Record<Language, RegExp> = {
  // …but not "that" opening a clause ("Where is it stated that the contract is void?").
  en: word('this|these|those|that(?!\\s+(?:the|a|an|it|he|she|they|there|we|you)\\s)'),
  vi: /(^|[\s,])(này|đó|kia|như vậy|điều đó|cái đó)(?=$|[\s,?.!])/iu,
  fr: word('cet|cette|ces|cela|ça'),
  de: word('dies|diese[mnrs]?'),
  es: word('este|esta|esto|estos|estas|ese|esa|eso|esos|esas'),
  pt: word('este|esta|isto|estes|estas|esse|essa|isso|esses|essas'),
  ru: word('это|этот|эта|эти|этого|этой|этом|тот|та|те'),
  zh: /这|那(?!么)/u,
  ja: /これ|この|あれ|あの/u,
  ko: /이것|저것/u,
};

export function hasDemonstrative(question: string, language: Language): boolean {
  const q = question.normalize('NFC');
  return cueLanguages(language).some((l) => DEMONSTRATIVES[l].test(q));
}

/** A name's kind, so a new name replaces one of its own kind ("502" a "403", "Hà Nội" a "Việt Nam"). */
export const nameShape = (terms: string[]): 'number' | 'id' | 'name' =>
  terms.every((t) => /^\d+$/.test(t)) ? 'number' : terms.some((t) => /\d/.test(t)) ? 'id' : 'name';

// Words that only say what kind of thing a number is ("the year 2012", "l'année 2021", "version 3"):
// next to a new number they ask nothing new. Compared with their diacritics ("năm", not "nam").
const KIND_WORDS = new Set(
  [
    'year years version release number no',
    'năm phiên bản số',
    'année an version numéro',
    'jahr jahre version nummer',
    'año versión número',
    'ano versão número',
    'год году года версия версии номер',
    '年 版本',
  ].flatMap((l) => l.split(' ')),
);

/**
 * The names of an elliptic follow-up: a continuation that says nothing but names ("And 502?",
 * "What about PDF.js?", "Còn Đà Nẵng thì sao?") asks the previous question again about them. Words
 * the previous question has (`repeated`, folded terms) say nothing new either: "Còn năm 2021 thì
 * sao?" after "Doanh thu năm 2020 là bao nhiêu?", "What about version 3.2?" after "When was version
 * 3.1 released?" name the year, the version that replaces the previous one — and so do words that
 * only say what kind a number is ("And for the year 2012?"). Null when the question says anything
 * else.
 */
export function ellipticNames(
  question: string,
  language: Language,
  repeated: ReadonlySet<string> = new Set(),
): { terms: string[]; start: number; end: number }[] | null {
  const q = question.normalize('NFC');
  const opener = openerLength(q, language);
  if (opener < 0) return null;
  const names = anchorSpans(q, language).filter((n) => n.start >= opener);
  if (!names.length) return null;
  let rest = q.slice(opener);
  for (const n of [...names].reverse())
    rest = `${rest.slice(0, n.start - opener)} ${rest.slice(n.end - opener)}`;
  rest = rest.replace(ELLIPSIS, ' ');
  const saysNothingNew = (t: Token) =>
    t.part ||
    isStopWord(t.surface, language) ||
    repeated.has(t.term) ||
    KIND_WORDS.has(t.surface.toLowerCase());
  return tokens(rest).every(saysNothingNew) ? names : null;
}

/** How long the continuation opening the question is (0 for a bare "X thì sao?"); -1 if none. */
function openerLength(q: string, language: Language): number {
  const opener = cueLanguages(language)
    .map((l) => OPENERS[l].exec(q)?.[0].length ?? 0)
    .reduce((a, b) => Math.max(a, b), 0);
  return opener || ELLIPSIS.test(q) ? opener : -1;
}

/**
 * What an elliptic follow-up that asks nothing of its own says after its opener ("And to make up
 * for lost sleep?" → "to make up for lost sleep", "Còn đối với động sản thì sao?" → "đối với động
 * sản"): a phrase to put in place of its counterpart in the previous question. Null when the
 * question asks something itself ("And where is it?"), or names something (see `ellipticNames`).
 */
export function ellipticPhrase(question: string, language: Language): string | null {
  const q = question.normalize('NFC');
  const opener = openerLength(q, language);
  if (opener < 0) return null;
  const rest = q
    .slice(opener)
    .replace(ELLIPSIS, ' ')
    .replace(/[\s?？!.。]+$/u, '')
    .trim();
  if (!rest || ASKS.test(rest) || anchorSpans(rest, language).length) return null;
  const words = tokens(rest).filter((t) => !t.part);
  return words.some((t) => !isStopWord(t.surface, language)) ? rest : null;
}
