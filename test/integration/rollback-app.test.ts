import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RollbackPreview } from '../../shared/audit/rollback-plan';
import type { RecordMatches } from '../../shared/audit/rollback-spec';
import type {
  AuditJobResult,
  RecordHistory,
  RollbackOutcome,
} from '../../shared/contract/rollback';
import { startInstalledAgent, type InstalledAgent } from '../harness/installed-agent';
import { startWriteLoad, type WriteLoad } from '../harness/write-load';

// Issue 18 through the app: the contract commands run the installed agent's bundle over SSH
// (a real sshd, the agent as the installer put it), with a writer committing beside. The
// rollback logic itself is covered in record-rollback.test.ts; this proves the path: audit
// trail install from the app, a record's history, preview, apply with who and why, a refusal.

let fx: InstalledAgent;
let load: WriteLoad;

beforeAll(async () => {
  fx = await startInstalledAgent({ attachedFiles: false });
  load = await startWriteLoad(fx.pg, { markerDb: 'chinook', pgbenchDb: null });
}, 300_000);

afterAll(async () => {
  await load?.stop();
  await fx?.stop();
}, 180_000);

const record = () => ({
  serverId: fx.serverId,
  db: 'chinook',
  schema: 'public',
  table: 'track',
  key: { track_id: '"3"' },
});

describe('record rollback through the app and the installed agent', () => {
  it('installs the audit trail after showing what it changes', async () => {
    const dry = await fx.call<AuditJobResult>('audit.install', {
      serverId: fx.serverId,
      db: 'chinook',
    });
    expect(dry).toMatchObject({ dryRun: true, trail: 'install' });
    expect(await fx.pg.psql("SELECT to_regnamespace('kumiko_audit') IS NULL", 'chinook')).toBe('t');
    const done = await fx.call<AuditJobResult>('audit.install', {
      serverId: fx.serverId,
      db: 'chinook',
      dryRun: false,
    });
    expect(done.tables.filter((t) => t.action === 'attach').map((t) => t.table)).toContain('track');
  });

  it('shows a record’s history, previews and applies a rollback with who and why', async () => {
    const [{ t0 } = { t0: '' }] = await fx.pg.query<{ t0: string }>(
      `SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS t0`,
    );
    const before = await fx.pg.psql(
      'SELECT to_jsonb(t) FROM track t WHERE track_id = 3',
      'chinook',
    );
    await fx.pg.psql(
      "UPDATE track SET name = 'wrong', milliseconds = 1 WHERE track_id = 3",
      'chinook',
    );
    // Found by the wrong name now, and by the old name in the history.
    const byName = (value: string) =>
      fx.call<RecordMatches>('rollback.find', {
        serverId: fx.serverId,
        db: 'chinook',
        schema: 'public',
        table: 'track',
        column: 'name',
        value,
      });
    const wrong = await byName('"wrong"');
    expect(wrong.now).toEqual([{ track_id: '3' }]);
    const old = JSON.parse(before) as { name: string };
    const byOldName = await byName(JSON.stringify(old.name));
    expect(byOldName.before).toContainEqual({ track_id: '3' });
    const history = await fx.call<RecordHistory>('rollback.history', record());
    expect(history.versions).toHaveLength(1);
    expect(history.versions[0]?.changedColumns).toEqual(['milliseconds', 'name']);

    const preview = await fx.call<RollbackPreview>('rollback.preview', {
      ...record(),
      target: { at: t0 },
    });
    expect(preview.action).toBe('update');
    expect(preview.diff.map((d) => d.column)).toEqual(['name', 'milliseconds']);
    const outcome = await fx.call<RollbackOutcome>('rollback.apply', {
      ...record(),
      preview,
      reason: 'ticket 4711',
    });
    expect(outcome.applied).toBe(true);
    expect(await fx.pg.psql('SELECT to_jsonb(t) FROM track t WHERE track_id = 3', 'chinook')).toBe(
      before,
    );
    const after = await fx.call<RecordHistory>('rollback.history', record());
    expect(after.versions.at(-1)).toMatchObject({
      reason: 'ticket 4711',
      applicationName: 'kumiko rollback',
    });
    expect(after.versions.at(-1)?.actor).toBeTruthy();
  });

  it('refuses a rollback the row changed under, and changes nothing', async () => {
    const [{ t1 } = { t1: '' }] = await fx.pg.query<{ t1: string }>(
      `SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS t1`,
    );
    await fx.pg.psql("UPDATE track SET name = 'bad' WHERE track_id = 3", 'chinook');
    const preview = await fx.call<RollbackPreview>('rollback.preview', {
      ...record(),
      target: { at: t1 },
    });
    await fx.pg.psql("UPDATE track SET name = 'someone else' WHERE track_id = 3", 'chinook');
    const outcome = await fx.call<RollbackOutcome>('rollback.apply', {
      ...record(),
      preview,
      reason: 'ticket 4712',
    });
    expect(outcome).toEqual({ applied: false, refusal: { code: 'changed-after-preview' } });
    expect(await fx.pg.psql('SELECT name FROM track WHERE track_id = 3', 'chinook')).toBe(
      'someone else',
    );
  });
});
