import { describe, expect, it } from 'vitest';
import { activeConditions, type AlertFacts } from '../../agent/alerts/conditions';
import type { AuditSlotFacts } from '../../agent/heartbeat/audit-slots';
import { channelIds } from '../../agent/alerts/deliver';
import { reconcile, type IncidentStore } from '../../agent/alerts/incident-store';
import { formatMessage } from '../../agent/alerts/smtp';
import { webhookPayload, type AlertEvent } from '../../agent/alerts/webhook';
import { parseArgs } from '../../agent/cli-args';
import type { PgBackRestBackup } from '../../agent/engines/pgbackrest-info';
import type { ArchiverFacts } from '../../agent/heartbeat/archiver';
import { findGaps } from '../../agent/heartbeat/wal-sequence';
import { ancestorsOf } from '../../agent/retention/points';
import { makeRedactor } from '../../agent/runtime/redact';
import { nextDailyAt, nextSnapshotAt } from '../../agent/scheduler/next-run';
import { chooseBackupType } from '../../agent/snapshot/backup-type';
import type { AlertSettings } from '../../shared/contract/agent';

// The agent's pure pieces: scheduling, WAL gap arithmetic, alert rules and incident
// transitions, payload formats, argument parsing. The engines are covered by the
// agent-*.test.ts integration tests.

const SEG = 16 * 1024 * 1024;

describe('scheduling', () => {
  const schedule = {
    snapshotAt: '02:30',
    heartbeatIntervalSeconds: 60,
    retentionIntervalSeconds: 86_400,
  };

  it('finds the next local HH:MM strictly after a moment', () => {
    const before = new Date(2026, 2, 10, 1, 0);
    expect(nextDailyAt(before, '02:30')).toEqual(new Date(2026, 2, 10, 2, 30));
    const at = new Date(2026, 2, 10, 2, 30);
    expect(nextDailyAt(at, '02:30')).toEqual(new Date(2026, 2, 11, 2, 30));
  });

  it('runs an interval schedule at once when nothing ran, then one interval after the last start', () => {
    const now = new Date('2026-03-10T10:00:00Z');
    const s = { ...schedule, snapshotIntervalSeconds: 30 };
    expect(nextSnapshotAt(s, null, now)).toEqual(now);
    expect(nextSnapshotAt(s, { at: now, ok: true }, now)).toEqual(new Date('2026-03-10T10:00:30Z'));
  });

  it('catches up a missed daily snapshot and retries a failed one within the hour', () => {
    const lastOk = new Date(2026, 2, 9, 2, 30);
    const muchLater = new Date(2026, 2, 10, 9, 0);
    expect(nextSnapshotAt(schedule, { at: lastOk, ok: true }, muchLater)).toEqual(muchLater);
    const failedAt = new Date(2026, 2, 10, 2, 30);
    expect(nextSnapshotAt(schedule, { at: failedAt, ok: false }, failedAt)).toEqual(
      new Date(2026, 2, 10, 3, 30),
    );
  });
});

describe('backup chain', () => {
  const backup = (
    label: string,
    type: PgBackRestBackup['type'],
    prior: string | null,
    stop: number,
  ) => ({ label, type, prior, timestamp: { start: stop - 5, stop } }) as PgBackRestBackup;
  const now = new Date('2026-03-10T00:00:00Z');
  const day = 86_400;
  const t = now.getTime() / 1000;

  it('takes a full backup when none finished in the last 7 days', () => {
    expect(chooseBackupType([], now)).toBe('full');
    expect(chooseBackupType([backup('F1', 'full', null, t - 8 * day)], now)).toBe('full');
    expect(chooseBackupType([backup('F1', 'full', null, t - 6 * day)], now)).toBe('incr');
  });

  it('names every backup a kept incremental builds on', () => {
    const list = [
      backup('F1', 'full', null, t - 3 * day),
      backup('I1', 'incr', 'F1', t - 2 * day),
      backup('I2', 'incr', 'I1', t - day),
      backup('F2', 'full', null, t),
    ];
    expect([...ancestorsOf(['I2'], list)].sort()).toEqual(['F1', 'I1']);
    expect([...ancestorsOf(['F2'], list)]).toEqual([]);
  });
});

describe('WAL gaps', () => {
  it('finds holes by position, across a log boundary and a timeline switch', () => {
    const names = [
      '0000000100000000000000FE',
      '0000000100000000000000FF',
      '000000010000000100000000',
      '000000010000000100000003',
      '000000020000000100000004',
      '000000010000000100000004',
    ];
    const { gaps, last } = findGaps(names, SEG);
    expect(gaps).toEqual([
      { after: '000000010000000100000000', before: '000000010000000100000003', missing: 2 },
    ]);
    expect(last).toBe('000000020000000100000004');
  });

  it('continues from the last checked segment', () => {
    const { gaps } = findGaps(['000000010000000000000009'], SEG, '000000010000000000000007');
    expect(gaps).toEqual([
      { after: '000000010000000000000007', before: '000000010000000000000009', missing: 1 },
    ]);
  });
});

