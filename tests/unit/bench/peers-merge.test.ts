import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { mergeSets, readSets } from '../../../bench/peers/merge-results';

const order = ['scifact', 'alqac2023_vi', 'uit_reg_wiki_vi', 'msmarco_trecdl_subset'];

describe('peers.json keeps every set', () => {
  it('a run of one set replaces that set and keeps the other three, in the dev-set order', () => {
    const old = order.map((dataset) => ({ dataset, run: 'old' }));
    const merged = mergeSets(old, [{ dataset: 'scifact', run: 'new' }], order);
    expect(merged.map((s) => [s.dataset, s.run])).toEqual([
      ['scifact', 'new'],
      ['alqac2023_vi', 'old'],
      ['uit_reg_wiki_vi', 'old'],
      ['msmarco_trecdl_subset', 'old'],
    ]);
  });

  it('adds sets that were missing and keeps unknown ones last', () => {
    const merged = mergeSets(
      [{ dataset: 'custom' }, { dataset: 'msmarco_trecdl_subset' }],
      [{ dataset: 'alqac2023_vi' }],
      order,
    );
    expect(merged.map((s) => s.dataset)).toEqual([
      'alqac2023_vi',
      'msmarco_trecdl_subset',
      'custom',
    ]);
  });

  it('reads the sets of an earlier file, none when it is missing or broken', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'peers-merge-'));
    try {
      expect(await readSets(join(dir, 'none.json'))).toEqual([]);
      await writeFile(join(dir, 'broken.json'), '{oops');
      expect(await readSets(join(dir, 'broken.json'))).toEqual([]);
      await writeFile(join(dir, 'ok.json'), JSON.stringify({ datasets: [{ dataset: 'scifact' }] }));
      expect(await readSets(join(dir, 'ok.json'))).toEqual([{ dataset: 'scifact' }]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
