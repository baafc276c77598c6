import crypto from 'node:crypto';
import { checkWord } from '../../shared/report/check-words';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../agent/cli-args';
import { inBackground } from '../../agent/drill/background';
import {
  CHECK_TITLES,
  drillCheck,
  drillExitCode,
  drillSummary,
  notRun,
  orderedChecks,
  secondsBetween,
} from '../../agent/drill/checks';
import { amcheckArgs, amcheckScope } from '../../agent/drill/database-checks';
import { previousReport, publishReport } from '../../agent/drill/report';
import { readVerifyOutput } from '../../agent/drill/repository-check';
import { newestRestorableMoment } from '../../agent/drill/restorable';
import { assertApartFromProduction, drillPaths } from '../../agent/drill/scratch-paths';
import { compareSmokeValue, smokeVerdict, type SmokeOutcome } from '../../agent/drill/smoke-checks';
import type { Bucket } from '../../agent/engines/s3';
import { readState } from '../../agent/runtime/state';
import { DRILL_RETRY_MS, nextDrillAt } from '../../agent/scheduler/next-run';
import { generateEd25519KeyPair } from '../../node/signing';
import type { AgentConfig } from '../../shared/agent/config';
import { DRILL_EXIT_FAILED_CHECKS, drillIdFor, DrillSettings } from '../../shared/agent/drill';
import { KNOWN_CHECK_IDS, type KnownCheckId } from '../../shared/report/drill-result';
import { sampleDrill, sampleEvidence, SERVER_ID } from './report-fixtures';

// The drill's pure rules: smoke check comparison, reading `pgbackrest verify`, the RPO's
// reference moment, check bookkeeping and exit codes, when the daemon runs the next drill,
// pg_amcheck's mode, and the background work the attached files run in. The
// drill itself runs for real in test/integration/agent-drill.test.ts; the GDPR ledger's rules
// are in drill-gdpr-ledger.test.ts.

describe('smoke checks', () => {
  it('compares text exactly and numbers as numbers', () => {
    expect(compareSmokeValue({ expect: 'equals', value: '42' }, '42').passed).toBe(true);
    expect(compareSmokeValue({ expect: 'equals', value: '42' }, '42.0')).toEqual({
      passed: false,
      why: 'returned "42.0", expected "42"',
      whyWord: { key: 'smoke.notEqual', params: { actual: '42.0', expected: '42' } },
    });
    expect(compareSmokeValue({ expect: 'equals', value: 't' }, 't').passed).toBe(true);
    expect(compareSmokeValue({ expect: 'atLeast', value: '100' }, '1042').passed).toBe(true);
    expect(compareSmokeValue({ expect: 'atLeast', value: '100' }, '99')).toEqual({
      passed: false,
      why: 'returned 99, expected at least 100',
      whyWord: {
        key: 'smoke.outOfBound',
        params: { actual: '99', bound: '100', relation: 'atLeast' },
      },
    });
    expect(compareSmokeValue({ expect: 'atMost', value: '0' }, '0').passed).toBe(true);
    expect(compareSmokeValue({ expect: 'atMost', value: '0' }, '3').passed).toBe(false);
  });

  it('fails on no row, non-numbers and empty values where a number is expected', () => {
    expect(compareSmokeValue({ expect: 'equals', value: '' }, null)).toEqual({
      passed: false,
      why: 'the query returned no row',
      whyWord: { key: 'smoke.noRow' },
    });
    expect(compareSmokeValue({ expect: 'atLeast', value: '1' }, 'many').why).toMatch(/no number/);
    expect(compareSmokeValue({ expect: 'atLeast', value: '1' }, '').passed).toBe(false);
    expect(compareSmokeValue({ expect: 'atMost', value: 'ten' }, '3').why).toMatch(
      /expected value "ten" is no number/,
    );
  });

  it('passes with a clear detail when none are defined, and names the failed ones', () => {
    const none = smokeVerdict([]);
    expect(none).toMatchObject({ id: 'smoke-checks', passed: true });
    expect(none.detail).toBe('no smoke checks defined');
    const outcome = (name: string, passed: boolean, why: string): SmokeOutcome => ({
      name,
      database: 'app',
      sql: 'SELECT 1',
      expect: 'equals',
      value: '1',
      actual: passed ? '1' : '2',
      passed,
      why,
      whyWord: checkWord('smoke.notEqual', { actual: passed ? '1' : '2', expected: '1' }),
    });
    const mixed = smokeVerdict([
      outcome('invoices', true, 'ok'),
      outcome('customers', false, 'returned "2", expected "1"'),
    ]);
    expect(mixed.passed).toBe(false);
    expect(mixed.detail).toBe('1 of 2 queries failed: "customers" returned "2", expected "1"');
    expect(mixed.evidence).toEqual(['smoke-checks.json']);
  });
});

