import type { LlmSource } from '../../ports/llm';
import { cleanSentence, splitSentences } from './text';

/** A candidate answer unit: a sentence, an SQL row/column with its table, a table row, a form field. */
export type Unit = { text: string; position: number };

const INSERT = /^\s*INSERT\s+INTO\s+("?[\w.]+"?)\s*\(([^)]*)\)\s*VALUES\s*(.*)$/i;
const CREATE = /^\s*CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?("?[\w.]+"?)/i;
const ROW = /^\s*\((.*)\)\s*[,;]?\s*$/;

const unquote = (s: string) =>
  s
    .replace(/^N?'(.*)'$/s, '$1')
    .replace(/^"(.*)"$/, '$1')
    .trim();

/** Splits an SQL row's values at top-level commas, keeping quoted commas. */
function values(row: string): string[] {
  return (row.match(/N?'(?:[^']|'')*'|[^,]+/g) ?? []).map((v) => unquote(v.trim()));
}

/**
 * SQL chunks: each INSERT row becomes "table: col value, col value…" and each column or constraint
 * line of a CREATE TABLE becomes "table: <line>", so a row or a column is one answer unit.
 */
function sqlUnits(content: string, section: string | null): string[] | null {
  const label = /^INSERT\s+INTO\s+("?[\w.]+"?)/i.exec(section ?? '');
  if (!label && !/\b(INSERT\s+INTO|CREATE\s+TABLE)\b/i.test(content)) return null;
  const out: string[] = [];
  // A chunk cut from the middle of an INSERT keeps its table through the section label.
  let table: string | null = label ? unquote(label[1] as string) : null;
  let columns: string[] = [];
  let inCreate = false;
  for (const line of content.split('\n')) {
    const insert = INSERT.exec(line);
    const create = CREATE.exec(line);
    if (insert) {
      table = unquote(insert[1] as string);
      columns = (insert[2] as string).split(',').map((c) => unquote(c.trim()));
      inCreate = false;
      const rest = ROW.exec(insert[3] as string);
      if (rest) out.push(rowUnit(table, columns, rest[1] as string));
      continue;
    }
    if (create) {
      table = unquote(create[1] as string);
      inCreate = true;
      continue;
    }
    const row = ROW.exec(line);
    if (row && table && !inCreate) {
      out.push(rowUnit(table, columns, row[1] as string));
      continue;
    }
    const trimmed = line.trim().replace(/,$/, '');
    if (inCreate && table && trimmed && !/^\);?$/.test(trimmed) && !trimmed.startsWith('--'))
      out.push(columnUnit(table, trimmed));
    if (/^\);?$/.test(trimmed)) inCreate = false;
  }
  return out;
}

function rowUnit(table: string, columns: string[], row: string): string {
  const vs = values(row);
  const pairs = vs.map((v, i) => (columns[i] ? `${columns[i]} ${v}` : v));
  return `Table ${table}, row: ${pairs.join(', ')}`;
}

/** `"password" VARCHAR(60) NOT NULL` → `Table user, column password: VARCHAR(60) NOT NULL`. */
function columnUnit(table: string, line: string): string {
  const m = /^"?(\w+)"?\s+(.+)$/.exec(line);
  if (!m || /^(CONSTRAINT|PRIMARY|FOREIGN|UNIQUE|CHECK|KEY|INDEX)$/i.test(m[1] as string))
    return `Table ${table}: ${line}`;
  return `Table ${table}, column ${m[1] as string}: ${m[2] as string}`;
}

/** Markdown table rows become "header value; header value" lines. */
function tableUnits(content: string): string[] {
  const out: string[] = [];
  let header: string[] | null = null;
  for (const line of content.split('\n')) {
    if (!/^\s*\|.*\|\s*$/.test(line)) {
      header = null;
      continue;
    }
    const cells = line
      .trim()
      .replace(/^\||\|$/g, '')
      .split('|')
      .map((c) => c.trim());
    if (cells.every((c) => /^:?-{2,}:?$/.test(c))) continue;
    if (!header) {
      header = cells;
      continue;
    }
    out.push(cells.map((c, i) => (header?.[i] ? `${header[i]}: ${c}` : c)).join('; '));
  }
  return out;
}

/**
 * The answer units of a source: structural units first (SQL rows and columns, table rows), then
 * sentences and list items; adjacent sentences also form a pair unit, because a fact is often split
 * over two ("Siobhan is single… The increase… means that she will gain €899").
 */
export function unitsOf(source: LlmSource): Unit[] {
  const structural = sqlUnits(source.content, source.section) ?? tableUnits(source.content);
  const sentences = splitSentences(source.content.replace(/^\s*\|.*\|\s*$/gm, ''))
    .map(cleanSentence)
    .filter((s) => s.length >= 3 && !/^`{3}/.test(s));
  const texts = [...structural, ...sentences];
  const out: Unit[] = texts.map((text, position) => ({ text, position }));
  for (let i = 0; i + 1 < sentences.length; i++) {
    const text = `${ensureStop(sentences[i] as string)} ${sentences[i + 1] as string}`;
    if (text.length <= 400) out.push({ text, position: structural.length + i + 0.5 });
  }
  return out;
}

export function ensureStop(text: string): string {
  return /[.!?…:;)"”。]$/.test(text) ? text : `${text}.`;
}
