CREATE TABLE "reconciliation_backups" (
	"reconciliation_id" text NOT NULL,
	"golden_id" text NOT NULL,
	"row" jsonb NOT NULL,
	CONSTRAINT "reconciliation_backups_reconciliation_id_golden_id_pk" PRIMARY KEY("reconciliation_id","golden_id")
);
--> statement-breakpoint
CREATE TABLE "reconciliation_items" (
	"reconciliation_id" text NOT NULL,
	"item_no" integer NOT NULL,
	"source_id" text,
	"row_number" integer NOT NULL,
	"status" text NOT NULL,
	"golden_id" text,
	"probability" double precision,
	"candidates" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"duplicate_of" text,
	"reason" text,
	"attrs" jsonb NOT NULL,
	"conflicts" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"raw" jsonb,
	"content_hash" text,
	"source_updated_at" timestamp with time zone,
	CONSTRAINT "reconciliation_items_reconciliation_id_item_no_pk" PRIMARY KEY("reconciliation_id","item_no")
);
--> statement-breakpoint
CREATE TABLE "reconciliations" (
	"id" text PRIMARY KEY NOT NULL,
	"deployment" text NOT NULL,
	"name" text NOT NULL,
	"source" text NOT NULL,
	"config" jsonb NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"commit_requested" boolean DEFAULT false NOT NULL,
	"master_run_id" text,
	"master_imports" text[],
	"counts" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"coverage" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"thresholds" jsonb,
	"progress" real DEFAULT 0 NOT NULL,
	"job_id" text,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"reconciled_at" timestamp with time zone,
	"committed_at" timestamp with time zone,
	"rolled_back_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "reconciliation_backups" ADD CONSTRAINT "reconciliation_backups_reconciliation_id_reconciliations_id_fk" FOREIGN KEY ("reconciliation_id") REFERENCES "public"."reconciliations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reconciliation_items" ADD CONSTRAINT "reconciliation_items_reconciliation_id_reconciliations_id_fk" FOREIGN KEY ("reconciliation_id") REFERENCES "public"."reconciliations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "reconciliation_items_status_idx" ON "reconciliation_items" USING btree ("reconciliation_id","status");--> statement-breakpoint
CREATE INDEX "reconciliations_deployment_idx" ON "reconciliations" USING btree ("deployment","created_at");