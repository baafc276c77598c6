import { describe, expect, it } from 'vitest';
import {
  AgentSnapshotResult,
  parsePointProgressLine,
  PointNote,
  pointProgressLine,
} from '../../shared/agent/point';
import { parseArgs } from '../../agent/cli-args';
import { EXIT } from '../../agent/runtime/errors';
import { EXIT_BUSY_AGENT, EXIT_FILES_MISSING } from '../../electron/services/point/agent-exit';
import { parseOutcome } from '../../electron/services/point/point-job';
import { PointCreateInput } from '../../shared/contract/point';
import { pointNoteProblem } from '../../shared/contract/point-phases';

// A recovery point on demand (issue 21 §1): the agent's progress lines and result, the note's
// rules (it is signed into the manifest and comes back from the bucket as untrusted text), and
// how the app reads the agent's exit.

const RESULT = {
  label: '20261206-064500F_20261206-071000I',
  at: '2026-12-06T07:10:30.000Z',
  type: 'incr',
  tier: 'daily',
  resticSnapshotId: 'ab12cd34',
  manifestKey: 'kumiko/s/manifests/20261206-064500F_20261206-071000I.json',
  sha256: 'a'.repeat(64),
  tables: 12,
  seconds: 8.4,
  note: 'vor dem Upgrade',
};

describe('recovery point on demand', () => {
  it('round-trips progress lines and ignores anything else', () => {
    const line = pointProgressLine({ phase: 'files', message: 'restic backup', done: 1, total: 3 });
    expect(line.startsWith('@point ')).toBe(true);
    expect(parsePointProgressLine(line)).toEqual({
      phase: 'files',
      message: 'restic backup',
      done: 1,
      total: 3,
    });
    for (const other of [
      'kumiko-agent snapshot: lock: busy',
      '@point {"phase":"restore","message":"x"}',
      '@point {not json',
      '@progress {"phase":"backup","message":"x"}',
    ]) {
      expect(parsePointProgressLine(other), other).toBeNull();
    }
  });

  it('takes a note of one printable line up to 200 characters, and nothing else', () => {
    expect(PointNote.parse('  Vor dem Upgrade auf 4.2 – „Rechnungen“ ✓ ')).toBe(
      'Vor dem Upgrade auf 4.2 – „Rechnungen“ ✓',
    );
    expect(PointNote.safeParse('x'.repeat(200)).success).toBe(true);
    for (const bad of [
      '',
      '   ',
      'x'.repeat(201),
      'a\nb',
      'a\rb',
      'tab\there',
      'a\u202Eb',
      'a\u2028b',
      'nul\u0000',
    ]) {
      expect(PointNote.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
    expect(pointNoteProblem('a\u202Eb')).toBe('characters');
    expect(pointNoteProblem('x'.repeat(201))).toBe('long');
    expect(pointNoteProblem('ok')).toBeNull();
    expect(
      PointCreateInput.safeParse({ serverId: crypto.randomUUID(), note: 'a\nb' }).success,
    ).toBe(false);
  });

  it('passes --note to the agent and the agent refuses a bad one before anything starts', () => {
    expect(parseArgs(['snapshot', '--progress', '--note', 'vor dem Upgrade'])).toMatchObject({
      command: 'snapshot',
      progress: true,
      note: 'vor dem Upgrade',
    });
    expect(EXIT_BUSY_AGENT).toBe(EXIT.busy);
    expect(EXIT_FILES_MISSING).toBe(EXIT.filesMissing);
    expect(parseArgs(['snapshot', '--progress', '--heal'])).toMatchObject({ heal: true });
    expect(parseArgs(['snapshot'])).toMatchObject({ heal: false });
  });

  // Issue 21 §2: a point whose attached files depend on data gone from the bucket.
  it('says a point with missing attached-file data does not count, and offers the heal', () => {
    expect(() =>
      parseOutcome(
        5,
        '',
        [
          'kumiko-agent snapshot: attached files check: 1 pack(s) of the attached files’ repository are gone from the bucket (first 1b546e3d)',
        ],
        'db1',
      ),
    ).toThrow(
      expect.objectContaining({
        code: 'POINT_FILES_MISSING',
        message: expect.stringMatching(/gone from the bucket.*1b546e3d.*Heal it/s),
      }),
    );
    expect(PointCreateInput.parse({ serverId: crypto.randomUUID(), heal: true }).heal).toBe(true);
    expect(parsePointProgressLine(pointProgressLine({ phase: 'heal', message: 'x' }))).toEqual({
      phase: 'heal',
      message: 'x',
    });
    expect(AgentSnapshotResult.parse({ ...RESULT, filesCheckSeconds: 0.8 }).filesCheckSeconds).toBe(
      0.8,
    );
  });

  it('reads the agent’s result, a busy repository and a failed step', () => {
    const ok = parseOutcome(0, `${JSON.stringify(RESULT, null, 2)}\n`, [], 'db1');
    expect(ok).toMatchObject({ label: RESULT.label, note: 'vor dem Upgrade' });
    // An agent from before notes prints no note: still read.
    const { note: _note, ...older } = RESULT;
    expect(AgentSnapshotResult.parse(older).note).toBeUndefined();

    expect(() =>
      parseOutcome(
        4,
        '',
        [
          'kumiko-agent snapshot: lock: a snapshot, retention run or drill is already running (pid 42)',
        ],
        'db1',
      ),
    ).toThrow(
      expect.objectContaining({
        code: 'AGENT_BUSY',
        message: expect.stringMatching(
          /running on db1 right now, so no recovery point was started/,
        ),
      }),
    );
    expect(() =>
      parseOutcome(1, '', ['kumiko-agent snapshot: pgbackrest backup: exited with code 82'], 'db1'),
    ).toThrow(
      expect.objectContaining({
        code: 'POINT_FAILED',
        message: expect.stringContaining('pgbackrest backup: exited with code 82'),
      }),
    );
    expect(() => parseOutcome(0, 'not json', [], 'db1')).toThrow(
      expect.objectContaining({ code: 'POINT_FAILED' }),
    );
  });
});
