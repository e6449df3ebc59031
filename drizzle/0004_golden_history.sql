CREATE TABLE "golden_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"deployment" text NOT NULL,
	"run_id" text NOT NULL,
	"event" text NOT NULL,
	"golden_id" text NOT NULL,
	"related_id" text,
	"records" integer NOT NULL,
	"reason" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "golden_versions" (
	"golden_id" text NOT NULL,
	"version" integer NOT NULL,
	"deployment" text NOT NULL,
	"run_id" text NOT NULL,
	"change" text NOT NULL,
	"status" text NOT NULL,
	"attrs" jsonb NOT NULL,
	"lineage" jsonb NOT NULL,
	"member_count" integer NOT NULL,
	"merged_into" text,
	"valid_from" timestamp with time zone DEFAULT now() NOT NULL,
	"valid_to" timestamp with time zone,
	CONSTRAINT "golden_versions_golden_id_version_pk" PRIMARY KEY("golden_id","version")
);
--> statement-breakpoint
CREATE INDEX "golden_events_golden_idx" ON "golden_events" USING btree ("golden_id");--> statement-breakpoint
CREATE INDEX "golden_events_related_idx" ON "golden_events" USING btree ("related_id");--> statement-breakpoint
CREATE INDEX "golden_events_run_idx" ON "golden_events" USING btree ("run_id");--> statement-breakpoint
CREATE INDEX "golden_versions_run_idx" ON "golden_versions" USING btree ("run_id");