import { sql } from 'drizzle-orm';

import type { Db } from '../../db/database';
import { conversations, userState } from '../../db/schema/conversations';
import { files } from '../../db/schema/documents';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** File ids are UUIDs stored lower-case; any case is accepted, other strings stay as given (and miss). */
export function normaliseFileIds(ids: string[]): string[] {
  return [...new Set(ids.map((id) => (UUID.test(id) ? id.toLowerCase() : id)))];
}

/**
 * In one round trip (it sits before the first byte of the answer): which of the requested files the
 * user owns, and the user's conversation to ask in — the requested one, else their current one — or
 * null when that is not theirs or no longer exists.
 */
export async function resolveAskTarget(
  db: Db,
  input: { userId: string; fileIds: string[]; conversationId: string | null },
): Promise<{ owned: Set<string>; conversationId: string | null }> {
  const { userId } = input;
  const uuids = input.fileIds.filter((id) => UUID.test(id));
  const result = (await db.execute(sql`
    select
      (select coalesce(array_agg(f.id::text), '{}') from ${files} f
        where f.user_id = ${userId} and f.id = any(${sql.param(uuids)}::uuid[])) as owned,
      (select c.id from ${conversations} c
        where c.user_id = ${userId}
          and c.id = coalesce(${input.conversationId}::text,
                              (select s.current_conversation_id from ${userState} s where s.user_id = ${userId}))
      ) as conversation_id`)) as unknown as {
    rows: { owned: string[] | string; conversation_id: string | null }[];
  };
  const row = result.rows[0];
  const owned = typeof row?.owned === 'string' ? parsePgArray(row.owned) : (row?.owned ?? []);
  return { owned: new Set(owned), conversationId: row?.conversation_id ?? null };
}

/** `{a,b}` → ['a', 'b'] for drivers that return arrays as text (uuids never need quoting). */
function parsePgArray(text: string): string[] {
  const inner = text.replace(/^\{|\}$/g, '');
  return inner ? inner.split(',') : [];
}
