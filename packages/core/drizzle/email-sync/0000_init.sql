CREATE TABLE "chat_history" (
	"log_id" bigserial PRIMARY KEY NOT NULL,
	"name_app" text NOT NULL,
	"app_id" text,
	"input_text" text NOT NULL,
	"output_text" text NOT NULL,
	"conversation_id" text NOT NULL,
	"email" text,
	"email_normalized" text,
	"user_id" text,
	"synced_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "chat_history_conversation_id_not_blank" CHECK (btrim("chat_history"."conversation_id") <> '')
);
--> statement-breakpoint
CREATE TABLE "user_chat" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"app_id" text,
	"conversation_id" text NOT NULL,
	"email" text NOT NULL,
	"user_id" text NOT NULL,
	"name_app" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "chat_history_pending_email_idx" ON "chat_history" USING btree ("email_normalized") WHERE "chat_history"."user_id" is null;--> statement-breakpoint
CREATE INDEX "chat_history_pending_idx" ON "chat_history" USING btree ("created_at") WHERE "chat_history"."user_id" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "user_chat_email_conversation_key" ON "user_chat" USING btree ("email","conversation_id");--> statement-breakpoint
CREATE INDEX "user_chat_user_idx" ON "user_chat" USING btree ("user_id");