describe('alert rules', () => {
  const settings: AlertSettings = {
    webhooks: [],
    captureLagSeconds: 300,
    recoveryPointMaxAgeHours: 26,
  };
  const now = new Date('2026-03-10T12:00:00Z');
  const archiver = (over: Partial<ArchiverFacts> = {}): ArchiverFacts => ({
    archivedCount: 10,
    lastArchivedWal: '000000010000000000000009',
    lastArchivedAt: '2026-03-10T11:59:00.000Z',
    failedCount: 0,
    lastFailedWal: null,
    lastFailedAt: null,
    now: now.toISOString(),
    readySegments: 0,
    bytesInCurrentSegment: 0,
    walSegmentSize: SEG,
    ...over,
  });
  const facts = (over: Partial<AlertFacts> = {}): AlertFacts => ({
    archiver: archiver(),
    archiverError: null,
    repository: { reachable: true, message: 'ok' },
    walGaps: [],
    auditSlots: [],
    newestRecoveryPointAt: '2026-03-10T02:30:00.000Z',
    watchingSince: '2026-03-01T00:00:00.000Z',
    lastSnapshotAttempt: { ok: true, error: null },
    lastRetention: { ok: true, message: 'kept 7' },
    drill: {
      intervalSeconds: 91 * 86_400,
      scheduleSince: '2026-03-01T00:00:00.000Z',
      lastReport: null,
      lastAttempt: null,
    },
    ...over,
  });
  const kinds = (f: AlertFacts) => [...activeConditions(f, settings, now).keys()];

  it('is quiet when all is well', () => {
    expect(kinds(facts())).toEqual([]);
  });

  it('reports capture failing after a failed archive, or with the repository unreachable', () => {
    const failed = archiver({ failedCount: 3, lastFailedAt: '2026-03-10T11:59:30.000Z' });
    expect(kinds(facts({ archiver: failed }))).toEqual(['capture-failing']);
    expect(kinds(facts({ repository: { reachable: false, message: 'refused' } }))).toEqual([
      'capture-failing',
    ]);
    const recovered = archiver({ failedCount: 3, lastFailedAt: '2026-03-10T11:58:00.000Z' });
    expect(kinds(facts({ archiver: recovered }))).toEqual([]);
  });

  it('tells an idle server from a stuck archiver', () => {
    const old = '2026-03-10T11:00:00.000Z';
    expect(kinds(facts({ archiver: archiver({ lastArchivedAt: old }) }))).toEqual([]);
    expect(kinds(facts({ archiver: archiver({ lastArchivedAt: old, readySegments: 2 }) }))).toEqual(
      ['capture-lag'],
    );
    expect(
      kinds(facts({ archiver: archiver({ lastArchivedAt: old, bytesInCurrentSegment: 8192 }) })),
    ).toEqual(['capture-lag']);
  });

  it('gives a failing archiver one alert, not a second one for the lag it causes', () => {
    const stuck = archiver({
      lastArchivedAt: '2026-03-10T11:00:00.000Z',
      readySegments: 5,
      failedCount: 40,
      lastFailedAt: '2026-03-10T11:59:30.000Z',
    });
    expect(kinds(facts({ archiver: stuck }))).toEqual(['capture-failing']);
  });

  it('reports an audit trail slot that lost WAL or holds too much of it', () => {
    const slot = (over: Partial<AuditSlotFacts>): AuditSlotFacts => ({
      database: 'shop',
      heldBytes: 1024 ** 2,
      walStatus: 'reserved',
      ...over,
    });
    expect(kinds(facts({ auditSlots: [slot({})] }))).toEqual([]);
    const held = activeConditions(
      facts({ auditSlots: [slot({ heldBytes: 2 * 1024 ** 3 })] }),
      settings,
      now,
    );
    expect(held.get('audit-trail-behind')).toBe(
      'the audit trail of shop holds 2048 MB of WAL: its drain is behind',
    );
    expect(kinds(facts({ auditSlots: [slot({ walStatus: 'lost' })] }))).toEqual([
      'audit-trail-behind',
    ]);
  });

  it('reports gaps, failed and missing recovery points, failed retention', () => {
    const f = facts({
      walGaps: [{ after: 'A', before: 'B', missing: 1 }],
      newestRecoveryPointAt: '2026-03-09T02:30:00.000Z',
      lastSnapshotAttempt: { ok: false, error: 'pgbackrest backup: boom' },
      lastRetention: { ok: false, message: 'pgbackrest expire: boom' },
    });
    expect(kinds(f).sort()).toEqual([
      'recovery-point-failed',
      'recovery-point-missing',
      'retention-failed',
      'wal-gap',
    ]);
    expect(kinds(facts({ newestRecoveryPointAt: null, watchingSince: now.toISOString() }))).toEqual(
      [],
    );
  });
});

