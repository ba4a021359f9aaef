import { describe, expect, it } from 'vitest';

import { parseEvalArgs, splitQueries } from '../../../bench/lib/eval-args';
import { detailLine, parseSummaryLine, summaryLine } from '../../../bench/lib/eval-report';

describe('the last line of pnpm eval', () => {
  const metrics = {
    ndcg10: 0.66789,
    ndcg10Exp: 0.66789,
    recall10: 0.8,
    recall100: 0.93333,
    mrr10: 0.6,
  };

  it('has the exact machine-readable format', () => {
    expect(summaryLine('scifact', 'hybrid', metrics, 807)).toBe(
      'scifact mode=hybrid nDCG@10=0.6679 Recall@100=0.9333 MRR@10=0.6000 queries=807',
    );
  });

  it('round-trips through the parser, which rejects other lines', () => {
    const line = summaryLine('alqac2023_vi+strip-diacritics', 'keyword', metrics, 165);
    expect(parseSummaryLine(line)).toEqual({
      dataset: 'alqac2023_vi+strip-diacritics',
      mode: 'keyword',
      ndcg10: 0.6679,
      recall100: 0.9333,
      mrr10: 0.6,
      queries: 165,
    });
    expect(parseSummaryLine(detailLine('scifact keyword', metrics, { p50: 1, p95: 2 }))).toBeNull();
  });
});

describe('parseEvalArgs', () => {
  it('applies the defaults', () => {
    expect(parseEvalArgs(['--data', 'x'])).toMatchObject({
      data: 'x',
      modes: ['keyword'],
      alpha: undefined,
      k: 100,
      alphaSweep: false,
      stripDiacritics: false,
    });
    expect(parseEvalArgs(['--data', 'x', '--alpha-sweep']).modes).toEqual(['hybrid']);
  });

  it('reads every flag, in both --flag value and --flag=value forms', () => {
    const a = parseEvalArgs([
      '--data=d',
      '--mode',
      'semantic,hybrid',
      '--alpha=0.3',
      '--k',
      '50',
      '--strip-diacritics',
      '--limit-queries',
      '7',
    ]);
    expect(a).toMatchObject({
      data: 'd',
      modes: ['semantic', 'hybrid'],
      alpha: 0.3,
      k: 50,
      stripDiacritics: true,
      limitQueries: 7,
    });
    expect(parseEvalArgs(['--data', 'd', '--mode', 'all']).modes).toEqual([
      'keyword',
      'semantic',
      'hybrid',
    ]);
  });

  it('splits the queries into even- and odd-indexed halves', () => {
    expect(parseEvalArgs(['--data', 'd']).querySplit).toBeUndefined();
    expect(parseEvalArgs(['--data', 'd', '--query-split', 'odd']).querySplit).toBe('odd');
    expect(parseEvalArgs(['--data', 'd', '--query-split=even']).querySplit).toBe('even');
    expect(() => parseEvalArgs(['--data', 'd', '--query-split', 'half'])).toThrow('--query-split');
    expect(parseEvalArgs(['--data', 'd', '--fusion-weight', '0.25']).fusionWeight).toBe(0.25);
    expect(() => parseEvalArgs(['--data', 'd', '--fusion-weight', '0'])).toThrow('--fusion-weight');
    expect(() => parseEvalArgs(['--data', 'd', '--fusion-weight', '1.5'])).toThrow(
      '--fusion-weight',
    );
    const qs = ['q0', 'q1', 'q2', 'q3', 'q4'];
    expect(splitQueries(qs, 'even')).toEqual(['q0', 'q2', 'q4']);
    expect(splitQueries(qs, 'odd')).toEqual(['q1', 'q3']);
    expect(splitQueries(qs, undefined)).toEqual(qs);
  });

  it('names the bad flag', () => {
    expect(() => parseEvalArgs([])).toThrow('--data is required');
    expect(() => parseEvalArgs(['--data', 'd', '--mode', 'fuzzy'])).toThrow('unknown mode fuzzy');
    expect(() => parseEvalArgs(['--data', 'd', '--alpha', '1.5'])).toThrow('--alpha');
    expect(() => parseEvalArgs(['--data', 'd', '--k'])).toThrow('--k');
    expect(() => parseEvalArgs(['--data', 'd', '--nope'])).toThrow('unknown argument --nope');
  });
});
