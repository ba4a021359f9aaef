// `pnpm bench`: runs every `bench/*.bench.ts` in its own process, one after another (they compete for
// the same 2 cores otherwise), and prints each one's summary line. Each writes JSON to bench/results/.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

let failed = 0;
for (const file of files) {
  console.log(`\n=== ${file} ===`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(here, file)], {
    stdio: 'inherit',
  });
  if (r.status !== 0) {
    failed++;
    console.error(`${file} failed with status ${String(r.status)}`);
  }
}
console.log(`\n${files.length - failed} benchmarks completed, ${failed} failed`);
process.exit(failed ? 1 : 0);
