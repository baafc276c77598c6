import { describe, expect, it } from 'vitest';
import { activeConditions, type AlertFacts } from '../../agent/alerts/conditions';
import { reconcile, type IncidentStore } from '../../agent/alerts/incident-store';
import {
  assessDrills,
  drillGraceSeconds,
  drillTile,
  type DrillFacts,
  type DrillReportFacts,
} from '../../shared/agent/drill-health';
import { evaluateHealth, worst } from '../../shared/agent/health';
import type { Heartbeat } from '../../shared/agent/heartbeat';

// Failed and overdue drills (issue 14 §2): one pure verdict (shared/agent/drill-health.ts) for
// the agent's drill-failed / drill-overdue incidents and the app's drill tile.

const now = new Date('2026-11-26T12:00:00Z');
const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000).toISOString();
const DAY = 86_400;
const QUARTER = 91 * DAY;

const report = (over: Partial<DrillReportFacts> = {}): DrillReportFacts => ({
  drillId: 'drill-20261120T031500Z',
  startedAt: ago(6 * DAY),
  at: ago(6 * DAY - 600),
  passed: true,
  backupLabel: '20261120-023000F',
  failedChecks: [],
  failure: null,
  ...over,
});
const failedReport = (over: Partial<DrillReportFacts> = {}) =>
  report({
    passed: false,
    failedChecks: ['cluster-starts', 'pgbackrest-verify'],
    failure: 'cluster-starts: not run: pgbackrest restore exited with code 38',
    ...over,
  });
const facts = (over: Partial<DrillFacts> = {}): DrillFacts => ({
  intervalSeconds: QUARTER,
  scheduleSince: ago(60 * DAY),
  lastReport: report(),
  lastAttempt: { at: ago(6 * DAY), ok: true, error: null },
  ...over,
});

describe('drill verdict', () => {
  it('grants a grace of a quarter interval, between an hour and three days', () => {
    expect(drillGraceSeconds(20)).toBe(3600);
    expect(drillGraceSeconds(DAY)).toBe(6 * 3600);
    expect(drillGraceSeconds(QUARTER)).toBe(3 * DAY);
  });

  it('says failed, naming the drill, the recovery point and the checks', () => {
    const a = assessDrills(facts({ lastReport: failedReport() }), now);
    expect(a.failed).toContain('drill-20261120T031500Z of recovery point 20261120-023000F');
    expect(a.failed).toContain('cluster-starts, pgbackrest-verify');
    expect(a.failed).toContain('exited with code 38');
    expect(a.overdue).toBeNull();
  });

  it('says overdue once the interval plus grace passed since the last drill started', () => {
    const lastStart = (s: number) =>
      facts({ lastReport: report({ startedAt: ago(s), at: ago(s) }) });
    expect(assessDrills(lastStart(QUARTER + 3 * DAY - 60), now).overdue).toBeNull();
    const late = assessDrills(lastStart(QUARTER + 3 * DAY + 60), now);
    expect(late.overdue).toMatch(/^no drill since .*: the next was due 3 d ago \(every 91 d\)$/);
    expect(late.dueAt).toBe(ago(3 * DAY + 60));
  });

  it('counts the first drill from when the scheduler first planned drills', () => {
    const never = (since: number) =>
      facts({ lastReport: null, lastAttempt: null, scheduleSince: ago(since) });
    expect(assessDrills(never(30 * DAY), now)).toMatchObject({ failed: null, overdue: null });
    expect(assessDrills(never(100 * DAY), now).overdue).toMatch(/^no drill yet: the first was due/);
  });

  it('is never overdue with drills off, an unknown schedule or nothing planned', () => {
    const old = { startedAt: ago(400 * DAY), at: ago(400 * DAY) };
    expect(assessDrills(facts({ intervalSeconds: 0, lastReport: report(old) }), now).overdue).toBe(
      null,
    );
    expect(
      assessDrills(facts({ intervalSeconds: null, lastReport: report(old) }), now).overdue,
    ).toBeNull();
    expect(
      assessDrills(facts({ lastReport: null, lastAttempt: null, scheduleSince: null }), now)
        .overdue,
    ).toBeNull();
  });
});