const VERIFY_OK = `2026-11-27 00:25:58.589 P00   INFO: verify command begin 2.45: --repo1-cipher-pass=***
2026-11-27 00:26:01.071 P00   INFO: stanza: main
                                    status: ok
stanza: main
status: ok
  archiveId: 15-1, total WAL checked: 6, total valid WAL: 6
    missing: 0, checksum invalid: 0, size invalid: 0, other: 0
  backup: 20261127-001505F, status: valid, total files checked: 972, total valid files: 972
    missing: 0, checksum invalid: 0, size invalid: 0, other: 0
2026-11-27 00:26:01.071 P00   INFO: verify command end: completed successfully (2485ms)`;

const VERIFY_CORRUPT = `2026-11-27 00:16:11.049 P02   INFO: invalid checksum '20261127-001505F/pg_data/base/5/16384.zst'
2026-11-27 00:16:11.743 P00   INFO: stanza: main
                                    status: error
                                      backup: 20261127-001505F, status: invalid, total files checked: 972, total valid files: 971
stanza: main
status: error
  archiveId: 15-1, total WAL checked: 4, total valid WAL: 4
    missing: 0, checksum invalid: 0, size invalid: 0, other: 0
  backup: 20261127-001505F, status: invalid, total files checked: 972, total valid files: 971
    missing: 0, checksum invalid: 1, size invalid: 0, other: 0
2026-11-27 00:16:11.743 P00   INFO: verify command end: completed successfully (2273ms)`;

describe('pgbackrest verify output', () => {
  it('passes only when every stanza status is ok', () => {
    expect(readVerifyOutput(0, VERIFY_OK)).toEqual({ ok: true, statuses: ['ok'], problems: [] });
  });

  it('fails on status error even though pgBackRest exits 0, naming the file and backup', () => {
    const verdict = readVerifyOutput(0, VERIFY_CORRUPT);
    expect(verdict.ok).toBe(false);
    expect(verdict.statuses).toEqual(['error']);
    expect(verdict.problems).toEqual([
      'invalid checksum 20261127-001505F/pg_data/base/5/16384.zst',
      'backup 20261127-001505F invalid',
    ]);
  });

  it('fails without output or with a non-zero exit code', () => {
    expect(readVerifyOutput(0, '').ok).toBe(false);
    expect(readVerifyOutput(1, VERIFY_OK).ok).toBe(false);
  });
});

describe('newest restorable moment (RPO)', () => {
  const backupStop = new Date('2026-11-27T02:00:00Z');
  const archiver = {
    lastArchivedWal: '000000010000000000000012',
    lastArchivedAt: '2026-11-27T02:59:30.000Z',
  };

  it('takes the archiver time when the repository has that segment', () => {
    const moment = newestRestorableMoment(archiver, '000000010000000000000012', backupStop);
    expect(moment).toMatchObject({ source: 'pg_stat_archiver' });
    expect(moment.at.toISOString()).toBe('2026-11-27T02:59:30.000Z');
    // A .backup file archived last names its segment in its first 24 characters.
    const backupFile = { ...archiver, lastArchivedWal: '000000010000000000000012.00000028.backup' };
    expect(newestRestorableMoment(backupFile, '000000010000000000000012', backupStop).source).toBe(
      'pg_stat_archiver',
    );
  });

  it('falls back to the newest backup when the repository is behind or PostgreSQL is silent', () => {
    const behind = newestRestorableMoment(archiver, '000000010000000000000011', backupStop);
    expect(behind).toMatchObject({ source: 'backup', at: backupStop });
    expect(newestRestorableMoment(null, '000000010000000000000012', backupStop).source).toBe(
      'backup',
    );
    const history = { ...archiver, lastArchivedWal: '00000002.history' };
    expect(newestRestorableMoment(history, '000000020000000000000012', backupStop).source).toBe(
      'backup',
    );
  });
});

