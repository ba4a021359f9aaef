import type { LlmSource } from '../../ports/llm';
import { sqlUnits } from './sql-units';
import { cleanSentence, splitSentences } from './text';

/** A candidate answer unit: a sentence, an SQL row/column with its table, a table row, a form field. */
export type Unit = {
  text: string;
  position: number;
  heading: string | null;
  /** A pair unit's two sentences (their words are the pair's words). */
  joins?: [string, string];
  /** The first sentence under a heading (or a pair holding it): where a section defines its subject. */
  lead?: true;
};

// A table line: Markdown "| a | b |" or a DOCX row "Grain | Corn, Buckwheat | 200".
const isTableLine = (line: string) => line.includes(' | ') || /^\s*\|.*\|\s*$/.test(line);
const cellsOf = (line: string) =>
  (/^\s*\|.*\|\s*$/.test(line) ? line.trim().slice(1, -1) : line).split('|').map((c) => c.trim());

/**
 * Table rows become "caption: value; header value…" lines: the header row names each cell, and the
 * line before the table (its caption, "Here are some things a duck could eat:") says what a row is.
 */
function tableUnits(lines: string[]): string[] {
  const out: string[] = [];
  let header: string[] | null = null;
  let caption = '';
  let previous = '';
  for (const line of lines) {
    if (!line.trim()) continue;
    if (!isTableLine(line) || cellsOf(line).length < 2) {
      header = null;
      previous = line.trim();
      continue;
    }
    const cells = cellsOf(line);
    if (cells.every((c) => /^:?-{2,}:?$/.test(c))) continue;
    if (!header) {
      header = cells;
      caption = previous.length <= 160 ? previous.replace(/[:.]?$/, ':') : '';
      continue;
    }
    const row = cells.map((c, i) => (header?.[i] ? `${header[i]}: ${c}` : c)).join('; ');
    out.push(caption ? `${caption} ${row}` : row);
  }
  return out;
}

/** A line that introduces a list ("…a duck could eat:") with its items, as one unit. */
function listUnits(lines: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const intro = (lines[i] as string).trim();
    if (!/:$/.test(intro) || intro.length > 200) continue;
    const items: string[] = [];
    for (let j = i + 1; j < lines.length; j++) {
      const l = (lines[j] as string).trim();
      if (!l) continue;
      const item = LIST_ITEM.exec(l);
      if (!item) break;
      items.push(l.slice(item[0].length));
    }
    const text = `${intro} ${items.join('; ')}`;
    if (items.length >= 2 && text.length <= 500) out.push(cleanSentence(text));
  }
  return out;
}

const LIST_ITEM = /^(?:[-*•+]|\d{1,3}[.)])\s+/;
// A heading: Markdown, a numbered section title ("10.4.5 404 Not Found"), "Điều 689. Hiệu lực thi hành".
const HEADING =
  /^(#{1,6}\s+\S.*|\d{1,2}(\.\d{1,2})+\.?\s+\S.{0,70}|(Điều|Chương|Mục|Article|Section|Chapter)\s+\d+[.:]?\s+\S.{0,80})$/iu;

/** A line with two or more `key: value` pairs in braces ({ name: "Spinach", price: "$2" }). */
const OBJECT = /\{([^{}]*\w+\s*:\s*[^{},]+,\s*\w+\s*:[^{}]*)\}/g;

/** Objects of code or JSON listed in the text: each is a record, as "key value, key value". */
function objectUnits(lines: string[]): string[] {
  const out: string[] = [];
  for (const line of lines)
    for (const m of line.matchAll(OBJECT))
      out.push(
        (m[1] as string)
          .split(',')
          .map((kv) =>
            kv
              .replace(/["']/g, '')
              .replace(/\s*:\s*/, ': ')
              .trim(),
          )
          .filter(Boolean)
          .join(', '),
      );
  return out;
}

/**
 * The sentences of prose, and each line of a fenced code block on its own ("npm install mammoth"),
 * so code is never run together with the sentence before it.
 */
function proseAndCode(text: string): { text: string; code: boolean }[] {
  const out: { text: string; code: boolean }[] = [];
  let prose: string[] = [];
  let inCode = false;
  const flush = () => {
    out.push(...splitSentences(prose.join('\n')).map((t) => ({ text: t, code: false })));
    prose = [];
  };
  for (const line of text.split('\n')) {
    if (/^\s*(`{3,}|~{3,})/.test(line)) {
      if (!inCode) flush();
      inCode = !inCode;
      continue;
    }
    if (inCode) {
      if (line.trim()) out.push({ text: line.trim(), code: true });
    } else prose.push(line);
  }
  flush();
  return out;
}

/** The content cut at its headings: each block's sentences belong to that heading. */
function blocks(content: string): { heading: string | null; text: string }[] {
  const out: { heading: string | null; text: string }[] = [{ heading: null, text: '' }];
  for (const line of content.split('\n')) {
    const t = line.trim();
    if (HEADING.test(t) && !/[.;,]$/.test(t))
      out.push({ heading: cleanSentence(t.replace(/^#+\s*/, '')), text: '' });
    const last = out.at(-1) as { heading: string | null; text: string };
    last.text += `${line}\n`;
  }
  return out.filter((b) => b.text.trim());
}

/**
 * The answer units of a source: structural units first (SQL rows and columns, table rows, a list
 * with its intro), then sentences and list items, each with the heading it sits under; adjacent
 * sentences also form a pair unit, because a fact is often split over two ("Siobhan is single…
 * The increase… means that she will gain €899").
 */
export function unitsOf(source: LlmSource): Unit[] {
  const cached = cache.get(source);
  if (cached) return cached;
  const units = computeUnits(source);
  cache.set(source, units);
  return units;
}

// A question asking two things ranks the same sources twice.
const cache = new WeakMap<LlmSource, Unit[]>();

function computeUnits(source: LlmSource): Unit[] {
  const lines = source.content.split('\n');
  const sql = sqlUnits(source.content, source.section);
  if (sql)
    return [...sql.units, ...sql.rest.map(cleanSentence)].map((text, position) => ({
      text,
      position,
      heading: null,
    }));
  const structural = [...tableUnits(lines), ...listUnits(lines), ...objectUnits(lines)];
  const out: Unit[] = structural.map((text, position) => ({ text, position, heading: null }));
  let position = structural.length;
  for (const block of blocks(source.content)) {
    const body = block.text
      .split('\n')
      .filter((l) => !isTableLine(l))
      .join('\n');
    const sentences = proseAndCode(body)
      .map((u) => ({ ...u, text: cleanSentence(u.text) }))
      .filter((u) => u.text.length >= 3 && !/^`{3}/.test(u.text));
    const leadAt = block.heading && sentences[0]?.text === block.heading ? 1 : 0;
    const lead = (i: number) => (block.heading && i === leadAt ? { lead: true as const } : {});
    sentences.forEach(({ text, code }, i) => {
      out.push({ text, position: position + i, heading: block.heading, ...lead(i) });
      const next = sentences[i + 1];
      if (!next || code || next.code) return; // code lines are never paired with prose
      // Verse and list lines end in a comma: joined as they are, not with a full stop.
      const pair = `${/[,;:]$/.test(text) ? text : ensureStop(text)} ${next.text}`;
      if (pair.length <= 400)
        out.push({
          text: pair,
          position: position + i + 0.5,
          heading: block.heading,
          joins: [text, next.text],
          ...lead(i),
          ...lead(i + 1),
        });
    });
    position += sentences.length;
  }
  return out;
}
export function ensureStop(text: string): string {
  return /[.!?…:;)"”。]$/.test(text) ? text : `${text}.`;
}
