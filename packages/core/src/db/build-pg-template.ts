/**
 * `node dist/build-pg-template.js <dir>`: run by the gateway build. Creates the embedded database with
 * every migration applied, closed cleanly, for `seedFromTemplate` to copy on a fresh DATA_DIR.
 */
import { renameSync, rmSync } from 'node:fs';

import { openPglite } from './database';

const target = process.argv[2];
if (!target) throw new Error('usage: build-pg-template <dir>');
const staging = `${target}.building-${process.pid}`;
rmSync(staging, { recursive: true, force: true });
const database = await openPglite(staging);
await database.migrate();
await database.close();
rmSync(target, { recursive: true, force: true });
renameSync(staging, target);
