import pg from 'pg';
import { createAuditDrainer } from '../../agent/audit/drain-loop';
import { AUDIT_SLOT_HELD_LIMIT_BYTES } from '../../agent/alerts/conditions';
import { readAuditSlots } from '../../agent/heartbeat/audit-slots';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  installAuditTrail,
  pruneAuditHistory,
  removeAuditTrail,
} from '../../agent/audit/audit-trail';
import {
  applyRollback,
  previewRollback,
  recordHistory,
  type RecordRef,
} from '../../agent/audit/record-rollback';
import { pruneAuditTrails } from '../../agent/audit/prune-all';
import { findRecords } from '../../agent/audit/record-find';
import type { AgentContext } from '../../agent/runtime/context';
import type { AgentConfig } from '../../shared/agent/config';
import {
  CHECKSUM_SESSION_SETTINGS_SQL,
  LIST_USER_TABLES_SQL,
  tableChecksumSql,
  type TableChecksumRow,
  type UserTableRow,
} from '../../shared/agent/table-checksum-sql';
import type { RollbackTarget } from '../../shared/audit/rollback-plan';
import { loadChinook, startPostgres, stopAll, type PostgresCluster } from '../harness';
import { clusterOnlyAgentConfig } from '../harness/cluster-agent-config';
import { startWriteLoad, type WriteLoad } from '../harness/write-load';

// Issue 18 §1-§3 against real PostgreSQL 15 with a writer committing beside: the audit trail
// installed by the agent's code (psql as the postgres OS user), records on Chinook (integer
// keys), on a table with a text key and one with a composite key (in a schema and table whose
// names need quoting) changed, rolled back to an earlier moment, and compared with checksums
// of every table; each refusal leaves the database unchanged.

const DB = 'chinook';
const ODD_SCHEMA = 'odd "schema"';
const ODD_TABLE = 'stock; drop table track';
const ODD = `${quote(ODD_SCHEMA)}.${quote(ODD_TABLE)}`;
let cluster: PostgresCluster;
let config: AgentConfig;
let load: WriteLoad;
const who = { actor: 'admin@test', reason: 'customer asked to undo a mistaken edit' };

beforeAll(async () => {
  // wal_level = logical: the trail's versions travel as WAL messages (audit-stream-sql.ts).
  cluster = await startPostgres({ confSettings: { wal_level: 'logical' } });
  await loadChinook(cluster);
  await cluster.psql(
    `CREATE TABLE note (code text PRIMARY KEY, slug text UNIQUE, body text, at timestamptz, price numeric(30,10));
     INSERT INTO note VALUES ('A-1', 'first', 'hello', '2026-01-01 10:00+01', 12345678901234567890.0123456789),
                             ('B-2', 'second', 'world', NULL, 1);
     CREATE SCHEMA ${quote(ODD_SCHEMA)};
     CREATE TABLE ${ODD} (warehouse text, sku bigint, qty int,
       id bigint GENERATED ALWAYS AS IDENTITY, total int GENERATED ALWAYS AS (qty * 2) STORED,
       PRIMARY KEY (warehouse, sku));
     INSERT INTO ${ODD} (warehouse, sku, qty)
       VALUES ('north', 9007199254740993, 5), ('south', 1, 7), ('north', 2, 1);
     CREATE TABLE log_lines (line text);
     CREATE TABLE parent (id int PRIMARY KEY);
     CREATE TABLE child (id int PRIMARY KEY, parent_id int REFERENCES parent ON DELETE CASCADE);`,
    DB,
  );
  config = clusterOnlyAgentConfig(cluster);
  // The marker table lives in chinook and is covered too: the writer's rows land in the trail
  // beside ours, and no rollback may touch them.
  load = await startWriteLoad(cluster, { markerDb: DB, pgbenchDb: 'postgres', markerEveryMs: 50 });
}, 180_000);

afterAll(async () => {
  await load?.stop();
  await cluster?.stop();
  await stopAll();
});

