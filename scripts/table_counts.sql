-- The exact number of rows in every table of the public schema, one "table<TAB>rows" line each,
-- in name order (scripts/backup.sh writes it beside a backup; scripts/restore.sh compares).
-- Run with psql -XqAt (one text column, so no separator to choose).
SELECT table_name || E'\t' ||
       (xpath('/row/n/text()',
              query_to_xml(format('SELECT count(*) AS n FROM %I.%I', table_schema, table_name), false, true, '')
       ))[1]::text
FROM information_schema.tables
WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
ORDER BY table_name;
