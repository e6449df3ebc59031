ALTER TABLE "golden_records" ALTER COLUMN "lineage" SET DATA TYPE json;--> statement-breakpoint
ALTER TABLE "golden_versions" ALTER COLUMN "lineage" SET DATA TYPE json;--> statement-breakpoint
ALTER TABLE "run_golden" ALTER COLUMN "lineage" SET DATA TYPE json;