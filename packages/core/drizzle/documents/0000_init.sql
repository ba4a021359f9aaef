CREATE TABLE "files" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"filename" text NOT NULL,
	"storage_key" text NOT NULL,
	"extension" text NOT NULL,
	"size" bigint NOT NULL,
	"sha256" text NOT NULL,
	"category" text,
	"status" text NOT NULL,
	"stage" text NOT NULL,
	"error" text,
	"chunks_count" integer DEFAULT 0 NOT NULL,
	"page_count" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"indexed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX "files_user_idx" ON "files" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "files_user_name_idx" ON "files" USING btree ("user_id","filename");--> statement-breakpoint
CREATE UNIQUE INDEX "files_user_sha_indexed_key" ON "files" USING btree ("user_id","sha256") WHERE "files"."status" = 'indexed';