import { describe, expect, it } from 'vitest';
import {
  BucketProtection,
  bucketProtectionTile,
  judgeBucketProtection,
  requiredRetentionDays,
  type BucketProtectionFacts,
} from '../../shared/agent/bucket-protection';
import { evaluateHealth } from '../../shared/agent/health';
import { Heartbeat } from '../../shared/agent/heartbeat';
import { decidesDrill, DrillResult, drillPassed } from '../../shared/report/drill-result';
import { sampleDrill } from './report-fixtures';

// The verdict on whether the key a server holds can destroy its backups (issue 15 §3): red
// when it can, amber (never "passed") for a bucket without versioning, lock or long enough
// retention, green only when neither.

const at = new Date('2026-12-06T06:00:00Z');

function facts(over: Partial<BucketProtectionFacts> = {}): BucketProtectionFacts {
  return {
    versioning: 'Enabled',
    objectLock: { state: 'Enabled', mode: 'COMPLIANCE', days: 93 },
    lifecycle: { state: 'none', expirationDays: null, noncurrentDays: null },
    versionDelete: 'denied',
    notes: [],
    ...over,
  };
}

const judge = (over: Partial<BucketProtectionFacts>) =>
  judgeBucketProtection(facts(over), requiredRetentionDays(), at);
const finding = (p: BucketProtection, id: string) => p.findings.find((f) => f.id === id);

describe('bucket protection verdict', () => {
  it('needs 93 days with the default retention (30 days WAL, 3 monthly points)', () => {
    expect(requiredRetentionDays()).toBe(93);
    expect(requiredRetentionDays({ monthly: 0, weekly: 8 })).toBe(56);
    expect(requiredRetentionDays({ monthly: 0, weekly: 0, pitrDays: 45 })).toBe(45);
  });

  it('is protected only with versioning, a long enough lock and a key that cannot delete versions', () => {
    const p = judge({});
    expect(p.level).toBe('protected');
    expect(p.findings.every((f) => f.level === 'ok')).toBe(true);
    expect(bucketProtectionTile(p)).toMatchObject({
      id: 'bucketProtection',
      level: 'ok',
      value: 'cannot destroy history',
    });
  });

  it('is red when the key deleted a version, whatever else the bucket has', () => {
    const p = judge({ versionDelete: 'allowed' });
    expect(p.level).toBe('exposed');
    expect(finding(p, 'history')?.text).toMatch(/can destroy every backup/);
    expect(bucketProtectionTile(p)).toMatchObject({
      level: 'critical',
      value: 'can destroy history',
    });
  });

  it('is red with versioning off and no lock: a plain delete destroys data', () => {
    const p = judge({
      versioning: 'Disabled',
      versionDelete: 'noVersion',
      objectLock: { state: 'Disabled', mode: null, days: null },
    });
    expect(p.level).toBe('exposed');
    expect(finding(p, 'versioning')?.level).toBe('warning');
    expect(finding(p, 'objectLock')?.level).toBe('warning');
  });

  it('warns (never passes) without Object Lock, with too short a lock, or with early lifecycle deletes', () => {
    const noLock = judge({ objectLock: { state: 'Disabled', mode: null, days: null } });
    expect(noLock.level).toBe('warning');
    expect(finding(noLock, 'history')?.level).toBe('ok');
    expect(finding(noLock, 'objectLock')?.text).toMatch(/at least 93 days/);
    const short = judge({ objectLock: { state: 'Enabled', mode: 'COMPLIANCE', days: 30 } });
    expect(short.level).toBe('warning');
    expect(finding(short, 'objectLock')?.text).toMatch(
      /30 days, shorter than the retention \(93 days/,
    );
    const unreported = judge({
      objectLock: { state: 'unknown', mode: null, days: null },
      notes: ['Object Lock not reported (NotImplemented)'],
    });
    expect(finding(unreported, 'objectLock')).toMatchObject({ level: 'warning' });
    expect(finding(unreported, 'objectLock')?.text).toContain('(NotImplemented)');
    const lifecycle = judge({
      lifecycle: { state: 'rules', expirationDays: 30, noncurrentDays: 1 },
    });
    expect(lifecycle.level).toBe('warning');
    expect(finding(lifecycle, 'lifecycle')?.text).toMatch(
      /after 30 days.*1 days after they are replaced/,
    );
    expect(bucketProtectionTile(lifecycle).level).toBe('warning');
  });

  it('is unknown when the probe could not run, and the tile says when nothing was checked', () => {
    const p = judge({
      versionDelete: 'error',
      notes: ['the version-delete probe failed (ECONNREFUSED)'],
    });
    expect(p.level).toBe('unknown');
    expect(finding(p, 'history')?.text).toContain('ECONNREFUSED');
    expect(bucketProtectionTile(undefined)).toMatchObject({
      level: 'unknown',
      value: 'not checked',
    });
  });

  it('travels in the heartbeat to the status tiles; heartbeats of older agents still parse', () => {
    const base = {
      serverId: 's1',
      agentVersion: '0.1.0',
      at: at.toISOString(),
      archiver: {
        archivedCount: 0,
        lastArchivedWal: null,
        lastArchivedAt: null,
        failedCount: 0,
        lastFailedWal: null,
        lastFailedAt: null,
        secondsSinceLastArchive: null,
      },
      repository: { reachable: true, statusCode: 0, message: '', newestWal: null, backupCount: 0 },
      lastRecoveryPoint: null,
      lastRecoveryPointError: null,
      lastRetention: null,
      spool: { path: '/s', bytes: 0, queuedFiles: 0 },
      disk: { path: '/d', freeBytes: 1, totalBytes: 2 },
      scheduler: { mode: 'daemon', running: true, nextSnapshotAt: null },
      incidents: {},
    };
    const old = Heartbeat.parse(base);
    expect(evaluateHealth(old, at).find((t) => t.id === 'bucketProtection')?.level).toBe('unknown');
    const hb = Heartbeat.parse({ ...base, bucketProtection: judge({ versionDelete: 'allowed' }) });
    expect(evaluateHealth(hb, at).find((t) => t.id === 'bucketProtection')).toMatchObject({
      level: 'critical',
      value: 'can destroy history',
    });
  });
});

describe('the drill report’s bucket-protection check is advisory', () => {
  const advisory = {
    id: 'bucket-protection',
    title: 'Bucket key cannot destroy backups (advisory)',
    passed: false,
    detail: 'exposed: history exposed: the key deleted an old version',
    evidence: ['bucket-protection.json'],
  };

  it('a failed bucket-protection check leaves a good restore passed, any other failed check does not', () => {
    const drill = sampleDrill();
    expect(DrillResult.safeParse({ ...drill, checks: [...drill.checks, advisory] }).success).toBe(
      true,
    );
    expect(drillPassed([...drill.checks, advisory])).toBe(true);
    const broken = drill.checks.map((c) => (c.id === 'amcheck' ? { ...c, passed: false } : c));
    expect(drillPassed([...broken, advisory])).toBe(false);
    expect(DrillResult.safeParse({ ...drill, checks: [...broken, advisory] }).success).toBe(false);
    expect(decidesDrill(advisory)).toBe(false);
    expect(decidesDrill({ id: 'amcheck' })).toBe(true);
  });
});
