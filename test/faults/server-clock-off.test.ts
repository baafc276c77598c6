import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RestorePlan, ScratchEnvironment, ServerHealth } from '../../shared/contract';
import { startInstalledAgent, type InstalledAgent } from '../harness/installed-agent';
import { startWriteLoad, type WriteLoad } from '../harness/write-load';

// Fault 14: the server's clock is 10 minutes ahead (no time sync). The app and the bucket keep
// the right time; everything on the server (sshd's sessions, so the agent, the installer's
// restart of PostgreSQL, pgBackRest under archive_command) runs 600 s ahead. The shift is real
// for those processes only: libfaketime (Debian package faketime), preloaded into every SSH
// session through sshd's SetEnv. The machine's own clock is shared with other tests and is not
// touched; a time namespace (unshare --time) cannot shift CLOCK_REALTIME, only the monotonic
// and boot clocks. The app must see the offset and say it (a status tile, a warning in the
// restore plan, with the seconds), and a restore to a moment on the server's own clock must
// hold exactly the rows committed by then.

const OFFSET_S = 600;
const LIBFAKETIME = '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1';
const FAKETIME = [
  `LD_PRELOAD=${LIBFAKETIME}`,
  `FAKETIME=${OFFSET_S >= 0 ? '+' : ''}${OFFSET_S}`,
  // Timers and timeouts keep the real monotonic clock; only the wall clock is off.
  'FAKETIME_DONT_FAKE_MONOTONIC=1',
];

/**
 * One semaphore and shared-memory pair for every process of the test's sessions, readable by
 * root and postgres. Without it libfaketime 0.9.10 makes a pair per process (mode 0600, named
 * by pid) and hands it to its children by FAKETIME_SHARED; a child of another user (runuser
 * postgres) cannot open root's and makes its own, which fails with EACCES once the pid is
 * reused while a stale pair of another user has that pid's name (pid_max 32768, and CI makes
 * tens of thousands of processes): the installer's restart of PostgreSQL failed so in CI once.
 */
function sharedFaketimePair(): string {
  const printed = execFileSync('sh', ['-c', 'printf %s "$FAKETIME_SHARED"'], {
    env: { ...process.env, LD_PRELOAD: LIBFAKETIME, FAKETIME: '+0' },
    encoding: 'utf8',
  }).trim();
  const [sem, shm] = printed.split(' ');
  if (!sem?.startsWith('/faketime_sem_') || !shm?.startsWith('/faketime_shm_'))
    throw new Error(`libfaketime printed no shared pair: "${printed}"`);
  fs.chmodSync(`/dev/shm/sem.${sem.slice(1)}`, 0o666);
  fs.chmodSync(`/dev/shm/${shm.slice(1)}`, 0o666);
  return `FAKETIME_SHARED="${sem} ${shm}"`;
}

let a: InstalledAgent;
let load: WriteLoad;

beforeAll(async () => {
  a = await startInstalledAgent({
    chinook: false,
    attachedFiles: false,
    // The commit time of every row, to restore to one exactly.
    postgresSettings: { track_commit_timestamp: 'on' },
    sshdConfig: [`SetEnv ${[...FAKETIME, sharedFaketimePair()].join(' ')}`],
  });
  load = await startWriteLoad(a.pg, { markerDb: 'postgres', pgbenchDb: 'postgres' });
}, 240_000);

afterAll(async () => {
  await load?.stop().catch(() => undefined);
  await a?.stop();
}, 120_000);

/** Marker rows (count and id digest), in production those committed by `target`. */
const MARKERS = (where: string) =>
  `SELECT count(*) || ' ' || coalesce(md5(string_agg(id::text, ',' ORDER BY id)), '')
   FROM kumiko_marker ${where}`;
/** Production's rows whose commit time, on the server's clock, is at or before `target`. */
const COMMITTED_BY = (target: string) =>
  MARKERS(`WHERE pg_xact_commit_timestamp(xmin) <= '${target}'::timestamptz`);

