ALTER TABLE "golden_events" ALTER COLUMN "golden_id" SET DATA TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "golden_events" ALTER COLUMN "related_id" SET DATA TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "golden_records" ALTER COLUMN "golden_id" SET DATA TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "golden_records" ALTER COLUMN "merged_into" SET DATA TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "golden_versions" ALTER COLUMN "golden_id" SET DATA TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "golden_versions" ALTER COLUMN "merged_into" SET DATA TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "reconciliation_backups" ALTER COLUMN "golden_id" SET DATA TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "reconciliation_items" ALTER COLUMN "golden_id" SET DATA TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "run_golden" ALTER COLUMN "minted_id" SET DATA TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "xref" ALTER COLUMN "golden_id" SET DATA TYPE text COLLATE "C";