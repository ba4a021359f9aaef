import { createRequire } from 'node:module';

import type { Parser } from 'node-sql-parser';

import type { Dialect } from './dialect';

const load = createRequire(import.meta.url);
const parsers = new Map<string, Parser>();

/**
 * The parser of one dialect, loaded when first asked for. The package's entry loads all of its 14
 * dialects' generated parsers: ≈ 5 MB of source, ≈ 20 MB more of source map under
 * `--enable-source-maps`, in the server's heap whether SQL is ever analysed or not. Each dialect has
 * a build of its own, named as the package names its dialects (lower case).
 */
function parserOf(dialect: Dialect): Parser {
  let parser = parsers.get(dialect.parser);
  if (!parser) {
    const build = load(`node-sql-parser/build/${dialect.parser.toLowerCase()}`) as {
      Parser: new () => Parser;
    };
    parser = new build.Parser();
    parsers.set(dialect.parser, parser);
  }
  return parser;
}

/** Loose view of node-sql-parser's AST nodes (its own types are a union too wide to narrow usefully). */
export type Node = Record<string, unknown> & { type?: string };

export const isNode = (v: unknown): v is Node => !!v && typeof v === 'object' && !Array.isArray(v);

/** The parser's refusal, with where it stopped (1-based line and column). */
export class SqlSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number | null,
    readonly column: number | null,
    readonly dialect: string,
  ) {
    super(message);
    this.name = 'SqlSyntaxError';
  }
}

/**
 * The parser ran out of stack (it recurses per nesting level: ~1000 nested parentheses, 10,000 nested
 * `/*`). Not a syntax error, and the engine's text says nothing to a user.
 */
export class SqlTooComplexError extends Error {
  constructor(readonly dialect: string) {
    super(`SQL nested too deeply for the ${dialect} parser`);
    this.name = 'SqlTooComplexError';
  }
}

export type ParsedSql = { dialect: Dialect; statements: Node[]; tables: string[] };

type PegError = Error & { location?: { start?: { line?: number; column?: number } } };

/**
 * Parses with the first dialect that accepts the text; the first dialect's error otherwise (a
 * `SqlTooComplexError` when that dialect's parser overflowed its stack).
 */
export function parseSql(sql: string, dialects: Dialect[]): ParsedSql {
  let first: SqlSyntaxError | SqlTooComplexError | null = null;
  for (const dialect of dialects) {
    try {
      const out = parserOf(dialect).parse(sql, { database: dialect.parser });
      const list: unknown[] = Array.isArray(out.ast) ? out.ast : [out.ast];
      const tables = [...new Set(out.tableList.map((t) => t.split('::')[2] ?? t))];
      return { dialect, statements: list.filter(isNode), tables };
    } catch (e) {
      // A stack overflow (RangeError) is the parser's limit, not a place in the text.
      if (e instanceof RangeError) {
        first ??= new SqlTooComplexError(dialect.label);
        continue;
      }
      const err = e as PegError;
      const loc = err.location?.start;
      first ??= new SqlSyntaxError(
        err.message,
        loc?.line ?? null,
        loc?.column ?? null,
        dialect.label,
      );
    }
  }
  throw first ?? new Error('parseSql: no dialect to parse with');
}

/** SQL text of one statement in the dialect (used for rewritten statements only). */
export function toSql(statement: Node, dialect: Dialect): string {
  return parserOf(dialect).sqlify(statement as never, { database: dialect.parser });
}