function quote(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

type Checksums = Record<string, string>;

/** Every table's row count and checksum in one snapshot; the writer's and the trail's own left out. */
async function checksums(): Promise<Checksums> {
  const client = new pg.Client({ connectionString: cluster.connectionString(DB) });
  await client.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    await client.query(CHECKSUM_SESSION_SETTINGS_SQL);
    const out: Checksums = {};
    for (const t of (await client.query<UserTableRow>(LIST_USER_TABLES_SQL)).rows) {
      if (t.schema === 'kumiko_audit' || t.table === 'kumiko_marker') continue;
      const [row] = (await client.query<TableChecksumRow>(tableChecksumSql(t))).rows;
      out[`${t.schema}.${t.table}`] = `${row?.rows}:${row?.checksum}`;
    }
    await client.query('COMMIT');
    return out;
  } finally {
    await client.end();
  }
}

async function serverNow(): Promise<string> {
  const [row] = await cluster.query<{ now: string }>(
    `SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS now`,
  );
  return row?.now as string;
}

const ref = (schema: string, table: string, key: Record<string, string>): RecordRef => ({
  db: DB,
  schema,
  table,
  key,
});

async function rollBack(record: RecordRef, target: RollbackTarget) {
  const preview = await previewRollback(config, record, target);
  expect(preview.refusal).toBeUndefined();
  const outcome = await applyRollback(config, record, preview, who);
  // The rollback is in the audit trail with who and why, under the ids it names.
  if (outcome.applied && outcome.action !== 'none') {
    expect(outcome.historyIds.length).toBeGreaterThan(0);
    const ids = outcome.historyIds.join(', ');
    expect(
      await cluster.psql(
        `SELECT string_agg(DISTINCT actor || ' / ' || reason || ' / ' || application_name, ';') FROM kumiko_audit.row_history WHERE id IN (${ids})`,
        DB,
      ),
    ).toBe(`${who.actor} / ${who.reason} / kumiko rollback`);
  }
  return { preview, outcome };
}

describe('audit trail install', () => {
  it('previews, installs, lists tables without a key with the reason, and is idempotent', async () => {
    const dry = await installAuditTrail(config, DB, {}, true);
    expect(dry.trail).toBe('install');
    expect(dry.tables.find((t) => t.table === 'log_lines')).toMatchObject({
      action: 'uncovered',
      reason: 'no-primary-key',
    });
    expect(dry.tables.find((t) => t.table === ODD_TABLE)).toMatchObject({
      schema: ODD_SCHEMA,
      key: ['warehouse', 'sku'],
      action: 'attach',
    });
    expect(await cluster.psql("SELECT to_regnamespace('kumiko_audit') IS NULL", DB)).toBe('t');

    const first = await installAuditTrail(config, DB, {}, false);
    expect(first.trail).toBe('install');
    expect(first.tables.filter((t) => t.action === 'attach').length).toBe(16);
    const again = await installAuditTrail(config, DB, {}, false);
    expect(again.trail).toBe('unchanged');
    expect(again.tables.filter((t) => t.action === 'attach' || t.action === 'reattach')).toEqual(
      [],
    );
    // The writer's rows are captured with who wrote them, in the history after the agent's
    // daemon drained (its drainer finds the databases with the trail itself).
    await new Promise((r) => setTimeout(r, 300));
    const warnings: string[] = [];
    const drain = createAuditDrainer({
      config,
      log: { warn: (line: string) => warnings.push(line), info: () => undefined },
    } as unknown as AgentContext);
    await drain();
    expect(warnings).toEqual([]);
    const [captured] = await cluster.query<{ n: string; users: string[] }>(
      `SELECT count(*) AS n, array_agg(DISTINCT db_user) AS users FROM kumiko_audit.row_history WHERE table_name = 'kumiko_marker'`,
      [],
      DB,
    );
    expect(Number(captured?.n)).toBeGreaterThan(0);
    expect(captured?.users).toEqual(['postgres']);
  });
});

