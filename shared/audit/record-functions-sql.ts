import { recordHashSql } from './record-hash-sql';

/**
 * The trail's reading functions (issue 18 §2, §3), installed with the trail into `schema`:
 * read_record (one record for history and preview) and find_records (records by a column's
 * value). Each answers in one statement, so the agent needs one psql process per step.
 */
export function recordFunctionStatements(schema: string): string[] {
  return [
    // Everything history and preview need in one call (one psql process on the server instead of
    // four): the table's key and columns, the key as the table's types print it ("1" given for an
    // integer key is 1, as the trail keeps it), the record's versions and its current row. A row
    // is column → JSON text of the value, so big integers and numerics stay exact. A version's
    // row is printed through the table's types when it has the table's columns now (a v2 row
    // written in another time zone then compares equal); with other columns it stays as written,
    // and planning refuses it. The row after a version is the next version's old row, or the
    // current row for the newest (version 3 stores the old row only).
    `CREATE OR REPLACE FUNCTION ${schema}.read_record(p_schema text, p_table text, p_key jsonb)
     RETURNS jsonb
     LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp SET TimeZone = 'UTC'
     SET IntervalStyle = 'postgres' SET extra_float_digits = 1 AS $fn$
     DECLARE
       rel regclass; pk text[]; cols jsonb; names text[]; k jsonb; cond text; cur jsonb; versions jsonb;
       shape jsonb;
     BEGIN
       -- Versions committed until now are in the history before it is read (audit-stream-sql.ts).
       PERFORM ${schema}.drain();
       rel := to_regclass(format('%I.%I', p_schema, p_table));
       IF rel IS NULL THEN RETURN jsonb_build_object('shape', NULL); END IF;
       SELECT coalesce(array_agg(a.attname::text ORDER BY x.ord), '{}') INTO pk
         FROM pg_index i CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS x(attnum, ord)
         JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = x.attnum
        WHERE i.indrelid = rel AND i.indisprimary;
       SELECT jsonb_agg(jsonb_build_object('name', attname, 'generated', attgenerated <> '',
                          'identityAlways', attidentity = 'a',
                          'type', format_type(atttypid, atttypmod)) ORDER BY attnum),
              array_agg(attname::text ORDER BY attname::text)
         INTO cols, names FROM pg_attribute WHERE attrelid = rel AND attnum > 0 AND NOT attisdropped;
       shape := jsonb_build_object('key', to_jsonb(pk), 'columns', cols);
       IF cardinality(pk) = 0 THEN
         RETURN jsonb_build_object('shape', shape, 'keyMatches', true, 'versions', '[]'::jsonb);
       END IF;
       IF (SELECT array_agg(c ORDER BY c) FROM jsonb_object_keys(p_key) c)
          IS DISTINCT FROM (SELECT array_agg(c ORDER BY c) FROM unnest(pk) c) THEN
         RETURN jsonb_build_object('shape', shape, 'keyMatches', false);
       END IF;
       EXECUTE format('SELECT to_jsonb(jsonb_populate_record(NULL::%s, $1))', rel) INTO k USING p_key;
       SELECT jsonb_object_agg(c, k -> c), string_agg(format('t.%I = v.%I', c, c), ' AND ')
         INTO k, cond FROM unnest(pk) c;
       EXECUTE format('SELECT to_jsonb(t) FROM %s t, jsonb_populate_record(NULL::%s, $1) v WHERE %s',
                      rel, rel, cond) INTO cur USING k;
       EXECUTE format($q$
         WITH l AS (
           SELECT *, lead(id) OVER w AS next_id, lead(old_row) OVER w AS next_old
             FROM %2$s.row_history
            WHERE ${recordHashSql('row_key', 'table_name')} = ${recordHashSql('$1', '$3')}
              AND table_name = $3 AND schema_name = $4 AND row_key = $1
           WINDOW w AS (ORDER BY id)),
         -- After a TRUNCATE the row left without a version: the state after the version
         -- before it is unknown (null; planning refuses targets before a TRUNCATE).
         h AS (
           SELECT id, op, changed_at, txid, db_user, application_name, actor, reason, changed_columns,
                  old_row, CASE WHEN op = 'D' THEN NULL WHEN new_row IS NOT NULL THEN new_row
                                WHEN EXISTS (SELECT 1 FROM %2$s.row_history t
                                              WHERE t.table_name = $3 AND t.schema_name = $4
                                                AND ${recordHashSql('t.row_key', 't.table_name')} = ${recordHashSql(`'{}'`, '$3')}
                                                AND t.row_key = '{}' AND t.op = 'T' AND t.id > l.id
                                                AND (l.next_id IS NULL OR t.id < l.next_id)) THEN NULL
                                WHEN next_id IS NULL THEN $2 ELSE next_old END AS new_row
             FROM l),
         n AS (
           SELECT h.*,
                  CASE WHEN (SELECT array_agg(c ORDER BY c) FROM jsonb_object_keys(old_row) c) = $5
                       THEN to_jsonb(jsonb_populate_record(NULL::%1$s, old_row)) ELSE old_row END AS old_n,
                  CASE WHEN (SELECT array_agg(c ORDER BY c) FROM jsonb_object_keys(new_row) c) = $5
                       THEN to_jsonb(jsonb_populate_record(NULL::%1$s, new_row)) ELSE new_row END AS new_n
             FROM h)
         SELECT coalesce(jsonb_agg(jsonb_build_object(
             'id', id::text, 'op', op::text,
             'at', to_char(changed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
             'txid', txid::text, 'dbUser', db_user, 'applicationName', application_name,
             'actor', actor, 'reason', reason,
             'changedColumns', CASE WHEN op = 'U' THEN coalesce(to_jsonb(changed_columns), (
                 SELECT coalesce(jsonb_agg(c ORDER BY c), '[]') FROM jsonb_object_keys(coalesce(old_n, '{}') || coalesce(new_n, '{}')) c
                  WHERE old_n -> c IS DISTINCT FROM new_n -> c)) END,
             'old', (SELECT jsonb_object_agg(e.key, e.value::text) FROM jsonb_each(old_n) e),
             'new', (SELECT jsonb_object_agg(e.key, e.value::text) FROM jsonb_each(new_n) e))
           ORDER BY id), '[]')
           FROM n$q$, rel, '${schema}') INTO versions USING k, cur, p_table, p_schema, names;
       RETURN jsonb_build_object('shape', shape, 'keyMatches', true,
         'key', (SELECT jsonb_object_agg(e.key, e.value::text) FROM jsonb_each(k) e),
         'truncations', (SELECT coalesce(jsonb_agg(jsonb_build_object('id', id::text,
              'at', to_char(changed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')) ORDER BY id), '[]')
            FROM ${schema}.row_history
           WHERE ${recordHashSql('row_key', 'table_name')} = ${recordHashSql(`'{}'`, 'p_table')}
             AND table_name = p_table AND schema_name = p_schema AND row_key = '{}' AND op = 'T'),
         'gaps', (SELECT coalesce(jsonb_agg(jsonb_build_object('lastId', coalesce(last_id, 0)::text,
              'at', to_char(noted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')) ORDER BY noted_at), '[]')
            FROM ${schema}.gaps),
         'columnTypes', (SELECT coalesce(jsonb_agg(jsonb_build_object(
              'at', to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
              'columns', columns) ORDER BY id), '[]')
            FROM ${schema}.table_columns WHERE table_name = p_table AND schema_name = p_schema),
         'versions', versions,
         'current', (SELECT jsonb_object_agg(e.key, e.value::text) FROM jsonb_each(cur) e));
     END $fn$`,
    `REVOKE ALL ON FUNCTION ${schema}.read_record(text, text, jsonb) FROM PUBLIC`,
    // Records by a column's value (issue 18 §2): the rows that hold it now and, from the history,
    // records that held it before (a deleted customer is found by name too). The value is read
    // through the column's type, so "42" finds 42 and a date in any style finds the date; keys as
    // read_record prints them, newest history first, at most p_limit of each.
    `CREATE OR REPLACE FUNCTION ${schema}.find_records(
       p_schema text, p_table text, p_column text, p_value jsonb, p_limit integer) RETURNS jsonb
     LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp SET TimeZone = 'UTC'
     SET IntervalStyle = 'postgres' SET extra_float_digits = 1 AS $fn$
     DECLARE
       rel regclass; pk text[]; typed jsonb; keys text; now_found jsonb; then_found jsonb;
     BEGIN
       PERFORM ${schema}.drain();
       rel := to_regclass(format('%I.%I', p_schema, p_table));
       IF rel IS NULL THEN RETURN jsonb_build_object('table', false); END IF;
       IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = rel AND attname = p_column
                       AND attnum > 0 AND NOT attisdropped) THEN
         RETURN jsonb_build_object('table', true, 'column', false);
       END IF;
       SELECT coalesce(array_agg(a.attname::text ORDER BY x.ord), '{}') INTO pk
         FROM pg_index i CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS x(attnum, ord)
         JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = x.attnum
        WHERE i.indrelid = rel AND i.indisprimary;
       IF cardinality(pk) = 0 THEN
         RETURN jsonb_build_object('table', true, 'column', true, 'key', '[]'::jsonb);
       END IF;
       EXECUTE format('SELECT to_jsonb(jsonb_populate_record(NULL::%s, $1)) -> %L', rel, p_column)
         INTO typed USING jsonb_build_object(p_column, p_value);
       SELECT string_agg(format('%L, t.%I', c, c), ', ') INTO keys FROM unnest(pk) c;
       EXECUTE format('SELECT coalesce(jsonb_agg(m), ''[]'') FROM (
           SELECT (SELECT jsonb_object_agg(e.key, e.value::text) FROM jsonb_each(jsonb_build_object(%s)) e) AS m
             FROM %s t WHERE t.%I = (jsonb_populate_record(NULL::%s, $1)).%I LIMIT $2) s',
         keys, rel, p_column, rel, p_column)
         INTO now_found USING jsonb_build_object(p_column, p_value), p_limit;
       SELECT coalesce(jsonb_agg(m), '[]') INTO then_found FROM (
         SELECT (SELECT jsonb_object_agg(e.key, e.value::text) FROM jsonb_each(row_key) e) AS m
           FROM (SELECT row_key, max(id) AS last FROM ${schema}.row_history
                  WHERE table_name = p_table AND schema_name = p_schema AND old_row -> p_column = typed
                  GROUP BY row_key ORDER BY last DESC LIMIT p_limit) h) s;
       RETURN jsonb_build_object('table', true, 'column', true, 'key', to_jsonb(pk),
         'now', now_found, 'before', then_found);
     END $fn$`,
    `REVOKE ALL ON FUNCTION ${schema}.find_records(text, text, text, jsonb, integer) FROM PUBLIC`,
  ];
}
