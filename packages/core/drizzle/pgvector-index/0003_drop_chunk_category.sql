-- Chunks no longer carry the file's category (issue 10.15). Before dropping the column, give a file row
-- that has no category the one its chunks carried (bounded like the files column), so nothing is lost.
UPDATE "files" AS f SET "category" = c."category"
FROM (
  SELECT DISTINCT ON ("file_id") "file_id", NULLIF(left(btrim("category"), 100), '') AS "category"
  FROM "chunks" WHERE "category" IS NOT NULL ORDER BY "file_id", "chunk_index"
) AS c
WHERE f."id" = c."file_id" AND f."category" IS NULL AND c."category" IS NOT NULL;--> statement-breakpoint
ALTER TABLE "chunks" DROP COLUMN "category";