describe('record rollback to an earlier moment', () => {
  it('brings updated, deleted and inserted rows back exactly and changes no other row', async () => {
    const t0Sums = await checksums();
    const t0 = await serverNow();
    // Bad changes, several per record, committed among the writer's.
    await cluster.psql(
      `UPDATE track SET name = 'oops', unit_price = 9.99 WHERE track_id = 1;
       UPDATE track SET composer = NULL WHERE track_id = 1;
       DELETE FROM invoice_line WHERE invoice_line_id = 7;
       INSERT INTO genre VALUES (26, 'Mistake');
       UPDATE note SET body = 'changed', at = now(), price = 0 WHERE code = 'A-1';
       DELETE FROM ${ODD} WHERE warehouse = 'north' AND sku = 9007199254740993;
       INSERT INTO ${ODD} (warehouse, sku, qty) VALUES ('east', 3, 3);
       UPDATE ${ODD} SET qty = 70 WHERE warehouse = 'south' AND sku = 1;`,
      DB,
    );
    expect(await checksums()).not.toEqual(t0Sums);

    const history = await recordHistory(config, ref('public', 'track', { track_id: '1' }));
    expect(history.versions.map((v) => v.op)).toEqual(['U', 'U']);
    expect(history.versions[0]?.changedColumns).toEqual(['name', 'unit_price']);
    expect(history.versions[0]?.old?.name).toBe('"For Those About To Rock (We Salute You)"');
    expect(history.versions[1]?.dbUser).toBe('postgres');

    const records: [RecordRef, string][] = [
      [ref('public', 'track', { track_id: '1' }), 'update'],
      [ref('public', 'invoice_line', { invoice_line_id: '"7"' }), 'insert'],
      [ref('public', 'genre', { genre_id: '26' }), 'delete'],
      [ref('public', 'note', { code: '"A-1"' }), 'update'],
      [ref(ODD_SCHEMA, ODD_TABLE, { warehouse: '"north"', sku: '9007199254740993' }), 'insert'],
      [ref(ODD_SCHEMA, ODD_TABLE, { warehouse: '"east"', sku: '3' }), 'delete'],
      [ref(ODD_SCHEMA, ODD_TABLE, { warehouse: '"south"', sku: '1' }), 'update'],
    ];
    for (const [record, action] of records) {
      const { preview, outcome } = await rollBack(record, { at: t0 });
      expect(preview.action, `${record.table} ${JSON.stringify(record.key)}`).toBe(action);
      expect(preview.statements).toHaveLength(1);
      expect(outcome).toMatchObject({ applied: true, action });
    }
    expect(await checksums()).toEqual(t0Sums);

    // The rollback is in the trail with who and why.
    const after = await recordHistory(config, ref('public', 'track', { track_id: '1' }));
    expect(after.versions.at(-1)).toMatchObject({
      op: 'U',
      actor: who.actor,
      reason: who.reason,
      applicationName: 'kumiko rollback',
    });
    // Exact: the numeric(30,10) and the timestamptz written in another time zone.
    const [note] = await cluster.query<{ price: string; at: string }>(
      "SELECT price::text, at::text FROM note WHERE code = 'A-1'",
      [],
      DB,
    );
    expect(note).toEqual({
      price: '12345678901234567890.0123456789',
      at: expect.stringMatching(/^2026-01-01 09:00:00/),
    });
    // Rolling back again to the same moment is nothing to do.
    const again = await previewRollback(config, records[0]![0], { at: t0 });
    expect(again.action).toBe('none');
  });

  it('goes back to the state right after a chosen version', async () => {
    const record = ref('public', 'note', { code: '"B-2"' });
    await cluster.psql("UPDATE note SET body = 'v1' WHERE code = 'B-2'", DB);
    await cluster.psql("UPDATE note SET body = 'v2' WHERE code = 'B-2'", DB);
    const { versions } = await recordHistory(config, record);
    const v1 = versions.find((v) => v.new?.body === '"v1"');
    const { preview, outcome } = await rollBack(record, { afterVersion: v1?.id as string });
    expect(preview.diff).toEqual([{ column: 'body', current: '"v2"', target: '"v1"' }]);
    expect(outcome.applied).toBe(true);
    expect(await cluster.psql("SELECT body FROM note WHERE code = 'B-2'", DB)).toBe('v1');
  });
});

