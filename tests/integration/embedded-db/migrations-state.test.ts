import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { openPglite, type Database } from '@rag/core/testing';

import { MIGRATION_DOMAINS } from '../../../packages/core/src/db/domains';
import { currentDomains } from '../../../packages/core/src/db/migrations-state';

const ROOT = join(import.meta.dirname, '../../../packages/core/drizzle');
const domains = MIGRATION_DOMAINS.map((domain) => ({
  domain,
  folder: join(ROOT, domain),
  table: `__drizzle_migrations_${domain.replace(/-/g, '_')}`,
}));

let database: Database & { pglite: { exec(sql: string): Promise<unknown> } };
beforeAll(async () => {
  database = await openPglite();
});
afterAll(async () => {
  await database?.close();
});

describe('skipping migrations at start-up', () => {
  it('finds no domain current on a fresh database, every domain once migrated', async () => {
    expect(await currentDomains(database.db, domains)).toEqual(new Set());
    await database.migrate();
    expect(await currentDomains(database.db, domains)).toEqual(new Set(MIGRATION_DOMAINS));
  });

  it('treats a domain whose journal has a newer migration than the database as not current', async () => {
    // As if the code base gained a migration in `auth` since the last start.
    await database.pglite.exec(
      `update drizzle.__drizzle_migrations_auth set created_at = created_at - 1000`,
    );
    const current = await currentDomains(database.db, domains);
    expect(current.has('auth')).toBe(false);
    expect(current.has('core')).toBe(true);
  });
});
