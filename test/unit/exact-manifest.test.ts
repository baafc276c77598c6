import { describe, expect, it } from 'vitest';
import { recoverySteps, segmentHolding } from '../../agent/drill/exact-steps';
import { stopSettings } from '../../agent/drill/scratch-configure';
import { newestPosition } from '../../agent/snapshot/exact-stats';
import { ManifestDatabase, type RecoveryPointManifest } from '../../shared/agent/manifest';
import { readRecoveryLog } from '../../shared/restore/recovery-log';

// The pure parts of the exact manifest: which stops a drill makes, how recovery is told to stop,
// what the log says about it, and what a manifest database may claim.

const db = (name: string, consistentLsn?: string): RecoveryPointManifest['databases'][number] =>
  consistentLsn
    ? { name, isolation: 'exported snapshot', consistentLsn, tables: [] }
    : { name, isolation: 'repeatable read', tables: [] };

const manifestOf = (databases: RecoveryPointManifest['databases']) =>
  ({ databases }) as unknown as RecoveryPointManifest;

describe('recoverySteps', () => {
  it('groups databases by position and orders the stops by LSN, not by text', () => {
    const steps = recoverySteps(
      manifestOf([
        db('b', '0/A000060'),
        db('a', '0/9FFFFF8'),
        db('c', '0/A000060'),
        db('d', '1/0'),
      ]),
    );
    expect(steps).toEqual([
      { lsn: '0/9FFFFF8', databases: ['a'] },
      { lsn: '0/A000060', databases: ['b', 'c'] },
      { lsn: '1/0', databases: ['d'] },
    ]);
  });

  it('makes no stop for a manifest without positions (older agents: the backup end)', () => {
    expect(recoverySteps(manifestOf([db('a'), db('b')]))).toEqual([]);
    expect(recoverySteps(null)).toEqual([]);
  });

  it('finds the newest position to archive through', () => {
    expect(newestPosition([db('a', '0/FFFFFFF0'), db('b', '1/10'), db('c')])).toBe('1/10');
    expect(newestPosition([db('a')])).toBeNull();
  });
});

describe('segmentHolding', () => {
  it('names the segment a stop position lies in (16 MB and 64 MB segments)', () => {
    const mb16 = 16 * 1024 * 1024;
    expect(segmentHolding('0/3000060', 1, mb16)).toBe('000000010000000000000003');
    expect(segmentHolding('0/3000000', 1, mb16)).toBe('000000010000000000000003');
    expect(segmentHolding('1/FF000028', 2, mb16)).toBe('0000000200000001000000FF');
    expect(segmentHolding('0/C000000', 1, 64 * 1024 * 1024)).toBe('000000010000000000000003');
  });
});

describe('stopSettings', () => {
  it('stops before the position (exclusive) and clears pgBackRest’s immediate target', () => {
    expect(stopSettings({ lsn: '0/3000060', action: 'pause' })).toEqual({
      recovery_target: '',
      recovery_target_lsn: '0/3000060',
      recovery_target_inclusive: 'off',
      recovery_target_action: 'pause',
    });
  });
});

describe('readRecoveryLog', () => {
  it('reads where an LSN target stopped recovery', () => {
    const log = [
      '2026-12-06 03:19:16.101 UTC [12] LOG:  consistent recovery state reached at 0/2000100',
      '2026-12-06 03:19:16.201 UTC [12] LOG:  recovery stopping before WAL location (LSN) "0/3000060"',
      '2026-12-06 03:19:16.202 UTC [12] LOG:  redo done at 0/3000028 system usage: CPU: user: 0.00 s',
    ].join('\n');
    const outcome = readRecoveryLog(log);
    expect(outcome.stoppedBeforeLsn).toBe('0/3000060');
    expect(outcome.stoppedAtConsistency).toBe(false);
  });
});

describe('ManifestDatabase', () => {
  it('requires a position with an exported snapshot, and refuses one without', () => {
    expect(ManifestDatabase.safeParse(db('a', '0/1')).success).toBe(true);
    expect(ManifestDatabase.safeParse(db('a')).success).toBe(true);
    expect(
      ManifestDatabase.safeParse({ name: 'a', isolation: 'exported snapshot', tables: [] }).success,
    ).toBe(false);
    expect(
      ManifestDatabase.safeParse({
        name: 'a',
        isolation: 'repeatable read',
        consistentLsn: '0/1',
        tables: [],
      }).success,
    ).toBe(false);
  });
});
