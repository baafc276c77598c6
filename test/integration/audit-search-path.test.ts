import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installAuditTrail } from '../../agent/audit/audit-trail';
import { recordHistory } from '../../agent/audit/record-rollback';
import type { AgentConfig } from '../../shared/agent/config';
import { startPostgres, stopAll, type PostgresCluster } from '../harness';
import { clusterOnlyAgentConfig } from '../harness/cluster-agent-config';
import { startWriteLoad, type WriteLoad } from '../harness/write-load';

// The trail's trigger function runs with its owner's rights (SECURITY DEFINER) under the
// writer's search_path: since version 6 it has no SET clause, which cost every audited write
// ~1.7 µs. The attack: an application role (no superuser) puts a schema of its own before
// pg_catalog and shadows the functions and operators the trigger calls; if the trigger
// resolved any of them by the path, the role's code would run as the trail's owner. Every
// name in capture() is schema-qualified, so nothing of the role's runs and the history is
// written as always. Seen failing with the qualification taken out of capture().

const DB = 'shop';
let cluster: PostgresCluster;
let config: AgentConfig;
let load: WriteLoad;

beforeAll(async () => {
  // wal_level = logical: the trail's versions travel as WAL messages (audit-stream-sql.ts).
  cluster = await startPostgres({ confSettings: { wal_level: 'logical' } });
  await cluster.psql(`CREATE DATABASE ${DB}`);
  await cluster.psql(`CREATE ROLE app LOGIN; GRANT CREATE ON DATABASE ${DB} TO app;`);
  await asApp(
    `CREATE SCHEMA app;
     CREATE TABLE app.item (id int PRIMARY KEY, name text);
     INSERT INTO app.item VALUES (1, 'first'), (2, 'second');`,
  );
  config = clusterOnlyAgentConfig(cluster);
  await installAuditTrail(config, DB, {}, false);
  // A writer beside: its own table in the same database, covered by the same trigger.
  load = await startWriteLoad(cluster, { markerDb: DB, pgbenchDb: 'postgres', markerEveryMs: 50 });
  await installAuditTrail(config, DB, {}, false);
}, 180_000);

afterAll(async () => {
  await load?.stop();
  await cluster?.stop();
  await stopAll();
});

async function asApp(sql: string): Promise<void> {
  const url = new URL(cluster.connectionString(DB));
  url.username = 'app';
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Whatever the role's shadows record when they run: who they ran as. */
const SHADOWS = `
  CREATE SCHEMA evil;
  CREATE TABLE evil.ran (as_user text, what text);
  GRANT INSERT ON evil.ran TO PUBLIC;
  CREATE FUNCTION evil.to_jsonb(anyelement) RETURNS jsonb LANGUAGE sql AS $$
    INSERT INTO evil.ran VALUES (current_user, 'to_jsonb');
    SELECT pg_catalog.to_jsonb($1) $$;
  CREATE FUNCTION evil.jsonb_build_object(text, jsonb) RETURNS jsonb LANGUAGE sql AS $$
    INSERT INTO evil.ran VALUES (current_user, 'jsonb_build_object');
    SELECT pg_catalog.jsonb_build_object($1, $2) $$;
  CREATE FUNCTION evil.current_setting(text) RETURNS text LANGUAGE sql AS $$
    INSERT INTO evil.ran VALUES (current_user, 'current_setting');
    SELECT pg_catalog.current_setting($1) $$;
  CREATE FUNCTION evil.current_setting(text, boolean) RETURNS text LANGUAGE sql AS $$
    INSERT INTO evil.ran VALUES (current_user, 'current_setting 2');
    SELECT pg_catalog.current_setting($1, $2) $$;
  CREATE FUNCTION evil.txid_current() RETURNS bigint LANGUAGE sql AS $$
    INSERT INTO evil.ran VALUES (current_user, 'txid_current');
    SELECT pg_catalog.txid_current() $$;
  CREATE FUNCTION evil.clock_timestamp() RETURNS timestamptz LANGUAGE sql AS $$
    INSERT INTO evil.ran VALUES (current_user, 'clock_timestamp');
    SELECT pg_catalog.clock_timestamp() $$;
  CREATE FUNCTION evil.pg_logical_emit_message(boolean, text, text) RETURNS pg_lsn LANGUAGE sql AS $$
    INSERT INTO evil.ran VALUES (current_user, 'pg_logical_emit_message');
    SELECT pg_catalog.pg_logical_emit_message($1, $2, $3) $$;
  CREATE FUNCTION evil.text_eq(text, text) RETURNS boolean LANGUAGE sql AS $$
    INSERT INTO evil.ran VALUES (current_user, '=');
    SELECT $1 OPERATOR(pg_catalog.=) $2 $$;
  CREATE OPERATOR evil.= (LEFTARG = text, RIGHTARG = text, FUNCTION = evil.text_eq);
  CREATE FUNCTION evil.int_eq(integer, integer) RETURNS boolean LANGUAGE sql AS $$
    INSERT INTO evil.ran VALUES (current_user, 'int =');
    SELECT $1 OPERATOR(pg_catalog.=) $2 $$;
  CREATE OPERATOR evil.= (LEFTARG = integer, RIGHTARG = integer, FUNCTION = evil.int_eq);`;

describe('audit trail trigger under a hostile search_path', () => {
  it("never runs the writer's functions or operators with the trail's rights", async () => {
    await asApp(SHADOWS);
    await asApp(
      `SET search_path = evil, pg_catalog, app;
       UPDATE app.item SET name = 'changed' WHERE id = 1;
       DELETE FROM app.item WHERE id = 2;
       INSERT INTO app.item VALUES (3, 'third');`,
    );
    // The role's own statements call its shadows as itself (that is its business): only a
    // row written as another user is the trail running them.
    const ran = await cluster.query<{ as_user: string; what: string }>(
      "SELECT as_user, what FROM evil.ran WHERE as_user <> 'app' ORDER BY what",
      [],
      DB,
    );
    expect(ran).toEqual([]);
    // And the trail wrote its history as always.
    const ref = (id: string) => ({ db: DB, schema: 'app', table: 'item', key: { id } });
    const one = await recordHistory(config, ref('1'));
    expect(one.versions.map((v) => [v.op, v.old?.name ?? null])).toEqual([['U', '"first"']]);
    const two = await recordHistory(config, ref('2'));
    expect(two.versions.map((v) => v.op)).toEqual(['D']);
    const three = await recordHistory(config, ref('3'));
    expect(three.versions.map((v) => v.op)).toEqual(['I']);
  });
});
