CREATE EXTENSION IF NOT EXISTS vector;
--> statement-breakpoint
CREATE TABLE "chunks" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"file_id" uuid NOT NULL,
	"filename" text NOT NULL,
	"chunk_index" integer NOT NULL,
	"content" text NOT NULL,
	"page" integer,
	"page_label" text,
	"section" text,
	"char_start" integer NOT NULL,
	"char_end" integer NOT NULL,
	"category" text,
	"token_count" integer NOT NULL,
	"terms" "tsvector" NOT NULL,
	"embedding" vector NOT NULL
);
--> statement-breakpoint
CREATE TABLE "index_stats" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"doc_count" integer DEFAULT 0 NOT NULL,
	"total_tokens" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "term_stats" (
	"user_id" uuid NOT NULL,
	"term" text NOT NULL,
	"df" integer NOT NULL,
	CONSTRAINT "term_stats_user_id_term_pk" PRIMARY KEY("user_id","term")
);
--> statement-breakpoint
CREATE INDEX "chunks_user_file_idx" ON "chunks" USING btree ("user_id","file_id");--> statement-breakpoint
CREATE INDEX "chunks_terms_gin" ON "chunks" USING gin ("terms");