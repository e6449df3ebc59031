-- match_pairs keeps no foreign key to runs: its check, a trigger per pair, cost more than the COPY of the pairs itself (see src/db/schema.ts).
ALTER TABLE "match_pairs" DROP CONSTRAINT "match_pairs_run_id_runs_id_fk";