describe('finding a record by a column value', () => {
  it('finds the rows that hold it now and records that held it before, by key', async () => {
    const find = (table: string, column: string, value: string) =>
      findRecords(config, { db: DB, schema: 'public', table, column, value });
    // The genre inserted by mistake and rolled back above: gone now, found in the history.
    expect(await find('genre', 'name', '"Mistake"')).toEqual({
      key: ['genre_id'],
      now: [],
      before: [{ genre_id: '26' }],
      limit: 50,
    });
    // Read through the column's type: the JSON text "1" finds the integer 1.
    const byNumber = await find('track', 'media_type_id', '"1"');
    expect(byNumber.now.length).toBe(50);
    expect(await find('note', 'slug', '"second"')).toMatchObject({ now: [{ code: '"B-2"' }] });
    await expect(find('note', 'no_such_column', '"x"')).rejects.toThrow(/has no column/);
  });
});

describe('refusals leave the database unchanged', () => {
  async function refused(record: RecordRef, target: RollbackTarget, between?: string) {
    const preview = await previewRollback(config, record, target);
    if (between) await cluster.psql(between, DB);
    const before = await checksums();
    const outcome = await applyRollback(config, record, preview, who);
    expect(await checksums()).toEqual(before);
    expect(outcome.applied).toBe(false);
    return outcome.applied ? undefined : outcome.refusal;
  }

  it('when the row changed after the preview', async () => {
    const t = await serverNow();
    await cluster.psql("UPDATE note SET body = 'bad' WHERE code = 'B-2'", DB);
    expect(
      await refused(
        ref('public', 'note', { code: '"B-2"' }),
        { at: t },
        "UPDATE note SET body = 'someone else' WHERE code = 'B-2'",
      ),
    ).toEqual({ code: 'changed-after-preview' });
  });

  it('when a foreign key would break, naming it', async () => {
    const t = await serverNow();
    await cluster.psql(
      "INSERT INTO genre VALUES (27, 'New'); UPDATE track SET genre_id = 27 WHERE track_id = 2",
      DB,
    );
    expect(await refused(ref('public', 'genre', { genre_id: '27' }), { at: t })).toEqual({
      code: 'foreign-key',
      constraint: 'track_genre_id_fkey',
      table: 'track',
    });
  });

  it('when a unique key would break, naming it', async () => {
    const t = await serverNow();
    await cluster.psql(
      "DELETE FROM note WHERE code = 'A-1'; INSERT INTO note (code, slug) VALUES ('C-3', 'first')",
      DB,
    );
    expect(await refused(ref('public', 'note', { code: '"A-1"' }), { at: t })).toEqual({
      code: 'unique',
      constraint: 'note_slug_key',
      table: 'note',
    });
  });

  it('when another row would change too (a cascading foreign key)', async () => {
    const t = await serverNow();
    await cluster.psql('INSERT INTO parent VALUES (1); INSERT INTO child VALUES (10, 1)', DB);
    expect(await refused(ref('public', 'parent', { id: '1' }), { at: t })).toEqual({
      code: 'other-rows-changed',
      tables: ['public.child'],
    });
  });

  it("when the table's columns changed since that version", async () => {
    const t = await serverNow();
    await cluster.psql(
      `UPDATE ${ODD} SET qty = 1000 WHERE warehouse = 'south';
       ALTER TABLE ${ODD} ADD COLUMN note text`,
      DB,
    );
    const record = ref(ODD_SCHEMA, ODD_TABLE, { warehouse: '"south"', sku: '1' });
    const preview = await previewRollback(config, record, { at: t });
    expect(preview.refusal).toEqual({ code: 'columns-changed', added: ['note'], removed: [] });
    expect(preview.statements).toEqual([]);
    expect(await refused(record, { at: t })).toEqual({
      code: 'columns-changed',
      added: ['note'],
      removed: [],
    });
  });
});