describe('checks, summary and exit code', () => {
  const all = new Map<KnownCheckId, ReturnType<typeof drillCheck>>(
    [...KNOWN_CHECK_IDS].reverse().map((id) => [id, drillCheck(id, true, 'ok', [], [])]),
  );

  it('lists every known check once, in the order the drill runs them', () => {
    const ordered = orderedChecks(all).map((c) => c.id);
    expect(ordered).toHaveLength(KNOWN_CHECK_IDS.length);
    expect(new Set(ordered)).toEqual(new Set(KNOWN_CHECK_IDS));
    expect(ordered.slice(0, 3)).toEqual(['cluster-starts', 'amcheck', 'manifest-match']);
    expect(ordered.slice(-2)).toEqual(['pgbackrest-verify', 'bucket-protection']);
    for (const id of KNOWN_CHECK_IDS) expect(CHECK_TITLES[id].length).toBeLessThan(60);
  });

  it('records a check that could not run as failed, with the reason', () => {
    expect(
      notRun(
        'amcheck',
        'the restored cluster did not start',
        checkWord('notRun.clusterDidNotStart'),
      ),
    ).toEqual({
      id: 'amcheck',
      title: CHECK_TITLES.amcheck,
      passed: false,
      detail: 'not run: the restored cluster did not start',
      words: [{ key: 'notRun.clusterDidNotStart' }],
      evidence: [],
    });
    expect(drillCheck('amcheck', true, 'x'.repeat(5000), [], []).detail).toHaveLength(4000);
  });

  it('exits 0 for a passed drill and 5 naming the failed checks otherwise', () => {
    const checks = orderedChecks(all);
    const passed = drillSummary(
      { drillId: 'drill-1', passed: true, checks, rtoSeconds: 12.5, rpoSeconds: 30 },
      'kumiko/s/drills/drill-1/',
      'a'.repeat(64),
    );
    expect(passed.failedChecks).toEqual([]);
    expect(drillExitCode(passed)).toBe(0);
    const failing = checks.map((c) => (c.id === 'pgbackrest-verify' ? { ...c, passed: false } : c));
    const failed = drillSummary(
      { drillId: 'drill-2', passed: false, checks: failing, rtoSeconds: null, rpoSeconds: 30 },
      'kumiko/s/drills/drill-2/',
      'b'.repeat(64),
    );
    expect(failed.failedChecks).toEqual(['pgbackrest-verify']);
    expect(drillExitCode(failed)).toBe(DRILL_EXIT_FAILED_CHECKS);
    expect(DRILL_EXIT_FAILED_CHECKS).toBe(5);
  });

  it('measures seconds to a tenth and never negative', () => {
    const t0 = new Date('2026-11-27T03:00:00.000Z');
    expect(secondsBetween(t0, new Date('2026-11-27T03:01:02.345Z'))).toBe(62.3);
    expect(secondsBetween(t0, new Date('2026-11-27T02:59:00.000Z'))).toBe(0);
  });
});

describe('drill schedule', () => {
  const since = new Date('2026-11-01T00:00:00Z');
  const day = 86_400;

  it('never runs with interval 0', () => {
    expect(nextDrillAt(0, null, since)).toBeNull();
    expect(nextDrillAt(0, { at: since, ok: true }, since)).toBeNull();
  });

  it('runs the first drill one interval after drills were first scheduled', () => {
    expect(nextDrillAt(91 * day, null, since)?.toISOString()).toBe('2027-01-31T00:00:00.000Z');
  });

  it('counts from the last attempt; one that could not run is retried within the hour', () => {
    const at = new Date('2026-11-20T03:00:00Z');
    expect(nextDrillAt(91 * day, { at, ok: true }, since)?.toISOString()).toBe(
      '2027-02-19T03:00:00.000Z',
    );
    expect(nextDrillAt(91 * day, { at, ok: false }, since)?.getTime()).toBe(
      at.getTime() + DRILL_RETRY_MS,
    );
    expect(nextDrillAt(20, { at, ok: false }, since)?.getTime()).toBe(at.getTime() + 20_000);
  });
});

