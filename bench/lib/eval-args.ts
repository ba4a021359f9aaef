import { SEARCH_TYPES, type SearchType } from '@rag/core/testing';

export type EvalArgs = {
  data: string;
  modes: SearchType[];
  /** Hybrid weight of the semantic score; undefined = the ask route's default. */
  alpha: number | undefined;
  k: number;
  alphaSweep: boolean;
  stripDiacritics: boolean;
  limitQueries: number | undefined;
  /** Only the even- or odd-indexed scorable queries: choose a parameter on one half, confirm it on the other. */
  querySplit: QuerySplit | undefined;
  /** Overrides the embedder's declared fusion weight for the queries (to reproduce how it was chosen). */
  fusionWeight: number | undefined;
  concurrency: number;
  out: string | undefined;
  /** JSON file of keyword-option variants ({ name: Partial<KeywordOptions> }) compared on one ingestion. */
  variants: string | undefined;
  /** With --variants: also run every variant with the queries stripped of diacritics. */
  bothDiacritics: boolean;
};

export type QuerySplit = 'even' | 'odd';

export const EVAL_USAGE = `usage: pnpm eval --data <beir dir> [--mode keyword|semantic|hybrid|all|a,b] [--alpha A] [--k 100]
                 [--alpha-sweep] [--strip-diacritics] [--limit-queries N] [--query-split even|odd]
                 [--fusion-weight W] [--concurrency N] [--out DIR] [--variants FILE.json [--both-diacritics]]`;

function isMode(m: string): m is SearchType {
  return (SEARCH_TYPES as readonly string[]).includes(m);
}

function number(flag: string, raw: string | undefined, check: (n: number) => boolean): number {
  const n = Number(raw);
  if (raw === undefined || raw.startsWith('--') || !Number.isFinite(n) || !check(n)) {
    throw new Error(`${flag}: invalid value ${raw ?? '(missing)'}`);
  }
  return n;
}

/** The queries of one half: index 0, 2, 4 … (even) or 1, 3, 5 … (odd), in file order. */
export function splitQueries<T>(queries: readonly T[], split: QuerySplit | undefined): T[] {
  if (!split) return [...queries];
  const parity = split === 'even' ? 0 : 1;
  return queries.filter((_, i) => i % 2 === parity);
}

/** Parses the command line; throws with a message naming the bad flag. */
export function parseEvalArgs(argv: readonly string[]): EvalArgs {
  const args: EvalArgs = {
    data: '',
    modes: [],
    alpha: undefined,
    k: 100,
    alphaSweep: false,
    stripDiacritics: false,
    limitQueries: undefined,
    querySplit: undefined,
    fusionWeight: undefined,
    concurrency: 1,
    out: undefined,
    variants: undefined,
    bothDiacritics: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i]!;
    const [flag, inline] = raw.includes('=')
      ? (raw.split(/=(.*)/s, 2) as [string, string])
      : [raw, undefined];
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case '--':
        break;
      case '--data':
        args.data = value() ?? '';
        break;
      case '--mode': {
        const v = value() ?? '';
        const modes =
          v === 'all' ? ['keyword', 'semantic', 'hybrid'] : v.split(',').map((m) => m.trim());
        for (const m of modes) if (!isMode(m)) throw new Error(`--mode: unknown mode ${m}`);
        args.modes = [...new Set(modes as SearchType[])];
        break;
      }
      case '--alpha':
        args.alpha = number(flag, value(), (n) => n >= 0 && n <= 1);
        break;
      case '--k':
        args.k = number(flag, value(), (n) => Number.isInteger(n) && n >= 10);
        break;
      case '--limit-queries':
        args.limitQueries = number(flag, value(), (n) => Number.isInteger(n) && n > 0);
        break;
      case '--query-split': {
        const v = value();
        if (v !== 'even' && v !== 'odd')
          throw new Error(`--query-split: expected even or odd, got ${v ?? '(missing)'}`);
        args.querySplit = v;
        break;
      }
      case '--fusion-weight':
        args.fusionWeight = number(flag, value(), (n) => n > 0 && n <= 1);
        break;
      case '--concurrency':
        args.concurrency = number(flag, value(), (n) => Number.isInteger(n) && n > 0);
        break;
      case '--out':
        args.out = value();
        break;
      case '--variants':
        args.variants = value();
        break;
      case '--alpha-sweep':
        args.alphaSweep = true;
        break;
      case '--both-diacritics':
        args.bothDiacritics = true;
        break;
      case '--strip-diacritics':
        args.stripDiacritics = true;
        break;
      default:
        throw new Error(`unknown argument ${raw}`);
    }
  }
  if (!args.data) throw new Error('--data is required');
  if (args.modes.length === 0) args.modes = args.alphaSweep ? ['hybrid'] : ['keyword'];
  return args;
}