describe('drill tile', () => {
  const tile = (f: DrillFacts) => drillTile(f, now);

  it('is ok after a passing drill and names it', () => {
    expect(tile(facts())).toMatchObject({ id: 'drill', level: 'ok', value: 'passed 6 d ago' });
    expect(tile(facts()).reason).toContain('of recovery point 20261120-023000F passed');
  });

  it('is critical for a failed drill and for an overdue one', () => {
    const failed = tile(facts({ lastReport: failedReport() }));
    expect(failed).toMatchObject({ level: 'critical', value: 'failed' });
    expect(failed.reason).toContain('pgbackrest-verify');
    const overdue = tile(
      facts({ lastReport: report({ startedAt: ago(200 * DAY), at: ago(200 * DAY) }) }),
    );
    expect(overdue).toMatchObject({ level: 'critical', value: 'overdue' });
  });

  it('warns when drills are off or the last attempt could not run', () => {
    expect(tile(facts({ intervalSeconds: 0 }))).toMatchObject({ level: 'warning', value: 'off' });
    const couldNot = tile(
      facts({ lastAttempt: { at: ago(3600), ok: false, error: 'prepare: no recovery point' } }),
    );
    expect(couldNot).toMatchObject({ level: 'warning', value: 'could not run' });
    expect(couldNot.reason).toContain('no recovery point');
    // A drill the admin cancelled is no fault.
    const cancelled = { at: ago(3600), ok: false, error: 'restore: aborted (SIGTERM)' };
    expect(tile(facts({ lastAttempt: cancelled })).level).toBe('ok');
  });

  it('is ok before the first drill is due, unknown when nothing says when it will be', () => {
    expect(tile(facts({ lastReport: null, lastAttempt: null }))).toMatchObject({
      level: 'ok',
      value: 'none yet',
    });
    expect(tile(facts({ lastReport: null, lastAttempt: null, scheduleSince: null })).level).toBe(
      'unknown',
    );
  });

  it('makes the whole server critical when it sits in a heartbeat', () => {
    const hb: Heartbeat = {
      serverId: 's1',
      agentVersion: '0.1.0',
      at: ago(5),
      archiver: {
        archivedCount: 10,
        lastArchivedWal: '000000010000000000000010',
        lastArchivedAt: ago(30),
        failedCount: 0,
        lastFailedWal: null,
        lastFailedAt: null,
        secondsSinceLastArchive: 30,
      },
      repository: {
        reachable: true,
        statusCode: 0,
        message: 'ok',
        newestWal: null,
        backupCount: 1,
      },
      lastRecoveryPoint: { label: '20261126-023000F', at: ago(9 * 3600), ok: true },
      lastRecoveryPointError: null,
      lastRetention: null,
      spool: { path: '/spool', bytes: 0, queuedFiles: 0 },
      disk: { path: '/pg', freeBytes: 50e9, totalBytes: 100e9 },
      scheduler: { mode: 'daemon', running: true, nextSnapshotAt: null },
      lastDrill: { ...failedReport() },
      drill: { intervalSeconds: QUARTER, scheduleSince: ago(60 * DAY), lastAttempt: null },
      incidents: { 'drill-failed': ago(60) },
    };
    const tiles = evaluateHealth(hb, now);
    expect(tiles.find((t) => t.id === 'drill')?.level).toBe('critical');
    expect(worst(tiles.map((t) => t.level))).toBe('critical');
    // A heartbeat of an agent from before issue 14 (no schedule, only the outcome).
    const { drill: _drill, ...older } = hb;
    const oldPass = { ...older, lastDrill: { drillId: 'd', at: ago(60), passed: true } };
    expect(evaluateHealth(oldPass, now).find((t) => t.id === 'drill')?.level).toBe('ok');
    const oldNone = { ...older, lastDrill: null };
    expect(evaluateHealth(oldNone, now).find((t) => t.id === 'drill')?.level).toBe('unknown');
  });
});

describe('drill incidents', () => {
  const alertFacts = (drill: DrillFacts): AlertFacts => ({
    archiver: null,
    archiverError: null,
    repository: { reachable: true, message: 'ok' },
    walGaps: [],
    auditSlots: [],
    newestRecoveryPointAt: ago(3600),
    watchingSince: ago(60 * DAY),
    lastSnapshotAttempt: null,
    lastRetention: null,
    drill,
  });
  const settings = { webhooks: [], captureLagSeconds: 300, recoveryPointMaxAgeHours: 26 };
  const drillKinds = (drill: DrillFacts) =>
    [...activeConditions(alertFacts(drill), settings, now)].filter(([kind]) =>
      kind.startsWith('drill-'),
    );

  it('holds drill-failed while the newest drill failed, drill-overdue while none is recent', () => {
    expect(drillKinds(facts())).toEqual([]);
    const failed = drillKinds(facts({ lastReport: failedReport() }));
    expect(failed.map(([k]) => k)).toEqual(['drill-failed']);
    expect(failed[0]?.[1]).toContain('recovery point 20261120-023000F');
    const overdue = drillKinds(
      facts({ lastReport: report({ startedAt: ago(120 * DAY), at: ago(120 * DAY) }) }),
    );
    expect(overdue.map(([k]) => k)).toEqual(['drill-overdue']);
  });

  it('alerts once when a drill fails and sends one recovery notice when a later one passes', () => {
    const channels = ['smtp', 'webhook:http://x/hook'];
    const empty: IncidentStore = { watchingSince: null, open: {}, outbox: [] };
    const conditions = (drill: DrillFacts) => new Map(drillKinds(drill));
    const failing = facts({ lastReport: failedReport() });
    const a = reconcile(empty, conditions(failing), channels, now);
    expect(a.store.outbox.map((n) => [n.kind, n.state])).toEqual([
      ['drill-failed', 'open'],
      ['drill-failed', 'open'],
    ]);
    // Heartbeats go on while the drill stays failed: nothing more is sent.
    const b = reconcile({ ...a.store, outbox: [] }, conditions(failing), channels, now);
    expect(b.store.outbox).toEqual([]);
    const passing = facts({
      lastReport: report({ drillId: 'drill-20261126T110000Z', startedAt: ago(3600), at: ago(600) }),
    });
    const c = reconcile(b.store, conditions(passing), channels, now);
    expect(c.transitions).toEqual({ opened: [], resolved: ['drill-failed'] });
    expect(c.store.outbox.map((n) => [n.kind, n.state])).toEqual([
      ['drill-failed', 'resolved'],
      ['drill-failed', 'resolved'],
    ]);
  });
});
