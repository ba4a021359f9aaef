/** A title a user may set by renaming (characters, after trimming). */
export const MAX_TITLE_LENGTH = 200;
/** An automatic title: short enough for a sidebar line. */
export const AUTO_TITLE_LENGTH = 60;

// Openers that carry no topic; dropping them leaves the words that say what the question is about.
const COURTESY = [
  /^(xin\s+)?(cho\s+)?(tôi|mình|em|anh|chị)\s+(muốn\s+)?hỏi(\s+là)?[\s,:]+/iu,
  /^(bạn\s+)?(có\s+thể\s+)?(làm\s+ơn\s+)?(hãy\s+)?(giúp\s+(tôi|mình|em)\s+)?(cho\s+(tôi|mình|em)\s+)?biết[\s,:]+/iu,
  /^(làm\s+ơn|vui\s+lòng|xin\s+vui\s+lòng)[\s,:]+/iu,
  /^(hi|hello|hey|xin\s+chào|chào\s+bạn)[\s,!.:]+/iu,
  /^(please|kindly)[\s,:]+/i,
  /^(can|could|would)\s+you\s+(please\s+)?(tell|explain\s+to)\s+me[\s,:]+/i,
  /^i\s+(would\s+like|want|wanted)\s+to\s+know[\s,:]+/i,
];

/**
 * Collapses whitespace and removes control characters (titles are one line). A lone surrogate (not
 * text; a JSON string may still hold one) becomes U+FFFD here, as the database would store it, so the
 * title a rename answers is the one listed afterwards.
 */
export function cleanTitle(text: string): string {
  return (
    text
      .replace(/\p{Cs}/gu, '\uFFFD')
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f\u007f]+/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
  );
}

/**
 * Cuts at a word boundary within `max` code points; one over-long word (a URL, a CJK sentence) is cut
 * hard rather than leaving a stub.
 */
export function shorten(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  // Peek one past the limit: a space there means the word at the limit is complete.
  const head = chars.slice(0, max + 1).join('');
  const cut = head.lastIndexOf(' ');
  return cut >= max / 2 ? head.slice(0, cut) : chars.slice(0, max).join('');
}

// Trailing punctuation and separators read badly at the end of a title ("When was IBM founded?").
const TRAILING = /[\p{P}\s]+$/u;

/**
 * A title from the conversation's first question without a model: the question's own words (so in its
 * language) without a courtesy opener, cut at a word within `AUTO_TITLE_LENGTH`, no trailing
 * punctuation. Null when nothing readable is left.
 */
export function titleFromQuestion(question: string): string | null {
  const original = cleanTitle(question);
  let text = original;
  // Openers stack ("Xin chào, làm ơn cho tôi biết: …"): strip until none is left.
  for (let prev = ''; prev !== text;) {
    prev = text;
    for (const re of COURTESY) text = text.replace(re, '');
  }
  if (!text.replace(TRAILING, '')) text = original;
  else if (text !== original) {
    // "cho tôi hỏi docling là gì" → "Docling là gì"
    const first = Array.from(text)[0] ?? '';
    text = first.toLocaleUpperCase() + text.slice(first.length);
  }
  const title = shorten(text, AUTO_TITLE_LENGTH).replace(TRAILING, '');
  return title.length > 0 ? title : null;
}

/**
 * Accepts a model's title when it looks like one: a single line, unquoted, without a "Title:" label,
 * at most `AUTO_TITLE_LENGTH`; returns null otherwise (the automatic title stays).
 */
export function acceptModelTitle(reply: string | null): string | null {
  if (!reply) return null;
  const line = reply.split('\n').find((l) => l.trim()) ?? '';
  const text = cleanTitle(line)
    .replace(/^(title|tiêu đề)\s*:\s*/iu, '')
    .replace(/^\d+[.)]\s+/u, '')
    .replace(/^["'“”«»`*]+|["'“”«»`*]+$/gu, '')
    .replace(/[.。]+$/u, '')
    .trim();
  const title = shorten(text, AUTO_TITLE_LENGTH).replace(TRAILING, '');
  return title.length > 0 ? title : null;
}
