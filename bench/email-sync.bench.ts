// `pnpm bench email-sync`: links 100,000 chat_history rows (half of them belong to registered users) with
// the set-based sync, on embedded PGlite and — when PostgreSQL binaries exist — on a real PostgreSQL.
// Reports rows/s and database round-trips per 1,000 rows, against a per-row baseline (the original
// service's shape: user lookup, user_chat lookup, insert, update — per row) measured in the same run.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { pino } from 'pino';

import {
  createAuthProvider,
  openPglite,
  openPostgres,
  parseEnv,
  syncPending,
  type Database,
} from '@rag/core/testing';

import { findPgBin, startPostgres } from '../tests/support/postgres-server';
import { createPostgresEmailSyncStore } from '../packages/core/src/adapters/postgres/email-sync-store';

const ROWS = 100_000;
const USERS = 5_000;
const BASELINE_ROWS = 2_000;
const here = dirname(fileURLToPath(import.meta.url));

/** Counts every statement the database receives (drizzle and the auth adapter included). */
function countStatements(database: Database) {
  let n = 0;
  const target = database.pglite ?? database.pool;
  if (!target) throw new Error('the database has neither an embedded client nor a pool');
  // By name: PGlite's and pg's `query` have different signatures; the counter only passes calls on.
  for (const method of ['query', 'exec']) {
    const original: unknown = Reflect.get(target, method);
    if (typeof original !== 'function') continue;
    Reflect.set(target, method, (...args: unknown[]): unknown => {
      n++;
      const result: unknown = Reflect.apply(original, target, args);
      return result;
    });
  }
  return { take: () => ((n = 0), 0), get: () => n };
}

async function q(
  database: Database,
  text: string,
  params: unknown[] = [],
): Promise<Record<string, unknown>[]> {
  if (database.pglite)
    return (await database.pglite.query<Record<string, unknown>>(text, params)).rows;
  return (await database.pool!.query(text, params)).rows as Record<string, unknown>[];
}

/** 5,000 users; rows spread over 10,000 e-mails (even = registered), half in `email`, half in JSON input. */
async function seed(database: Database) {
  await q(
    database,
    `insert into users (email) select 'user' || i || '@example.com' from generate_series(0, $1::int - 1) as i`,
    [USERS],
  );
  for (let start = 0; start < ROWS; start += 10_000) {
    await q(
      database,
      `insert into chat_history (name_app, input_text, output_text, conversation_id, email)
       select 'Bot', case when i % 2 = 0 then '{"Email":"' || e || '"}' else 'Xin chào' end, 'Chào bạn',
              'conv-' || (i % 20000), case when i % 2 = 1 then upper(e) else null end
       from (select i, case when i % 4 < 2 then 'user' || ((i / 4) % $3::int) || '@example.com'
                            else 'stranger' || ((i / 4) % $3::int) || '@example.com' end as e
             from generate_series($1::int, $2::int - 1) as i) s`,
      [start, start + 10_000, USERS],
    );
  }
}

async function reset(database: Database) {
  await q(database, 'truncate user_chat');
  await q(
    database,
    'update chat_history set user_id = null, synced_at = null where user_id is not null',
  );
}

/** The per-row shape the original used (§9.3 of the spec), as the baseline. */
async function perRowSync(database: Database, limit: number) {
  const rows = await q(
    database,
    `select log_id, email_normalized, conversation_id, name_app from chat_history
     where user_id is null order by log_id limit $1`,
    [limit],
  );
  for (const row of rows) {
    if (!row.email_normalized) continue;
    const [user] = await q(database, 'select id from users where email = $1', [
      row.email_normalized,
    ]);
    if (!user) continue;
    await q(database, 'update chat_history set user_id = $1 where log_id = $2', [
      user.id,
      row.log_id,
    ]);
    const existing = await q(
      database,
      'select 1 from user_chat where email = $1 and conversation_id = $2',
      [row.email_normalized, row.conversation_id],
    );
    if (existing.length === 0) {
      await q(
        database,
        'insert into user_chat (conversation_id, email, user_id, name_app) values ($1, $2, $3, $4) on conflict do nothing',
        [row.conversation_id, row.email_normalized, user.id, row.name_app],
      );
    }
  }
  return rows.length;
}

