ALTER TABLE "run_clusters" DROP CONSTRAINT "run_clusters_run_id_runs_id_fk";
--> statement-breakpoint
ALTER TABLE "run_golden" DROP CONSTRAINT "run_golden_run_id_runs_id_fk";
--> statement-breakpoint
ALTER TABLE "run_touched_records" DROP CONSTRAINT "run_touched_records_run_id_runs_id_fk";
