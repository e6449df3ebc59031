-- Partial indexes for what the commit looks up: records that are not customers (a few in a thousand), and events that name another golden id (splits and merges). See src/db/schema.ts.
DROP INDEX "golden_events_related_idx";--> statement-breakpoint
CREATE INDEX "source_records_not_customer_idx" ON "source_records" USING btree ("deployment") WHERE "source_records"."record_class" <> 'customer';--> statement-breakpoint
CREATE INDEX "golden_events_related_idx" ON "golden_events" USING btree ("related_id") WHERE "golden_events"."related_id" is not null;