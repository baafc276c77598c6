import { describe, expect, it } from 'vitest';
import {
  isoToMicros,
  lsnToBytes,
  microsToIso,
  parsePgTimestamp,
  readRecoveryLog,
} from '../../shared/restore/recovery-log';
import { stoppedAtPoint, stoppedAtTime } from '../../shared/restore/recovery-checks';

const TIME_LOG = `2026-11-26 17:38:16.106 UTC [1] LOG:  starting PostgreSQL 15.20
2026-11-26 17:38:16.294 UTC [3] LOG:  starting point-in-time recovery to 2026-11-26 17:40:00+00
2026-11-26 17:38:16.300 UTC [9] FATAL:  the database system is starting up
2026-11-26 17:38:17.100 UTC [3] LOG:  redo in progress, elapsed time: 1.00 s, current LSN: 0/5A00000
2026-11-26 17:38:17.904 UTC [3] LOG:  recovery stopping before commit of transaction 812, time 2026-11-26 17:40:00.412345+00
2026-11-26 17:38:17.904 UTC [3] LOG:  redo done at 0/6000100 system usage: CPU: user: 0.00 s
2026-11-26 17:38:17.904 UTC [3] LOG:  last completed transaction was at log time 2026-11-26 17:39:59.523001+00
2026-11-26 17:38:18.466 UTC [3] LOG:  selected new timeline ID: 2
2026-11-26 17:38:18.665 UTC [1] LOG:  database system is ready to accept connections
`;

describe('scratch recovery log', () => {
  it('reads where a time recovery stopped, to the microsecond', () => {
    const out = readRecoveryLog(TIME_LOG);
    expect(out.stoppedBefore).toEqual({
      kind: 'commit',
      xid: '812',
      at: isoToMicros('2026-11-26T17:40:00.412345Z'),
    });
    expect(out.lastCompleted).toBe(isoToMicros('2026-11-26T17:39:59.523001Z'));
    expect(out.newTimeline).toBe(2);
    expect(out.replayLsn).toBe('0/6000100');
    expect(out.readyForConnections).toBe(true);
    // A refused connection while starting is not a failure.
    expect(out.fatal).toEqual([]);
    expect(out.targetNotReached).toBe(false);
  });

  it('recognises WAL that ends before the target', () => {
    const out = readRecoveryLog(
      '2026-11-26 17:38:17.904 UTC [3] FATAL:  recovery ended before configured recovery target was reached\n',
    );
    expect(out.targetNotReached).toBe(true);
    expect(out.fatal[0]).toMatch(/^FATAL: recovery ended before/);
  });

  it('parses timestamps with any offset and compares in microseconds', () => {
    expect(parsePgTimestamp('2026-11-26 17:40:00+00')).toBe(Date.UTC(2026, 10, 26, 17, 40) * 1000);
    expect(parsePgTimestamp('2026-11-26 18:40:00.5+01')).toBe(
      Date.UTC(2026, 10, 26, 17, 40) * 1000 + 500_000,
    );
    expect(parsePgTimestamp('yesterday')).toBeNull();
    expect(isoToMicros('2026-11-26T17:40:00.000123Z') - isoToMicros('2026-11-26T17:40:00Z')).toBe(
      123,
    );
    expect(microsToIso(isoToMicros('2026-11-26T17:40:00.000123Z'))).toBe(
      '2026-11-26T17:40:00.000123Z',
    );
    expect(lsnToBytes('1/0')).toBe(2 ** 32);
    expect(lsnToBytes('0/4000028')).toBe(0x4000028);
  });

  it('checks the last commit against the target', () => {
    const out = readRecoveryLog(TIME_LOG);
    expect(stoppedAtTime(out, '2026-11-26T17:40:00Z').ok).toBe(true);
    // A target before the last replayed commit means recovery went too far.
    const early = stoppedAtTime(out, '2026-11-26T17:39:59Z');
    expect(early.ok).toBe(false);
    expect(early.detail).toMatch(/last commit replayed at 2026-11-26T17:39:59.523001Z/);
    // No commit after the backup: fine, as long as recovery stopped past the target.
    const quiet = stoppedAtTime({ ...out, lastCompleted: null }, '2026-11-26T17:40:00Z');
    expect(quiet.ok).toBe(true);
    expect(stoppedAtTime({ ...out, stoppedBefore: null }, '2026-11-26T17:40:00Z').ok).toBe(false);
  });

  it('checks a recovery point stopped at consistency', () => {
    expect(
      stoppedAtPoint(readRecoveryLog('LOG:  recovery stopping after reaching consistency'), 'L').ok,
    ).toBe(true);
    expect(stoppedAtPoint(readRecoveryLog(TIME_LOG), 'L').ok).toBe(false);
  });

  it('checks a recovery point stopped at its exact manifest position', () => {
    const exact = readRecoveryLog(
      'LOG:  recovery stopping before WAL location (LSN) "0/6000100"\n',
    );
    expect(exact.stoppedBeforeLsn).toBe('0/6000100');
    expect(stoppedAtPoint(exact, 'L', '0/6000100').ok).toBe(true);
    expect(stoppedAtPoint(exact, 'L', '0/6000200').ok).toBe(false);
  });
});
