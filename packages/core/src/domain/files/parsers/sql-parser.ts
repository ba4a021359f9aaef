import { decodedLines } from './text-decoding';
import type { ParsedDocument, Segment } from './types';
import { SqlScanner } from './sql-scanner';

/** A statement (or a COPY data block) longer than this is passed on in pieces, never held whole. */
const MAX_SEGMENT = 64 * 1024;
/** Rows of COPY data per segment. */
const COPY_BLOCK = 16 * 1024;

/** "CREATE TABLE public.actor", "INSERT INTO Artist", "COPY public.film": what a statement is about. */
export function statementLabel(statement: string): string | null {
  for (const raw of statement.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('--') || line.startsWith('/*') || line.startsWith('*')) continue;
    const words = line
      .replace(/[(;].*$/, '')
      .trim()
      .split(/\s+/)
      .slice(0, 6)
      .join(' ');
    return words.length > 80 ? `${words.slice(0, 77)}...` : words || null;
  }
  return null;
}

/**
 * SQL by statement: comments directly above a statement stay with it; `;` ends a statement outside
 * quotes, dollar-quotes and comments; a T-SQL `GO` line ends a batch. `COPY … FROM stdin` data is
 * streamed in blocks up to its `\.` terminator, so multi-megabyte data scripts never sit in memory.
 */
export function parseSql(path: string): ParsedDocument {
  async function* segments(): AsyncGenerator<Segment> {
    const scanner = new SqlScanner();
    let buf = '';
    let bufOffset = 0;
    let label: string | null = null;
    let copy: string | null = null;
    const emit = function* (): Generator<Segment> {
      if (buf.trim()) {
        const section = copy ?? label ?? statementLabel(buf);
        yield {
          text: buf,
          offset: bufOffset,
          page: null,
          pageLabel: null,
          section,
          mergeable: true,
        };
      }
      buf = '';
    };
    for await (const line of decodedLines(path)) {
      const text = line.text.replace(/\r$/, '');
      if (copy !== null) {
        if (text === '\\.') {
          if (!buf) bufOffset = line.offset;
          buf += (buf ? '\n' : '') + text;
          yield* emit();
          copy = null;
          label = null;
          continue;
        }
        if (!buf) bufOffset = line.offset;
        buf += (buf ? '\n' : '') + text;
        if (buf.length >= COPY_BLOCK) yield* emit();
        continue;
      }
      if (/^\s*GO\s*(--.*)?$/i.test(text) && scanner.atTopLevel()) {
        yield* emit();
        label = null;
        continue;
      }
      if (!buf) bufOffset = line.offset;
      buf += (buf ? '\n' : '') + text;
      const ended = scanner.feedLine(text);
      if (ended) {
        const statementLabelText: string | null = label ?? statementLabel(buf);
        if (/^\s*COPY\b[\s\S]*\bFROM\s+stdin\b/im.test(buf.replace(/^\s*--.*$/gm, ''))) {
          // The statement line itself opens the data block that follows.
          label = statementLabelText;
          yield* emit();
          copy = `${statementLabelText ?? 'COPY'} (data)`;
          continue;
        }
        label = statementLabelText;
        yield* emit();
        label = null;
      } else if (buf.length >= MAX_SEGMENT && scanner.atTopLevel()) {
        label = label ?? statementLabel(buf);
        yield* emit();
      }
    }
    yield* emit();
  }
  return { pageCount: null, segments: segments() };
}