describe('fault 14: server clock 10 minutes off', () => {
  it('runs the server 600 s ahead: PostgreSQL, restarted by the installer over SSH, records commits on it', async () => {
    const [row] = await a.pg.query<{ behind: number }>(
      `SELECT extract(epoch FROM now() - $1::timestamptz)::float AS behind`,
      [new Date().toISOString()],
    );
    expect(Math.abs((row?.behind ?? 0) - OFFSET_S)).toBeLessThan(5);
  });

  it('shows the offset in seconds on a status tile, and the other tiles measure on the server clock', async () => {
    const health = await a.call<ServerHealth>('status.get', { serverId: a.serverId });
    expect(health.source).toBe('server');
    const clock = health.tiles.find((t) => t.id === 'clock');
    console.info(`[fault 14] status: ${JSON.stringify(clock)}`);
    expect(clock?.level).toBe('warning');
    const seconds = Number(/-?\d+/.exec(clock?.value ?? '')?.[0]);
    expect(Math.abs(seconds - OFFSET_S)).toBeLessThanOrEqual(3);
    expect(clock?.reason).toMatch(/ahead/);
    // The heartbeat's own time is the server's: it is not ten minutes stale.
    expect(health.tiles.find((t) => t.id === 'agent')?.level).toBe('ok');
  });

  it('warns in the restore plan and restores exactly to a second on the server clock', async () => {
    await expect.poll(() => load.markers, { timeout: 60_000, interval: 500 }).toBeGreaterThan(100);
    // A whole second on the server's clock, 2 s back: the writer committed on both sides of it.
    const [moment] = await a.pg.query<{ target: string }>(
      `SELECT to_char(date_trunc('second', now()) - interval '2 seconds', 'YYYY-MM-DD"T"HH24:MI:SS') || 'Z' AS target`,
    );
    // pg.query runs with the session time zone UTC (to_char of timestamptz uses it).
    const target = moment?.target as string;
    // A commit after the moment, in the segment switched out next: recovery stops at the first
    // commit past its target, and a writer stalled by a loaded machine may not have made one yet.
    await a.pg.query('SELECT txid_current()');
    const [switched] = await a.pg.query<{ wal: string }>(
      'SELECT pg_walfile_name(pg_switch_wal()) AS wal',
    );
    await expect
      .poll(async () => (await a.pg.psql('SELECT last_archived_wal FROM pg_stat_archiver')) ?? '', {
        timeout: 120_000,
        interval: 500,
      })
      .toSatisfy((last: string) => last.slice(8) >= (switched?.wal ?? '').slice(8));

    const request = {
      serverId: a.serverId,
      target: { kind: 'time', time: target },
      destination: { kind: 'scratch' },
    };
    const plan = await a.call<RestorePlan>('restore.plan', request);
    console.info(`[fault 14] plan warnings: ${JSON.stringify(plan.warnings)}`);
    expect
      .soft(plan.warnings.some((w) => /clock/.test(w) && /\b(59[7-9]|60[0-3]) s\b/.test(w)))
      .toBe(true);

    const job = await a.runJob('restore.start', { ...request, keepHours: 1 });
    expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
    const env = job.result as ScratchEnvironment;
    try {
      const { default: pg } = await import('pg');
      const copy = new pg.Client({
        host: env.host,
        port: env.port,
        user: 'postgres',
        database: 'postgres',
      });
      await copy.connect();
      let restored: string;
      try {
        restored = String(
          // Every row the copy holds: the restore stopped at the target.
          (await copy.query<{ r: string }>(`SELECT (${MARKERS('')}) AS r`)).rows[0]?.r,
        );
      } finally {
        await copy.end();
      }
      const production = await a.pg.psql(COMMITTED_BY(target));
      console.info(
        `[fault 14] restored ${target} (server clock): ${restored.split(' ')[0]} rows, production ${production.split(' ')[0]} committed by then`,
      );
      expect(Number(production.split(' ')[0])).toBeGreaterThan(0);
      expect(restored).toBe(production);
    } finally {
      await a.call('scratch.drop', { id: env.id });
    }
  }, 600_000);
});
