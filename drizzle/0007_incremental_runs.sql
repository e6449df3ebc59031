ALTER TABLE "runs" ADD COLUMN "full" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "base_run_id" text;--> statement-breakpoint
CREATE INDEX "golden_records_updated_run_idx" ON "golden_records" USING btree ("updated_run_id");