describe('pg_amcheck mode', () => {
  const scratch = {
    pg: { socketDirectory: '/tmp/sock', port: 55432, osUser: 'postgres' },
  } as AgentConfig;

  it('is off by default, also for a config written before the setting existed', () => {
    expect(DrillSettings.parse({}).amcheckHeapAllIndexed).toBe(false);
    const old = { intervalSeconds: 3600, scratchRoot: '/srv/drills', smokeChecks: [] };
    expect(DrillSettings.parse(old)).toMatchObject({ ...old, amcheckHeapAllIndexed: false });
    expect(DrillSettings.parse({ amcheckHeapAllIndexed: true }).amcheckHeapAllIndexed).toBe(true);
    expect(DrillSettings.safeParse({ amcheckHeapAllIndexed: 'yes' }).success).toBe(false);
  });

  it('runs --heapallindexed only when asked, and says which mode ran', () => {
    const plain = amcheckArgs(scratch, { heapAllIndexed: false });
    expect(plain).not.toContain('--heapallindexed');
    expect(plain).toEqual(
      expect.arrayContaining(['--all', '--install-missing', '--jobs=2', '--progress']),
    );
    expect(plain.join(' ')).toContain('-h /tmp/sock -p 55432 -U postgres');
    const deep = amcheckArgs(scratch, { heapAllIndexed: true });
    expect(deep).toEqual(expect.arrayContaining(['--heapallindexed', '--jobs=2']));
    expect(amcheckScope({ heapAllIndexed: false })).toMatch(/without --heapallindexed/);
    expect(amcheckScope({ heapAllIndexed: true })).toMatch(/with --heapallindexed/);
  });
});

