CREATE TABLE "deployments" (
	"name" text PRIMARY KEY NOT NULL,
	"settings" jsonb NOT NULL,
	"fingerprint" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "golden_records" (
	"golden_id" text PRIMARY KEY NOT NULL,
	"deployment" text NOT NULL,
	"entity_type" text DEFAULT 'person' NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"attrs" jsonb NOT NULL,
	"lineage" jsonb NOT NULL,
	"content_hash" text NOT NULL,
	"member_count" integer NOT NULL,
	"merged_into" text,
	"customer_status" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_run_id" text NOT NULL,
	"updated_run_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "match_pairs" (
	"run_id" text NOT NULL,
	"left_id" bigint NOT NULL,
	"right_id" bigint NOT NULL,
	"weight" real NOT NULL,
	"probability" double precision NOT NULL,
	"band" text NOT NULL,
	CONSTRAINT "match_pairs_run_id_left_id_right_id_pk" PRIMARY KEY("run_id","left_id","right_id")
);
--> statement-breakpoint
CREATE TABLE "quarantined_rows" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"run_id" text NOT NULL,
	"source" text NOT NULL,
	"row_number" integer NOT NULL,
	"source_id" text,
	"field" text DEFAULT '' NOT NULL,
	"reason" text NOT NULL,
	"raw" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "run_clusters" (
	"run_id" text NOT NULL,
	"record_id" bigint NOT NULL,
	"cluster_key" bigint NOT NULL,
	CONSTRAINT "run_clusters_run_id_record_id_pk" PRIMARY KEY("run_id","record_id")
);
--> statement-breakpoint
CREATE TABLE "run_golden" (
	"run_id" text NOT NULL,
	"cluster_key" bigint NOT NULL,
	"attrs" jsonb NOT NULL,
	"lineage" jsonb NOT NULL,
	"member_count" integer NOT NULL,
	"content_hash" text NOT NULL,
	"golden_id" text,
	CONSTRAINT "run_golden_run_id_cluster_key_pk" PRIMARY KEY("run_id","cluster_key")
);
--> statement-breakpoint
CREATE TABLE "run_models" (
	"run_id" text PRIMARY KEY NOT NULL,
	"params" jsonb NOT NULL,
	"trained_on_pairs" bigint NOT NULL,
	"iterations" integer NOT NULL,
	"converged" boolean NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "run_stages" (
	"run_id" text NOT NULL,
	"stage" text NOT NULL,
	"status" text DEFAULT 'waiting' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"progress" real DEFAULT 0 NOT NULL,
	"metrics" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"error" text,
	"job_id" text,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"duration_ms" integer,
	CONSTRAINT "run_stages_run_id_stage_pk" PRIMARY KEY("run_id","stage")
);
--> statement-breakpoint
CREATE TABLE "runs" (
	"id" text PRIMARY KEY NOT NULL,
	"deployment" text NOT NULL,
	"kind" text DEFAULT 'match' NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"settings" jsonb NOT NULL,
	"fingerprint" text NOT NULL,
	"flow_job_id" text,
	"trigger" text DEFAULT 'cli' NOT NULL,
	"counts" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "source_records" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"deployment" text NOT NULL,
	"source" text NOT NULL,
	"source_id" text NOT NULL,
	"row_number" integer,
	"raw" jsonb NOT NULL,
	"content_hash" text NOT NULL,
	"source_updated_at" timestamp with time zone,
	"attrs" jsonb,
	"std_key" text,
	"record_class" text DEFAULT 'customer' NOT NULL,
	"class_reason" text,
	"issues" jsonb,
	"block_keys" text[],
	"block_stamp" text,
	"first_run_id" text NOT NULL,
	"last_run_id" text NOT NULL,
	"deleted_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sources" (
	"deployment" text NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"watermark" text,
	"last_run_id" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sources_deployment_name_pk" PRIMARY KEY("deployment","name")
);
--> statement-breakpoint
CREATE TABLE "xref" (
	"deployment" text NOT NULL,
	"source" text NOT NULL,
	"source_id" text NOT NULL,
	"source_record_id" bigint NOT NULL,
	"golden_id" text,
	"status" text DEFAULT 'linked' NOT NULL,
	"run_id" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "xref_deployment_source_source_id_pk" PRIMARY KEY("deployment","source","source_id")
);
--> statement-breakpoint
ALTER TABLE "match_pairs" ADD CONSTRAINT "match_pairs_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quarantined_rows" ADD CONSTRAINT "quarantined_rows_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "run_clusters" ADD CONSTRAINT "run_clusters_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "run_golden" ADD CONSTRAINT "run_golden_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "run_models" ADD CONSTRAINT "run_models_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "run_stages" ADD CONSTRAINT "run_stages_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "golden_records_deployment_idx" ON "golden_records" USING btree ("deployment","status");--> statement-breakpoint
CREATE UNIQUE INDEX "quarantined_rows_key_idx" ON "quarantined_rows" USING btree ("run_id","source","row_number","field");--> statement-breakpoint
CREATE INDEX "run_clusters_cluster_idx" ON "run_clusters" USING btree ("run_id","cluster_key");--> statement-breakpoint
CREATE INDEX "run_golden_golden_idx" ON "run_golden" USING btree ("run_id","golden_id");--> statement-breakpoint
CREATE INDEX "runs_created_idx" ON "runs" USING btree ("deployment","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "source_records_source_id_idx" ON "source_records" USING btree ("deployment","source","source_id");--> statement-breakpoint
CREATE INDEX "source_records_block_keys_idx" ON "source_records" USING gin ("block_keys");--> statement-breakpoint
CREATE INDEX "xref_golden_idx" ON "xref" USING btree ("golden_id");--> statement-breakpoint
CREATE UNIQUE INDEX "xref_record_idx" ON "xref" USING btree ("source_record_id");