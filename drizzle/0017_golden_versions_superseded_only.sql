-- golden_versions keeps superseded versions only: the current one is the golden_records row
-- (golden_history shows both). The rows of current versions go; golden_records holds each of
-- them as it was (same run, status, attributes, lineage, members; valid_from = updated_at).
DELETE FROM "golden_versions" WHERE "valid_to" IS NULL;
--> statement-breakpoint
-- Writes a golden record's version as it stood whenever an update moves the version on
-- (a commit changing, retiring or reviving it, an import updating it). A rollback that puts
-- an earlier version back moves it back, and writes nothing.
CREATE FUNCTION "golden_versions_archive"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO golden_versions (golden_id, version, deployment, run_id, change, status, attrs, lineage, member_count, merged_into, valid_from, valid_to)
  VALUES (OLD.golden_id, OLD.version, OLD.deployment, OLD.updated_run_id,
    CASE WHEN OLD.status = 'retired' THEN 'retired' WHEN OLD.version = 1 THEN 'created' ELSE 'updated' END,
    OLD.status, OLD.attrs, OLD.lineage, OLD.member_count, OLD.merged_into, OLD.updated_at, now());
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "golden_records_archive_version" BEFORE UPDATE ON "golden_records"
FOR EACH ROW WHEN (NEW.version > OLD.version) EXECUTE FUNCTION "golden_versions_archive"();