describe('refused with the reason: TRUNCATE and column types', () => {
  it('when the table was emptied with TRUNCATE after that moment', async () => {
    await cluster.psql('INSERT INTO child VALUES (30, NULL)', DB);
    const t = await serverNow();
    await cluster.psql('TRUNCATE child; INSERT INTO child VALUES (30, NULL)', DB);
    const record = ref('public', 'child', { id: '30' });
    const preview = await previewRollback(config, record, { at: t });
    expect(preview.refusal).toMatchObject({ code: 'truncated' });
    expect(preview.statements).toEqual([]);
    const before = await checksums();
    expect(await applyRollback(config, record, preview, who)).toMatchObject({ applied: false });
    expect(await checksums()).toEqual(before);
  });

  it("when a column's type changed since that version", async () => {
    const t = await serverNow();
    await cluster.psql(
      `UPDATE note SET body = 'typed' WHERE code = 'B-2';
       ALTER TABLE note ALTER COLUMN price TYPE numeric(40,10)`,
      DB,
    );
    const record = ref('public', 'note', { code: '"B-2"' });
    const preview = await previewRollback(config, record, { at: t });
    expect(preview.refusal).toEqual({
      code: 'column-types-changed',
      columns: [{ column: 'price', then: 'numeric(30,10)', now: 'numeric(40,10)' }],
    });
    const before = await checksums();
    expect(await applyRollback(config, record, preview, who)).toMatchObject({ applied: false });
    expect(await checksums()).toEqual(before);
  });
});