async function measure(name: 'pglite' | 'postgres', database: Database) {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-email-sync-'));
  const env = parseEnv({
    DATA_DIR: dataDir,
    JWT_SECRET: 'bench-secret-0123456789abcdef0123456789',
  });
  const log = pino({ level: 'silent' });
  const mailer = { name: 'none', send: () => Promise.resolve() };
  const clock = { now: () => new Date() };
  const auth = await createAuthProvider({ env, db: database.db, mailer, clock, log, dataDir });
  const deps = { emailSync: createPostgresEmailSyncStore(database.db), auth, clock };
  const statements = countStatements(database);

  let t = performance.now();
  await seed(database);
  const seedS = (performance.now() - t) / 1000;

  statements.take();
  t = performance.now();
  const baselineRows = await perRowSync(database, BASELINE_ROWS);
  const baseline = {
    rows: baselineRows,
    seconds: (performance.now() - t) / 1000,
    statements: statements.get(),
  };
  await reset(database);

  statements.take();
  t = performance.now();
  const counts = await syncPending(deps);
  const sync = { seconds: (performance.now() - t) / 1000, statements: statements.get(), counts };
  if (counts.total !== ROWS || counts.synced !== ROWS / 2)
    throw new Error(`unexpected counts ${JSON.stringify(counts)}`);

  // The steady state the service sweeps every interval: 50,000 unmatched rows still pending.
  statements.take();
  t = performance.now();
  const again = await syncPending(deps);
  const sweep = {
    seconds: (performance.now() - t) / 1000,
    statements: statements.get(),
    counts: again,
  };
  rmSync(dataDir, { recursive: true, force: true });

  const rowsPerS = ROWS / sync.seconds;
  const baselineRowsPerS = baseline.rows / baseline.seconds;
  return {
    database: name,
    rows: ROWS,
    seed_rows_per_s: Math.round(ROWS / seedS),
    set_based: {
      seconds: +sync.seconds.toFixed(3),
      rows_per_s: Math.round(rowsPerS),
      round_trips: sync.statements,
      round_trips_per_1000_rows: +((sync.statements / ROWS) * 1000).toFixed(2),
      synced: counts.synced,
      skipped: counts.skipped,
      user_chat_rows: counts.userChatsCreated,
    },
    sweep_of_unmatched: {
      pending_rows: again.total,
      seconds: +sweep.seconds.toFixed(3),
      round_trips: sweep.statements,
    },
    per_row_baseline: {
      rows: baseline.rows,
      rows_per_s: Math.round(baselineRowsPerS),
      round_trips_per_1000_rows: +((baseline.statements / baseline.rows) * 1000).toFixed(1),
    },
    speedup_vs_per_row: +(rowsPerS / baselineRowsPerS).toFixed(1),
  };
}

const results = [];
const pglite = await openPglite();
await pglite.migrate();
try {
  results.push(await measure('pglite', pglite));
} finally {
  await pglite.close();
}

const pgBin = findPgBin();
if (pgBin) {
  const server = await startPostgres(pgBin);
  const database = await openPostgres(server.url, 4);
  try {
    await database.migrate({ skip: ['pgvector-index'] });
    results.push(await measure('postgres', database));
  } finally {
    await database.close();
    await server.stop();
  }
}

mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(
  join(here, 'results/email-sync.json'),
  `${JSON.stringify({ bench: 'email-sync', at: new Date().toISOString(), results }, null, 2)}\n`,
);
console.log(
  `email-sync: ${ROWS} rows, half matched — ` +
    results
      .map(
        (r) =>
          `${r.database} ${r.set_based.rows_per_s} rows/s, ${r.set_based.round_trips_per_1000_rows} round-trips/1k rows ` +
          `(per-row baseline ${r.per_row_baseline.rows_per_s} rows/s, ${r.per_row_baseline.round_trips_per_1000_rows}/1k; ×${r.speedup_vs_per_row})`,
      )
      .join('; '),
);
