import { createRequire } from 'node:module';

import type { Language } from './languages';

const require = createRequire(import.meta.url);
// A JSON package (no types, no ESM entry): { en: string[], fr: string[], ... }.
const stopwords = require('stopwords-iso') as Record<string, string[]>;
// stopwords-iso's English list (1,298 words) drops words questions are about ("point", "world",
// "number", "date", "name"); stopword's 108 function words do not.
const english = (require('stopword') as { eng: string[] }).eng;

// Vietnamese is matched on the exact lower-cased syllable, because folding merges words that matter
// ("độ" degree vs "đó" that); the curated list keeps content syllables ("năm", "ngày") that the
// generic list drops, since dates are what many questions ask for.
const STOP_VI = new Set(
  (
    'là của gì nào bao nhiêu những các có không được trong cho và với một này đó ấy kia thì mà để đến từ tại ' +
    'ra vào lên xuống cũng còn hay hoặc như theo về ở bởi vì nên nếu khi lúc trước trên dưới giữa tôi bạn ' +
    'mình chúng ta họ nó ai sao thế vậy nhé à ư ơi rồi đã đang sẽ vẫn chưa mới rất làm hơn nhất cần phải ' +
    'điều cái chiếc việc sự hãy vui lòng giúp xin biết giải thích mô tả nêu kể liệt tài liệu gồm những mấy ' +
    'la cua gi nao khong duoc trong cho va voi mot nay thi de tu tai theo ve hay nhu bao nhieu may'
  ).split(/\s+/),
);
// Question words of the documents' own vocabulary that carry no topic.
const EXTRA_EN = (
  'when why whom whose does doing done tell explain describe please give list show mean means meaning ' +
  'according document documents file files ' +
  // Pronouns stopword's list lacks: a follow-up's "she"/"its" points back, it names no topic.
  'she hers its itself himself herself yours ours theirs'
).split(' ');
const LISTS: Record<Exclude<Language, 'vi'>, Set<string>> = {
  en: new Set([...english, ...EXTRA_EN]),
  fr: new Set(stopwords.fr),
  de: new Set(stopwords.de),
  es: new Set(stopwords.es),
  pt: new Set(stopwords.pt),
  ru: new Set(stopwords.ru),
  zh: new Set(stopwords.zh),
  ja: new Set(stopwords.ja),
  ko: new Set(stopwords.ko),
};

/**
 * True for words that carry no topic on their own, in the question's language (English function
 * words also count: questions in any language quote English terms). English words are matched only
 * in unaccented spellings, so "đô" (capital) never folds into "do".
 */
export function isStopWord(surface: string, language: Language = 'en'): boolean {
  const key = `${language}:${surface}`;
  let stop = memo.get(key);
  if (stop === undefined) {
    if (memo.size > 50_000) memo.clear();
    stop = check(surface, language);
    memo.set(key, stop);
  }
  return stop;
}

const memo = new Map<string, boolean>();

function check(surface: string, language: Language): boolean {
  const lower = surface.normalize('NFC').toLowerCase();
  // One letter is no topic; one digit is ("Bước 1", "Article 5").
  if (lower.length < 2 && !/[\p{Script=Han}\p{Script=Hangul}\p{N}]/u.test(lower)) return true;
  if (STOP_VI.has(lower)) return true;
  if (/^[a-z'’]+$/.test(lower) && LISTS.en.has(lower)) return true;
  return language !== 'vi' && language !== 'en' && LISTS[language].has(lower);
}
