/** Text helpers for the model-free answerer: tokens that match with or without Vietnamese diacritics. */

const COMBINING_MARKS = /\p{M}+/gu;
const WORD = /[\p{L}\p{N}][\p{L}\p{N}'’_-]*/gu;

/** Lower-cased, NFC, diacritics folded (`đ` → `d`), so "Hà Nội" and "ha noi" match. */
export function foldTerm(word: string): string {
  return word
    .normalize('NFD')
    .replace(COMBINING_MARKS, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/['’]s$/, '')
    .replace(/[-'’_]+$/, '');
}

export type Token = { surface: string; term: string; start: number; end: number };

/** Words with their original spelling and their folded matching form. */
export function tokens(text: string): Token[] {
  const out: Token[] = [];
  const nfc = text.normalize('NFC');
  for (const m of nfc.matchAll(WORD)) {
    const term = foldTerm(m[0]);
    if (term) out.push({ surface: m[0], term, start: m.index, end: m.index + m[0].length });
  }
  return out;
}

export function terms(text: string): string[] {
  return tokens(text).map((t) => t.term);
}

// Function words. English is matched on the folded form; Vietnamese on the exact lower-cased
// syllable, because folding merges words that matter ("độ" degree vs "đó" that).
const STOP_EN = new Set(
  (
    'a an the and or but if then than of to in on at by for with from into onto about as is are was were be been ' +
    'being do does did done have has had having it its this that these those there here what which who whom whose ' +
    'when where why how can could should would will shall may might must not no nor so such very also just only ' +
    'i me my we our you your he him his she her they them their us any some all each every both either neither ' +
    'more most other same own again further once up down out over under between through during before after above ' +
    'below off too s t don now tell explain describe please give list show mean means meaning according ' +
    'document documents file files'
  ).split(/\s+/),
);
const STOP_VI = new Set(
  (
    'là của gì nào bao nhiêu những các có không được trong cho và với một này đó ấy kia thì mà để đến từ tại ' +
    'ra vào lên xuống cũng còn hay hoặc như theo về ở bởi vì nên nếu khi lúc trước trên dưới giữa tôi bạn ' +
    'mình chúng ta họ nó ai sao thế vậy nhé à ư ơi rồi đã đang sẽ vẫn chưa mới rất làm hơn nhất cần phải ' +
    'điều cái chiếc việc sự hãy vui lòng giúp xin biết giải thích mô tả nêu kể liệt tài liệu gồm những ' +
    'la cua gi nao khong duoc trong cho va voi mot nay thi de tu tai theo ve hay nhu'
  ).split(/\s+/),
);

/** True for words that carry no topic on their own. */
export function isStopWord(surface: string): boolean {
  const lower = surface.normalize('NFC').toLowerCase();
  // English stop words only match unaccented spellings: "đô" (capital) must not fold into "do".
  return (
    lower.length < 2 ||
    STOP_VI.has(lower) ||
    (/^[a-z'’]+$/.test(lower) && STOP_EN.has(foldTerm(lower)))
  );
}

/** The topic-bearing terms of a text, in order, without repeats. */
export function contentTerms(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const t of tokens(text)) {
    if (isStopWord(t.surface) || seen.has(t.term)) continue;
    seen.add(t.term);
    out.push(t.term);
  }
  return out;
}

/** Consecutive content-term pairs (Vietnamese meaning lives in syllable pairs: "thủ đô", "cơ sở"). */
export function termPairs(text: string): string[] {
  const ts = tokens(text);
  const out = new Set<string>();
  for (let i = 0; i + 1 < ts.length; i++) {
    const a = ts[i] as Token;
    const b = ts[i + 1] as Token;
    if (!isStopWord(a.surface) && !isStopWord(b.surface)) out.add(`${a.term} ${b.term}`);
  }
  return [...out];
}

const SENTENCE_END = /(?<=[.!?…。])["”’)\]]*\s+(?=["“‘([]?[\p{Lu}\p{N}])/u;
const LIST_ITEM = /^\s*(?:[-*•+]|\d{1,3}[.)]|[a-z][.)])\s+/u;

/**
 * Splits a chunk into readable sentences: re-joins lines a PDF wrapped mid-sentence, keeps list items
 * and headings as their own units, then splits prose at sentence punctuation.
 */
export function splitSentences(text: string): string[] {
  const lines = text.normalize('NFC').replace(/\r/g, '').split('\n');
  const paragraphs: string[] = [];
  let current = '';
  for (const raw of lines) {
    const line = raw.replace(/\s+/g, ' ').trim();
    const startsUnit = !line || LIST_ITEM.test(line) || /^#{1,6}\s/.test(line) || /^\|/.test(line);
    const prevClosed = /[.!?…:;。]["”’)]*$/.test(current);
    if (current && (startsUnit || (prevClosed && /^[\p{Lu}\p{N}]/u.test(line)))) {
      paragraphs.push(current);
      current = '';
    }
    if (line) current = current ? `${current} ${line}` : line;
  }
  if (current) paragraphs.push(current);
  const out: string[] = [];
  for (const p of paragraphs) {
    for (const s of p.split(SENTENCE_END)) {
      const clean = s
        .replace(/^#{1,6}\s+/, '')
        .replace(/^\s*(?:[-*•+])\s+/, '')
        .trim();
      if (clean) out.push(clean);
    }
  }
  return out;
}

/**
 * Makes a sentence read well on its own: Markdown links become their text, footnote markers
 * ("[12]") and emphasis/HTML debris go, whitespace collapses.
 */
export function cleanSentence(text: string): string {
  return text
    .replace(/!?\[([^\]]*)\]\((?:[^()\s]|\([^()]*\))*\)/g, '$1')
    .replace(/\[\d{1,3}\]/g, '')
    .replace(/<\/?[a-z][^>]*>/gi, '')
    .replace(/\*!\*|\*\/!\*|\*\*|__/g, '')
    .replace(/\s+([,.;:!?])/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Rough token count for budgeting prompts (≈ 4 characters per token, good enough for both languages). */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}
