CREATE TABLE "match_decisions" (
	"deployment" text NOT NULL,
	"left_source" text NOT NULL,
	"left_source_id" text NOT NULL,
	"right_source" text NOT NULL,
	"right_source_id" text NOT NULL,
	"decision" text NOT NULL,
	"decided_by" text NOT NULL,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "match_decisions_deployment_left_source_left_source_id_right_source_right_source_id_pk" PRIMARY KEY("deployment","left_source","left_source_id","right_source","right_source_id")
);
