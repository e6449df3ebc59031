-- Staging, rebuilt by rerunning the commit: unlogged like the other staging tables (0011). Hand-edited: drizzle-kit does not model unlogged tables.
CREATE UNLOGGED TABLE "run_xref" (
	"run_id" text NOT NULL,
	"cluster_key" bigint NOT NULL,
	"source" text NOT NULL,
	"source_id" text NOT NULL,
	"source_record_id" bigint NOT NULL,
	"minted_id" text COLLATE "C"
);
--> statement-breakpoint
CREATE INDEX "run_xref_run_idx" ON "run_xref" USING btree ("run_id");
