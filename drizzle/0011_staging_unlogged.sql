DROP INDEX "run_golden_golden_idx";--> statement-breakpoint
CREATE INDEX "source_records_deleted_idx" ON "source_records" USING btree ("deployment") WHERE "source_records"."deleted_at" is not null;--> statement-breakpoint
ALTER TABLE "run_golden" DROP COLUMN "golden_id";--> statement-breakpoint
-- Staging is rebuilt by rerunning a run: it skips the write-ahead log (see src/pipeline/staging-guard.ts). Hand-written: drizzle-kit does not model unlogged tables.
ALTER TABLE "run_clusters" SET UNLOGGED;--> statement-breakpoint
ALTER TABLE "run_golden" SET UNLOGGED;--> statement-breakpoint
ALTER TABLE "run_touched_records" SET UNLOGGED;
