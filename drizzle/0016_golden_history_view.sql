CREATE VIEW "public"."golden_history" AS (
  select golden_id, version, deployment, run_id, change, status, attrs, lineage, member_count, merged_into, valid_from, valid_to
  from golden_versions
  union all
  select golden_id, version, deployment, updated_run_id,
    case when status = 'retired' then 'retired' when version = 1 then 'created' else 'updated' end,
    status, attrs, lineage, member_count, merged_into, updated_at, null::timestamptz
  from golden_records);