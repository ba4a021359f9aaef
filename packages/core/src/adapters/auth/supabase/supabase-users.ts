import { sql } from 'drizzle-orm';

import type { Db } from '../../../db/database';
import { AppError } from '../../../errors';
import { queryRow, queryRows } from '../../postgres/sql-helpers';
import { gotrue, type SupabaseTarget } from './supabase-clients';

const CONCURRENCY = 8;

type Options = {
  target: SupabaseTarget;
  serviceKey?: string;
  db: Db;
  /** True when DATABASE_URL is set: the database may be Supabase's own, with its `auth.users`. */
  sharedDatabase: boolean;
};

/**
 * E-mail → user id for Supabase users (the e-mail sync). When our database is the Supabase database,
 * one set-based query on `auth.users`; otherwise the GoTrue admin API with the service key.
 */
export function createSupabaseUserLookup(opts: Options) {
  let authUsersTable: Promise<boolean> | undefined;

  function hasAuthUsers(): Promise<boolean> {
    if (!opts.sharedDatabase) return Promise.resolve(false);
    authUsersTable ??= queryRow<{ present: boolean }>(
      opts.db,
      sql`select to_regclass('auth.users') is not null as present`,
    )
      .then((row) => Boolean(row?.present))
      .catch(() => false);
    return authUsersTable;
  }

  async function fromDatabase(emails: string[]): Promise<Map<string, string>> {
    const list = sql.join(
      emails.map((e) => sql`${e}`),
      sql`, `,
    );
    const rows = await queryRows<{ id: string; email: string }>(
      opts.db,
      sql`select id::text as id, lower(email) as email from auth.users where lower(email) in (${list})`,
    );
    const found = new Map<string, string>();
    for (const row of rows) found.set(row.email, row.id);
    return found;
  }

  async function fromAdminApi(emails: string[], serviceKey: string): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    const admin = { url: opts.target.url, key: serviceKey };
    const queue = [...emails];
    async function worker() {
      for (let email = queue.shift(); email !== undefined; email = queue.shift()) {
        // GoTrue's `filter` is a substring match on e-mail; keep only the exact (case-insensitive) hit.
        const res = await gotrue(
          admin,
          `/admin/users?filter=${encodeURIComponent(email)}&per_page=100`,
        );
        if (res.status !== 200) {
          throw new AppError('UNAVAILABLE', 'Không thể tra cứu người dùng Supabase', {
            cause: new Error(`GoTrue admin/users answered ${res.status}`),
          });
        }
        const users = Array.isArray(res.body.users)
          ? (res.body.users as { id?: unknown; email?: unknown }[])
          : [];
        const hit = users.find(
          (u) => typeof u.email === 'string' && u.email.toLowerCase() === email,
        );
        if (hit && typeof hit.id === 'string') found.set(email, hit.id);
      }
    }
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, emails.length) }, worker));
    return found;
  }

  return async function findUsersByEmails(emails: string[]): Promise<Map<string, string>> {
    const wanted = [...new Set(emails.map((e) => e.trim().toLowerCase()).filter(Boolean))];
    if (wanted.length === 0) return new Map();
    if (await hasAuthUsers()) return fromDatabase(wanted);
    if (opts.serviceKey) return fromAdminApi(wanted, opts.serviceKey);
    throw new AppError(
      'UNAVAILABLE',
      'Không thể tra cứu người dùng Supabase: cần SUPABASE_SERVICE_KEY hoặc DATABASE_URL trỏ tới cơ sở dữ liệu Supabase',
    );
  };
}
