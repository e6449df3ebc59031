CREATE TABLE "run_touched_records" (
	"run_id" text NOT NULL,
	"record_id" bigint NOT NULL,
	CONSTRAINT "run_touched_records_run_id_record_id_pk" PRIMARY KEY("run_id","record_id")
);
--> statement-breakpoint
ALTER TABLE "run_touched_records" ADD CONSTRAINT "run_touched_records_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE cascade ON UPDATE no action;