import { describe, expect, it } from 'vitest';
import { judgeBucketProtection } from '../../shared/agent/bucket-protection';
import { evaluateHealth, worst, worstFirst } from '../../shared/agent/health';
import type { Heartbeat } from '../../shared/agent/heartbeat';
import type { ServerHealth } from '../../shared/contract';

const now = new Date('2026-11-26T12:00:00Z');
const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000).toISOString();

function heartbeat(overrides: Partial<Heartbeat> = {}): Heartbeat {
  return {
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
      newestWal: '000000010000000000000010',
      backupCount: 1,
    },
    lastRecoveryPoint: { label: '20261126-023000F', at: ago(9 * 3600), ok: true },
    lastRecoveryPointError: null,
    lastRetention: null,
    spool: { path: '/var/lib/kumiko-agent/spool', bytes: 0, queuedFiles: 0 },
    disk: { path: '/var/lib/postgresql', freeBytes: 50e9, totalBytes: 100e9 },
    scheduler: { mode: 'daemon', running: true, nextSnapshotAt: null },
    lastDrill: {
      drillId: 'drill-20261120T031500Z',
      startedAt: ago(6 * 86_400),
      at: ago(6 * 86_400 - 600),
      passed: true,
      backupLabel: '20261120-023000F',
      failedChecks: [],
      failure: null,
    },
    drill: { intervalSeconds: 91 * 86_400, scheduleSince: ago(60 * 86_400), lastAttempt: null },
    bucketProtection: judgeBucketProtection(
      {
        versioning: 'Enabled',
        objectLock: { state: 'Enabled', mode: 'COMPLIANCE', days: 100 },
        lifecycle: { state: 'none', expirationDays: null, noncurrentDays: null },
        versionDelete: 'denied',
        notes: [],
      },
      93,
      new Date(ago(3600)),
    ),
    incidents: {},
    ...overrides,
  };
}

const level = (hb: Heartbeat, id: string) => evaluateHealth(hb, now).find((t) => t.id === id);

describe('evaluateHealth', () => {
  it('is all green for a healthy agent', () => {
    expect(evaluateHealth(heartbeat(), now).every((t) => t.level === 'ok')).toBe(true);
  });

  it('turns capture red with the reason when the last archive attempt failed', () => {
    const tile = level(
      heartbeat({
        archiver: {
          ...heartbeat().archiver,
          failedCount: 3,
          lastFailedWal: '000000010000000000000011',
          lastFailedAt: ago(10),
        },
      }),
      'captureLag',
    );
    expect(tile?.level).toBe('critical');
    expect(tile?.reason).toContain('000000010000000000000011');
  });

  it('grades capture lag amber past 90 s and red past 5 min', () => {
    const lag = (s: number) =>
      level(
        heartbeat({ archiver: { ...heartbeat().archiver, secondsSinceLastArchive: s } }),
        'captureLag',
      )?.level;
    expect(lag(60)).toBe('ok');
    expect(lag(120)).toBe('warning');
    expect(lag(400)).toBe('critical');
  });

  it('flags a missing daily recovery point after 26 h and a failed one at once', () => {
    expect(
      level(
        heartbeat({ lastRecoveryPoint: { label: 'x', at: ago(27 * 3600), ok: true } }),
        'recoveryPointAge',
      )?.level,
    ).toBe('warning');
    expect(
      level(heartbeat({ lastRecoveryPointError: 'backup failed: disk full' }), 'recoveryPointAge'),
    ).toMatchObject({
      level: 'critical',
      reason: expect.stringContaining('disk full'),
    });
    expect(
      level(heartbeat({ lastRecoveryPointError: 'backup failed: disk full' }), 'recoveryPointAge')
        ?.action,
    ).toBeUndefined();
  });

  // Issue 21 §2: the console offers the heal where the failed point shows, and only then.
  it('offers the heal on the tile when the last point failed for missing attached-file data', () => {
    const failed = heartbeat({
      lastRecoveryPointError: 'attached files check: 1 pack(s) … are gone from the bucket',
      lastRecoveryPointFilesMissing: true,
    });
    expect(level(failed, 'recoveryPointAge')).toMatchObject({
      level: 'critical',
      action: 'healFiles',
    });
    const healed = heartbeat({ lastRecoveryPointFilesMissing: false });
    expect(level(healed, 'recoveryPointAge')?.action).toBeUndefined();
  });

  it('reads the repository status code, not an exit code', () => {
    expect(
      level(
        heartbeat({ repository: { ...heartbeat().repository, statusCode: 99, message: 'other' } }),
        'repository',
      )?.level,
    ).toBe('critical');
    expect(
      level(heartbeat({ repository: { ...heartbeat().repository, statusCode: 2 } }), 'repository')
        ?.level,
    ).toBe('warning');
    expect(
      level(
        heartbeat({ repository: { ...heartbeat().repository, reachable: false } }),
        'repository',
      )?.value,
    ).toBe('unreachable');
  });

  it('marks a stale heartbeat as a dead agent', () => {
    expect(level(heartbeat({ at: ago(600) }), 'agent')?.level).toBe('critical');
  });

  it('orders the fleet worst first', () => {
    const s = (name: string, lvl: ServerHealth['level']): ServerHealth => ({
      serverId: name,
      serverName: name,
      level: lvl,
      tiles: [],
      source: 'server',
      checkedAt: now.toISOString(),
    });
    expect(
      worstFirst([s('a', 'ok'), s('b', 'critical'), s('c', 'warning'), s('d', 'unknown')]).map(
        (x) => x.serverName,
      ),
    ).toEqual(['b', 'c', 'd', 'a']);
    expect(worst(['ok', 'warning', 'ok'])).toBe('warning');
  });
});
