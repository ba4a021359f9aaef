CREATE TABLE "ingest_jobs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"file_id" uuid NOT NULL,
	"upload_id" text,
	"filename" text NOT NULL,
	"extension" text NOT NULL,
	"storage_key" text NOT NULL,
	"category" text,
	"size" bigint NOT NULL,
	"sha256" text NOT NULL,
	"status" text NOT NULL,
	"stage" text NOT NULL,
	"pages_done" integer,
	"page_count" integer,
	"chunks_count" integer DEFAULT 0 NOT NULL,
	"result_file_id" uuid,
	"duplicate" boolean DEFAULT false NOT NULL,
	"error_code" text,
	"reason" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"claimed_by" text,
	"lease_until" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX "ingest_jobs_user_idx" ON "ingest_jobs" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "ingest_jobs_file_idx" ON "ingest_jobs" USING btree ("file_id");--> statement-breakpoint
CREATE INDEX "ingest_jobs_upload_idx" ON "ingest_jobs" USING btree ("user_id","upload_id");--> statement-breakpoint
CREATE INDEX "ingest_jobs_queue_idx" ON "ingest_jobs" USING btree ("status","created_at") WHERE "ingest_jobs"."status" in ('queued', 'running');