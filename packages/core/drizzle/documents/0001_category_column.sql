-- A category is a bounded property of a file (issue 10.15): trim it, drop empty ones and cut legacy
-- values to 100 characters before the column is bounded, so the type change cannot fail on old rows.
UPDATE "files" SET "category" = NULLIF(left(btrim("category"), 100), '') WHERE "category" IS NOT NULL;--> statement-breakpoint
ALTER TABLE "files" ALTER COLUMN "category" SET DATA TYPE varchar(100);--> statement-breakpoint
CREATE INDEX "files_user_category_idx" ON "files" USING btree ("user_id","category");
