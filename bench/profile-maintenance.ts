// `npx tsx bench/profile-maintenance.ts [--records 2000] [--rounds 3] [--no-vacuum]`: the embedded database's
// size on disk when a library is uploaded, deleted and uploaded again (`DATA_DIR/pg`, WAL included),
// with the maintenance of `adapters/postgres/embedded-maintenance.ts` run after each deletion, or without it.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { createEmbeddedMaintenance, ingestFiles } from '@rag/core/testing';

import { loadBeir } from './lib/beir';
import { corpusDir } from './lib/corpus-manifest';
import { openWorkspace, recordFilename, renderRecord } from './lib/ingest-corpus';

const { values: args } = parseArgs({
  options: {
    records: { type: 'string', default: '2000' },
    rounds: { type: 'string', default: '3' },
    'no-vacuum': { type: 'boolean', default: false },
  },
});
const ds = await loadBeir(join(corpusDir, 'eval/scifact'));
// The timer is off: the maintenance runs right after each deletion, or not at all.
const ws = await openWorkspace({ ...process.env, PGLITE_MAINTENANCE_INTERVAL_S: '0' });
const vacuum = createEmbeddedMaintenance(ws.deps.db);
const du = (dir: string) =>
  Number(
    execFileSync('du', ['-sm', join(ws.dataDir, 'pg', dir)], { encoding: 'utf8' }).split('\t')[0],
  );
const megabytes = () => `${du('base')} + ${du('pg_wal')} WAL`;

for (let round = 0; round < Number(args.rounds); round++) {
  const taken = new Set<string>();
  const records = ds.corpus.slice(0, Number(args.records));
  await ingestFiles(
    ws.deps,
    records.map((r) => ({
      userId: ws.userId,
      filename: recordFilename(r.id, taken),
      source: Buffer.from(`${renderRecord(r)}\nround ${round}\n`, 'utf8'),
    })),
  );
  const loaded = megabytes();
  await ws.deps.vectorIndex.reset(ws.userId);
  const deleted = megabytes();
  const runs = args['no-vacuum'] ? [] : await vacuum.tick();
  const runsText = runs
    .map((r) => `${r.action === 'checkpoint' ? 'checkpoint' : r.table} ${r.ms} ms`)
    .join(', ');
  console.log(
    `round ${round}: ${loaded} MB loaded, ${deleted} MB after deleting` +
      (args['no-vacuum'] ? '' : `, ${megabytes()} MB after maintenance (${runsText})`),
  );
}
await ws.close();