describe('incidents', () => {
  const empty: IncidentStore = { watchingSince: null, open: {}, outbox: [] };
  const channels = ['smtp', 'webhook:http://x/hook'];

  it('queues one notice per channel when an incident opens, none while it stays, one when it clears', () => {
    const t1 = new Date('2026-03-10T12:00:00Z');
    const failing = new Map([['capture-failing' as const, 'S3 down']]);
    const a = reconcile(empty, failing, channels, t1);
    expect(a.transitions).toEqual({ opened: ['capture-failing'], resolved: [] });
    expect(a.store.outbox.map((n) => [n.channel, n.state])).toEqual([
      ['smtp', 'open'],
      ['webhook:http://x/hook', 'open'],
    ]);
    const delivered = { ...a.store, outbox: [] };
    const b = reconcile(
      delivered,
      new Map([['capture-failing' as const, 'S3 still down']]),
      channels,
      t1,
    );
    expect(b.transitions).toEqual({ opened: [], resolved: [] });
    expect(b.store.outbox).toEqual([]);
    expect(b.store.open['capture-failing']?.message).toBe('S3 still down');
    const c = reconcile(b.store, new Map(), channels, new Date('2026-03-10T12:05:00Z'));
    expect(c.transitions).toEqual({ opened: [], resolved: ['capture-failing'] });
    expect(c.store.outbox.map((n) => n.state)).toEqual(['resolved', 'resolved']);
    expect(c.store.open).toEqual({});
  });

  it('names channels by what they are, not by their position', () => {
    expect(
      channelIds({
        smtp: { host: 'h', port: 25, secure: false, from: 'a@b.de', to: ['c@d.de'] },
        webhooks: [{ url: 'https://chat.example/hook', format: 'slack' }],
        captureLagSeconds: 300,
        recoveryPointMaxAgeHours: 26,
      }),
    ).toEqual(['smtp', 'webhook:https://chat.example/hook']);
  });
});

describe('alert payloads', () => {
  const event: AlertEvent = {
    kind: 'capture-failing',
    state: 'open',
    serverId: 'srv-1',
    message: 'repository unreachable',
    at: '2026-03-10T12:00:00.000Z',
  };

  it('formats generic JSON, Slack and Teams', () => {
    expect(webhookPayload('json', event)).toEqual(event);
    expect(webhookPayload('slack', event)).toEqual({
      text: '[Kumiko Recovery] srv-1: WAL capture is failing\nrepository unreachable\n(2026-03-10T12:00:00.000Z)',
    });
    expect(webhookPayload('teams', event)).toMatchObject({
      '@type': 'MessageCard',
      '@context': 'https://schema.org/extensions',
      summary: '[Kumiko Recovery] srv-1: WAL capture is failing',
    });
  });

  it('writes a mail without header injection', () => {
    const text = formatMessage(
      { host: 'h', port: 25, secure: false, from: 'a@b.de', to: ['c@d.de'] },
      { subject: 'evil\r\nBcc: x@y.z', text: 'hi' },
    );
    const head = text.split('\r\n\r\n')[0] ?? '';
    expect(head).not.toMatch(/^Bcc:/m);
    expect(head).toContain('Subject: evil Bcc: x@y.z');
  });
});

describe('command line', () => {
  it('parses commands and options, and refuses unknown ones', () => {
    expect(parseArgs(['snapshot', '--config', '/c.json', '--type=full'])).toMatchObject({
      command: 'snapshot',
      configPath: '/c.json',
      type: 'full',
    });
    expect(parseArgs(['retention', '--dry-run']).dryRun).toBe(true);
    expect(parseArgs(['status']).configPath).toBe('/etc/kumiko-agent/config.json');
    expect(() => parseArgs(['explode'])).toThrow(/unknown command/);
    expect(() => parseArgs(['snapshot', '--type', 'weird'])).toThrow(/--type/);
    expect(() => parseArgs(['snapshot', '--bogus', '1'])).toThrow(/unknown option/);
  });

  it('redacts secrets from log text', () => {
    const redact = makeRedactor(['s3cr3t-key', undefined, 'ab']);
    expect(redact('key=s3cr3t-key ab')).toBe('key=*** ab');
  });
});
