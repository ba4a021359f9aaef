/** SQL answer units: an INSERT row or a CREATE TABLE column, each named with its table (and columns). */

const INSERT = /^\s*INSERT\s+INTO\s+("?[\w.]+"?)\s*\(([^)]*)\)\s*VALUES\s*(.*)$/i;
const CREATE = /^\s*CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?("?[\w.]+"?)/i;
// One or more value tuples on a line: "(1, N'AC/DC'), (2, N'Accept'),".
const TUPLES = /^\s*\(.*\)\s*[,;]?\s*$/;
const MAX_STATEMENT = 400;

const unquote = (s: string) =>
  s
    .replace(/^N?'(.*)'$/s, '$1')
    .replace(/^"(.*)"$/, '$1')
    .trim();

/** Splits an SQL row's values at top-level commas, keeping quoted commas. */
function values(row: string): string[] {
  return (row.match(/N?'(?:[^']|'')*'|[^,]+/g) ?? []).map((v) => unquote(v.trim()));
}

/** The tuples of a VALUES line, each without its parentheses (quoted parentheses kept). */
function tuples(line: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = -1;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (ch === "'") quoted = !quoted;
    if (quoted) continue;
    if (ch === '(' && depth++ === 0) start = i + 1;
    if (ch === ')' && --depth === 0 && start >= 0) out.push(line.slice(start, i));
  }
  return out;
}

function rowUnit(table: string, columns: string[], row: string): string {
  const pairs = values(row).map((v, i) => (columns[i] ? `${columns[i]} ${v}` : v));
  return `Table ${table}, row: ${pairs.join(', ')}`;
}

/** `"password" VARCHAR(60) NOT NULL` → `Table user, column password: VARCHAR(60) NOT NULL`. */
function columnUnit(table: string, line: string): string {
  const m = /^"?(\w+)"?\s+(.+)$/.exec(line);
  if (!m || /^(CONSTRAINT|PRIMARY|FOREIGN|UNIQUE|CHECK|KEY|INDEX)$/i.test(m[1] as string))
    return `Table ${table}: ${line}`;
  return `Table ${table}, column ${m[1] as string}: ${m[2] as string}`;
}

/**
 * SQL chunks: each INSERT row becomes "Table t, row: col value, col value…" and each column or
 * constraint line of a CREATE TABLE "Table t, column c: <type>", so a row or a column is one answer
 * unit. `rest` holds the lines that are neither (comments, ALTER …), each a unit of its own; a
 * statement is never read as prose. Null when the chunk is not SQL.
 */
export function sqlUnits(
  content: string,
  section: string | null,
): { units: string[]; rest: string[] } | null {
  const label = /^INSERT\s+INTO\s+("?[\w.]+"?)/i.exec(section ?? '');
  if (!label && !/\b(INSERT\s+INTO|CREATE\s+TABLE)\b/i.test(content)) return null;
  const units: string[] = [];
  const rest: string[] = [];
  // A chunk cut from the middle of an INSERT keeps its table through the section label.
  let table: string | null = label ? unquote(label[1] as string) : null;
  let columns: string[] = [];
  let inCreate = false;
  // Any other statement (CREATE TYPE … AS ENUM ('G', 'PG', …);, CREATE DOMAIN, ALTER …) is one unit
  // up to its semicolon, so the values listed on its lines stay with its name.
  let statement: string[] = [];
  const flush = () => {
    if (!statement.length) return;
    const text = statement.join(' ');
    if (text.length <= MAX_STATEMENT) rest.push(text);
    else rest.push(...statement);
    statement = [];
  };
  for (const line of content.split('\n')) {
    const trimmed = line.trim().replace(/,$/, '');
    if (!trimmed) continue;
    const insert = INSERT.exec(line);
    const create = CREATE.exec(line);
    if (insert || create) flush();
    if (insert) {
      table = unquote(insert[1] as string);
      columns = (insert[2] as string).split(',').map((c) => unquote(c.trim()));
      inCreate = false;
      for (const t of tuples(insert[3] as string)) units.push(rowUnit(table, columns, t));
    } else if (create) {
      table = unquote(create[1] as string);
      inCreate = true;
    } else if (inCreate && table) {
      if (/^\);?$/.test(trimmed)) inCreate = false;
      else if (!trimmed.startsWith('--')) units.push(columnUnit(table, trimmed));
    } else if (table && TUPLES.test(line)) {
      for (const t of tuples(line)) units.push(rowUnit(table, columns, t));
    } else if (table && /^[^(]*\)\s*,\s*\(/.test(line)) {
      // A line cut mid-row: the partial first tuple is dropped, the whole ones kept.
      for (const t of tuples(line.slice(line.search(/\)\s*,\s*\(/) + 1)))
        units.push(rowUnit(table, columns, t));
    } else if (trimmed.startsWith('--')) {
      flush();
      rest.push(trimmed.replace(/^--\s*/, ''));
    } else {
      statement.push(line.trim());
      if (/;$/.test(trimmed)) flush();
    }
  }
  flush();
  return { units, rest };
}
