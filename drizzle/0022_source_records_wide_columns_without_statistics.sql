-- Hand-written: drizzle-kit does not model per-column statistics targets.
-- No statistics for source_records' wide columns: nothing filters or joins on them (expressions
-- over them get no column statistics anyway), and computing them was about 40% of the ANALYZE
-- the standardize stage takes after the pulls (a million records: 1.05-1.13 s against 0.65-0.71 s).
ALTER TABLE "source_records" ALTER COLUMN "raw" SET STATISTICS 0, ALTER COLUMN "attrs" SET STATISTICS 0, ALTER COLUMN "issues" SET STATISTICS 0, ALTER COLUMN "block_keys" SET STATISTICS 0;