describe('audit trail removal and retention', () => {
  it('prunes history older than the retention', async () => {
    await cluster.psql('SELECT kumiko_audit.drain()', DB);
    await cluster.psql(
      "UPDATE kumiko_audit.row_history SET changed_at = now() - interval '40 days' WHERE table_name = 'track'",
      DB,
    );
    const kept = await pruneAuditHistory(config, DB, 41);
    expect(kept).toEqual({ db: DB, retentionDays: 41, deleted: 0 });
    // As the agent's daily retention runs it: every database, the trail's own 30 days.
    const warnings: string[] = [];
    const ctx = { config, log: { warn: (line: string) => warnings.push(line) } };
    const message = await pruneAuditTrails(ctx as unknown as AgentContext);
    expect(message).toMatch(/^audit history: [1-9]\d* rows past retention deleted$/);
    expect(warnings).toEqual([]);
    expect(
      await cluster.psql(
        "SELECT count(*) FROM kumiko_audit.row_history WHERE table_name = 'track'",
        DB,
      ),
    ).toBe('0');
  });

  it('upgrades a version 2 trail: its history is read beside new versions, tables reattached, the record index rebuilt', async () => {
    // A trail as version 2 left it: old and new rows and changed columns per version, no
    // TRUNCATE trigger. Its rows written by hand while the row trigger is off.
    await cluster.psql(
      `ALTER TABLE note DISABLE TRIGGER kumiko_audit_capture;
       INSERT INTO note (code, body) VALUES ('Z-9', 'v2 first');
       UPDATE note SET body = 'v2 second' WHERE code = 'Z-9';
       ALTER TABLE note ENABLE TRIGGER kumiko_audit_capture;
       INSERT INTO kumiko_audit.row_history (schema_name, table_name, row_key, op, old_row, new_row, changed_columns)
       VALUES ('public', 'note', '{"code": "Z-9"}', 'I', NULL,
               '{"code": "Z-9", "slug": null, "body": "v2 first", "at": null, "price": null}', NULL),
              ('public', 'note', '{"code": "Z-9"}', 'U',
               '{"code": "Z-9", "slug": null, "body": "v2 first", "at": null, "price": null}',
               '{"code": "Z-9", "slug": null, "body": "v2 second", "at": null, "price": null}', '{body}');
       DROP TRIGGER kumiko_audit_truncate ON note;
       DROP INDEX kumiko_audit.row_history_key;
       CREATE INDEX row_history_record ON kumiko_audit.row_history (table_name, schema_name, row_key, id);
       UPDATE kumiko_audit.meta SET version = 2;`,
      DB,
    );
    const upgraded = await installAuditTrail(config, DB, {}, false);
    expect(upgraded.trail).toBe('upgrade');
    // Up to version 4 the record index was (table, schema, key, id); version 5 hashes the record.
    expect(
      await cluster.psql(
        `SELECT string_agg(indexrelid::regclass::text || ' ' || indisvalid, ', ' ORDER BY indexrelid::regclass::text)
           FROM pg_index WHERE indrelid = 'kumiko_audit.row_history'::regclass`,
        DB,
      ),
    ).toBe('kumiko_audit.row_history_key true, kumiko_audit.row_history_time true');
    expect(upgraded.tables.find((t) => t.table === 'note')?.action).toBe('reattach');
    expect(
      await cluster.psql(
        "SELECT count(*) FROM pg_trigger WHERE tgname = 'kumiko_audit_truncate' AND tgrelid = 'note'::regclass",
        DB,
      ),
    ).toBe('1');
    await cluster.psql("UPDATE note SET body = 'v3' WHERE code = 'Z-9'", DB);
    const record = ref('public', 'note', { code: '"Z-9"' });
    const { versions } = await recordHistory(config, record);
    expect(versions.map((v) => [v.op, v.new?.body, v.changedColumns])).toEqual([
      ['I', '"v2 first"', null],
      ['U', '"v2 second"', ['body']],
      ['U', '"v3"', ['body']],
    ]);
    const { outcome } = await rollBack(record, { afterVersion: versions[0]!.id });
    expect(outcome.applied).toBe(true);
    expect(await cluster.psql("SELECT body FROM note WHERE code = 'Z-9'", DB)).toBe('v2 first');
  });

  it('makes a lost slot again (a restored cluster has none) and notes the gap', async () => {
    await cluster.psql("UPDATE note SET body = 'kept' WHERE code = 'Z-9'", DB);
    await cluster.psql('SELECT kumiko_audit.drain()', DB);
    const slot = await cluster.psql('SELECT kumiko_audit.slot_name()', DB);
    await cluster.psql(`SELECT pg_drop_replication_slot('${slot}')`, DB);
    // Written while no slot exists: this version cannot be kept, and the trail says so.
    await cluster.psql("UPDATE note SET body = 'lost' WHERE code = 'Z-9'", DB);
    expect(await cluster.psql('SELECT kumiko_audit.drain()', DB)).toBe('0');
    expect(await cluster.psql('SELECT count(*) FROM kumiko_audit.gaps', DB)).toBe('1');
    expect(
      await cluster.psql(
        `SELECT count(*) FROM pg_replication_slots WHERE slot_name = '${slot}'`,
        DB,
      ),
    ).toBe('1');
    await cluster.psql("UPDATE note SET body = 'after' WHERE code = 'Z-9'", DB);
    const { versions } = await recordHistory(config, ref('public', 'note', { code: '"Z-9"' }));
    expect(versions.slice(-2).map((v) => v.old?.body)).toEqual(['"v2 first"', '"lost"']);
    // Back to a version from before the gap: the versions since may be incomplete, refused.
    const record = ref('public', 'note', { code: '"Z-9"' });
    const before = await previewRollback(config, record, { afterVersion: versions.at(-2)!.id });
    expect(before.refusal).toMatchObject({ code: 'history-gap' });
    // From after the gap the history is whole again.
    const after = await previewRollback(config, record, { afterVersion: versions.at(-1)!.id });
    expect(after.refusal).toBeUndefined();
    // As the heartbeat reads it: one slot, drained, holding little WAL.
    const slots = await readAuditSlots(config);
    expect(slots.map((s) => [s.database, s.walStatus])).toEqual([[DB, 'reserved']]);
    expect(slots[0]!.heldBytes).toBeLessThan(AUDIT_SLOT_HELD_LIMIT_BYTES);
  });

  it('removes the triggers but keeps the history unless asked', async () => {
    const removed = await removeAuditTrail(config, DB, false, false);
    expect(removed.trail).toBe('remove');
    expect(
      await cluster.psql(
        `SELECT (SELECT count(*) FROM pg_trigger WHERE tgname IN ('kumiko_audit_capture', 'kumiko_audit_truncate'))
              + (SELECT count(*) FROM pg_event_trigger WHERE evtname = 'kumiko_audit_columns')`,
        DB,
      ),
    ).toBe('0');
    expect(
      Number(await cluster.psql('SELECT count(*) FROM kumiko_audit.row_history', DB)),
    ).toBeGreaterThan(0);
    const back = await installAuditTrail(config, DB, { tables: ['public.note'] }, false);
    expect(back.trail).toBe('upgrade');
    expect(back.tables.filter((t) => t.action === 'attach').map((t) => t.table)).toEqual(['note']);
    const gone = await removeAuditTrail(config, DB, true, false);
    expect(gone.trail).toBe('remove-with-history');
    expect(await cluster.psql("SELECT to_regnamespace('kumiko_audit') IS NULL", DB)).toBe('t');
  });
});
