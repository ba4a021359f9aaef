import { sql } from 'drizzle-orm';

import type { Db } from '../../db/database';
import { conversations, userState } from '../../db/schema/conversations';
import { files } from '../../db/schema/documents';
import type { AskTargetLookup } from '../../ports/ask-target-lookup';
import { isUuid, queryRow, textArray, uuidArray } from './sql-helpers';

/** The ask's files and conversation in one statement (it sits before the first byte of the answer). */
export function createPostgresAskTargetLookup(db: Db): AskTargetLookup {
  return {
    async resolve({ userId, fileIds, conversationId }) {
      const row = await queryRow<{ owned: unknown; conversation_id: string | null }>(
        db,
        sql`
        select
          (select coalesce(array_agg(f.id::text), '{}') from ${files} f
            where f.user_id = ${userId} and f.id = any(${uuidArray(fileIds.filter(isUuid))})) as owned,
          (select c.id from ${conversations} c
            where c.user_id = ${userId}
              and c.id = coalesce(${conversationId}::text,
                                  (select s.current_conversation_id from ${userState} s where s.user_id = ${userId}))
          ) as conversation_id`,
      );
      return {
        owned: new Set(textArray(row?.owned)),
        conversationId: row?.conversation_id ?? null,
      };
    },
  };
}
