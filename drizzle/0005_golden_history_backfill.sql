-- Golden records committed before history existed: their current state becomes their first known version.
INSERT INTO "golden_versions" ("golden_id", "version", "deployment", "run_id", "change", "status", "attrs", "lineage", "member_count", "merged_into", "valid_from")
SELECT "golden_id", "version", "deployment", "updated_run_id",
       CASE WHEN "status" = 'retired' THEN 'retired' WHEN "version" = 1 THEN 'created' ELSE 'updated' END,
       "status", "attrs", "lineage", "member_count", "merged_into", "updated_at"
FROM "golden_records"
ON CONFLICT DO NOTHING;
