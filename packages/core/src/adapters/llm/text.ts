/** Text helpers for the model-free answerer: tokens that match with or without Vietnamese diacritics. */
import { isStopWord, tokens, type Language, type Token } from '../../domain/answering';

export { foldTerm, tokens, isStopWord, type Token } from '../../domain/answering';

export function terms(text: string): string[] {
  return tokens(text).map((t) => t.term);
}

/** The topic-bearing terms of a text, in order, without repeats. */
export function contentTerms(text: string, language: Language = 'en'): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const t of tokens(text)) {
    if (t.part || isStopWord(t.surface, language) || seen.has(t.term)) continue;
    seen.add(t.term);
    out.push(t.term);
  }
  return out;
}

/** Consecutive content-term pairs (Vietnamese meaning lives in syllable pairs: "thủ đô", "cơ sở"). */
export function termPairs(text: string, language: Language = 'en'): string[] {
  return pairsOf(tokens(text), language);
}

/** termPairs over already segmented tokens. */
export function pairsOf(ts: Token[], language: Language = 'en'): string[] {
  ts = ts.filter((t) => !t.part);
  const out = new Set<string>();
  for (let i = 0; i + 1 < ts.length; i++) {
    const a = ts[i] as Token;
    const b = ts[i + 1] as Token;
    if (!isStopWord(a.surface, language) && !isStopWord(b.surface, language))
      out.add(`${a.term} ${b.term}`);
  }
  return [...out];
}

const SENTENCE_END = /(?<=[.!?…。])["”’)\]]*\s+(?=["“‘([]?[\p{Lu}\p{N}])/u;
const LIST_ITEM = /^\s*(?:[-*•+]|\d{1,3}[.)]+|[a-z][.)])\s+/u;

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
  for (const paragraph of paragraphs) {
    // An item's number ("16. Thúy Kiều là chị") is no sentence of its own.
    const p = paragraph.replace(/^\d{1,3}[.)]+\s+/, '');
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
 * Makes a sentence read well on its own: Markdown links become their text, images, code fences,
 * heading anchors and control characters go, footnote markers
 * ("[12]") and emphasis/HTML debris go, whitespace collapses.
 */
export function cleanSentence(text: string): string {
  return (
    text
      .replace(/!\[[^\]]*\]\((?:[^()\s]|\([^()]*\))*\)/g, '')
      .replace(/\[([^\]]*)\]\((?:[^()\s]|\([^()]*\))*\)/g, '$1')
      .replace(/`{3,}[\w-]*/g, '')
      .replace(/\{\/\*[^*]*\*\/\}/g, '')
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f\u007f\ue000-\uf8ff]/g, ' ')
      .replace(/\[\d{1,3}\]/g, '')
      .replace(/<\/?[a-z][^>]*>/gi, '')
      .replace(/\*!\*|\*\/!\*|\*\*|__/g, '')
      // A space before punctuation goes, not before a file extension ("convert .docx files").
      .replace(/\s+([,.;:!?])(?=\s|$|["”’)\]])/g, '$1')
      .replace(/\s+/g, ' ')
      .trim()
  );
}

/** Rough token count for budgeting prompts (≈ 4 characters per token, good enough for both languages). */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}
