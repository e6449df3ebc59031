-- The run is no foreign key of its pairs: its per-row check cost more than the COPY of the pairs itself (see src/db/schema.ts).
ALTER TABLE "match_pairs" DROP CONSTRAINT "match_pairs_run_id_runs_id_fk";
