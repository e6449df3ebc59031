ALTER TABLE "run_models" ADD COLUMN "method" text DEFAULT 'candidates' NOT NULL;--> statement-breakpoint
ALTER TABLE "run_models" ADD COLUMN "sessions" jsonb DEFAULT '[]'::jsonb NOT NULL;