describe('work in the background (the attached files beside the database)', () => {
  const tick = () => new Promise((r) => setTimeout(r, 5));
  /** Work that runs until aborted, then takes a moment to clean up, like a killed restic. */
  const untilAborted = (log: string[]) => (signal: AbortSignal) =>
    new Promise<string>((_resolve, reject) => {
      signal.addEventListener('abort', () => {
        log.push('aborted');
        setTimeout(() => {
          log.push('cleaned up');
          reject(new Error('aborted'));
        }, 20);
      });
    });

  it('hands over the result when awaited later', async () => {
    const work = inBackground(async () => {
      await tick();
      return 42;
    });
    expect(work.settled()).toBe(false);
    expect(await work.result).toBe(42);
    expect(work.settled()).toBe(true);
    await work.stop(); // no-op once settled
  });

  it('leaves no unhandled rejection when it fails before anyone awaits it', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const work = inBackground(async () => {
        throw new Error('restic is missing');
      });
      const sync = inBackground(() => {
        throw new Error('thrown before any await');
      });
      await tick();
      await tick();
      expect(unhandled).toEqual([]);
      expect(work.settled() && sync.settled()).toBe(true);
      await expect(work.result).rejects.toThrow('restic is missing');
      await expect(sync.result).rejects.toThrow('thrown before any await');
      await work.stop(); // never rejects
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('stop() aborts running work and resolves only once it has settled', async () => {
    const log: string[] = [];
    const work = inBackground(untilAborted(log));
    await tick();
    await work.stop();
    log.push('stopped');
    expect(log).toEqual(['aborted', 'cleaned up', 'stopped']);
    expect(work.settled()).toBe(true);
  });

  it('follows an abort of the drill, also one that came before it started', async () => {
    const drill = new AbortController();
    const log: string[] = [];
    const work = inBackground(untilAborted(log), drill.signal);
    drill.abort(new Error('SIGTERM'));
    await expect(work.result).rejects.toThrow('aborted');
    expect(log).toEqual(['aborted', 'cleaned up']);

    let seen: AbortSignal | undefined;
    const late = inBackground(async (signal) => {
      seen = signal;
      return signal.aborted;
    }, drill.signal);
    expect(await late.result).toBe(true);
    expect(seen?.reason).toEqual(new Error('SIGTERM'));
  });
});

describe('drill command line and folders', () => {
  it('parses drill --progress', () => {
    const args = parseArgs(['drill', '--config', '/tmp/c.json', '--progress']);
    expect(args).toMatchObject({ command: 'drill', configPath: '/tmp/c.json', progress: true });
    expect(parseArgs(['drill']).progress).toBe(false);
  });

  it('keeps each drill in its own folder, apart from production and the agent state', () => {
    const id = drillIdFor(new Date('2026-11-27T03:15:00.123Z'));
    expect(id).toBe('drill-20261127T031500Z');
    const paths = drillPaths('/var/lib/kumiko-agent/drills', id);
    expect(paths.data).toBe(`/var/lib/kumiko-agent/drills/${id}/data`);
    expect(paths.lock).toBe(`/var/lib/kumiko-agent/drills/${id}/pgbackrest/lock`);
    const config = {
      stateDir: '/var/lib/kumiko-agent',
      pg: { dataDirectory: '/var/lib/postgresql/15/main' },
    } as AgentConfig;
    expect(() => assertApartFromProduction(paths, config)).not.toThrow();
    expect(() =>
      assertApartFromProduction(drillPaths('/var/lib/postgresql/15/main/x', id), config),
    ).toThrow(/overlaps the production data directory/);
    expect(() => drillPaths('relative', id)).toThrow(/absolute/);
  });
});

/** A bucket in memory that remembers the order of uploads. */
function memoryBucket(): Bucket & { order: string[]; objects: Map<string, Buffer> } {
  const objects = new Map<string, Buffer>();
  const order: string[] = [];
  return {
    objects,
    order,
    async put(key, body) {
      order.push(key);
      objects.set(key, Buffer.from(body));
    },
    async get(key) {
      return objects.get(key) ?? null;
    },
    async list(prefix) {
      return [...objects.keys()].filter((k) => k.startsWith(prefix)).sort();
    },
    async delete(keys) {
      for (const key of keys) objects.delete(key);
    },
    close() {},
  };
}

describe('report upload and chain', () => {
  it('uploads the signature last, and a lost state finds the chain end in the bucket', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kumiko-drill-unit-'));
    try {
      const keyFile = path.join(dir, 'agent.key');
      fs.writeFileSync(keyFile, generateEd25519KeyPair().privateKeyPem);
      const config = {
        serverId: SERVER_ID,
        stanza: 'main',
        signingKeyFile: keyFile,
        pgbackrest: { configPath: path.join(dir, 'missing.conf') },
        restic: { passwordFile: path.join(dir, 'missing.pass') },
        s3: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'not-in-any-report' },
        alerts: {},
      } as unknown as AgentConfig;
      const bucket = memoryBucket();
      const empty = readState(path.join(dir, 'no-state.json'));
      expect(await previousReport(empty, bucket, SERVER_ID)).toBeNull();

      const first = sampleDrill('drill-20250331T023000Z');
      const published = await publishReport(
        config,
        bucket,
        first,
        new Map(Object.entries(sampleEvidence())),
        null,
      );
      expect(published.bundlePrefix).toBe(`kumiko/${SERVER_ID}/drills/drill-20250331T023000Z/`);
      expect(bucket.order.at(-1)).toBe(`${published.bundlePrefix}MANIFEST.sha256.sig`);
      expect(bucket.order.indexOf(`${published.bundlePrefix}report.pdf`)).toBeLessThan(
        bucket.order.indexOf(`${published.bundlePrefix}MANIFEST.sha256`),
      );
      const manifest = bucket.objects.get(`${published.bundlePrefix}MANIFEST.sha256`) as Buffer;
      expect(crypto.createHash('sha256').update(manifest).digest('hex')).toBe(
        published.manifestSha256,
      );

      // Without state, the newest complete bundle in the bucket is the previous report; one
      // still uploading (no signature yet) does not count.
      bucket.objects.set(
        `kumiko/${SERVER_ID}/drills/drill-20250401T000000Z/report.json`,
        Buffer.from('{}'),
      );
      expect(await previousReport(empty, bucket, SERVER_ID)).toEqual({
        drillId: 'drill-20250331T023000Z',
        manifestSha256: published.manifestSha256,
        sequence: 1,
      });
      // With state, state wins (no bucket reads).
      const remembered = {
        ...empty,
        lastDrill: {
          drillId: 'drill-x',
          startedAt: first.startedAt,
          at: first.finishedAt,
          passed: true,
          failedChecks: [],
          manifestSha256: 'c'.repeat(64),
          sequence: 7,
        },
      };
      expect(await previousReport(remembered, memoryBucket(), SERVER_ID)).toEqual({
        drillId: 'drill-x',
        manifestSha256: 'c'.repeat(64),
        sequence: 7,
      });

      // A secret that reached the evidence stops the report instead of being signed.
      const leaky = new Map(
        Object.entries({ ...sampleEvidence(), 'amcheck.txt': 'key not-in-any-report' }),
      );
      await expect(publishReport(config, memoryBucket(), first, leaky, null)).rejects.toThrow(
        /refusing to sign a report that contains secrets/,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
