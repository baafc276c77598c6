import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPgBackRest } from '../harness/pgbackrest';
import { pidsWithArgument } from '../harness/proc-table';
import { captureState, observeUntil, startFaultEnv, type FaultEnv } from './fault-env';

// Fault 2: pgBackRest's archive-push (PostgreSQL's archive_command and its async worker) is
// killed with SIGKILL again and again while it uploads segments. PostgreSQL keeps a segment
// until its archive_command succeeds and retries it, so nothing may be missing afterwards:
// pgBackRest's own verify finds every archived segment whole, the restore replays through
// the whole time of the kills, and the dashboard is ok again once the kills stop.

const KILLING_MS = 60_000;

let f: FaultEnv;

beforeAll(async () => {
  f = await startFaultEnv();
}, 240_000);

afterAll(async () => {
  await f?.stop();
});

/** archive-push processes of this env: archive_command's ('archive-push') and the async worker's. */
function archivePushPids(): Array<{ pid: number; command: string }> {
  const found: Array<{ pid: number; command: string }> = [];
  for (const pid of pidsWithArgument(`--config=${f.env.pgbackrest.configPath}`)) {
    try {
      const command = fs
        .readFileSync(`/proc/${pid}/cmdline`, 'utf8')
        .split('\0')
        .find((a) => a.startsWith('archive-push'));
      if (command) found.push({ pid, command });
    } catch {
      // Gone.
    }
  }
  return found;
}

describe('fault 2: archive-push killed mid-segment, repeatedly', () => {
  it('leaves no gap and no damaged segment, and capture is ok once the kills stop', async () => {
    const [first] =
      (
        JSON.parse(
          (
            await runPgBackRest(f.env.pgbackrest, [
              `--stanza=${f.env.stanza}`,
              '--output=json',
              'info',
            ])
          ).stdout,
        ) as Array<{ backup: Array<{ label: string }> }>
      )[0]?.backup ?? [];
    const logBefore = fs.statSync(f.env.pg.logFile).size;
    const before = (
      await f.env.pg.query<{ archived: number; failed: number }>(
        'SELECT archived_count AS archived, failed_count AS failed FROM pg_stat_archiver',
      )
    )[0];

    // Uploads a second late, so a kill lands while a segment is on its way and while
    // archive_command waits for the async worker to have pushed it.
    f.proxy.set({ kind: 'delay', ms: 1_000 });
    const since = Date.now();
    const killed = new Map<string, number>();
    let nextSwitch = 0;
    while (Date.now() - since < KILLING_MS) {
      if (Date.now() > nextSwitch) {
        await f.env.pg.psql('SELECT pg_switch_wal()');
        nextSwitch = Date.now() + 2_000;
      }
      await new Promise((r) => setTimeout(r, 200 + Math.random() * 600));
      for (const { pid, command } of archivePushPids()) {
        try {
          process.kill(pid, 'SIGKILL');
          killed.set(command, (killed.get(command) ?? 0) + 1);
        } catch {
          // Finished just now.
        }
      }
    }
    const kills = [...killed.values()].reduce((a, b) => a + b, 0);
    f.proxy.set({ kind: 'pass' });
    expect(killed.get('archive-push'), 'archive_command runs killed').toBeGreaterThan(3);
    expect(killed.get('archive-push:async'), 'async workers killed').toBeGreaterThan(3);

    const healedAt = Date.now();
    // Healed = archiving went on past the kills (not merely no failure recorded yet).
    const healed = await observeUntil(
      f,
      (o) =>
        captureState(o).level === 'ok' &&
        o.heartbeat.archiver.archivedCount > Number(before?.archived),
      {
        since: healedAt,
        timeoutMs: 180_000,
        between: async () => void (await f.env.pg.psql('SELECT pg_switch_wal()')),
      },
    );
    const after = (
      await f.env.pg.query<{ archived: number; failed: number }>(
        'SELECT archived_count AS archived, failed_count AS failed FROM pg_stat_archiver',
      )
    )[0];
    // PostgreSQL saw its archive_command die and retried the segment (a command killed by a
    // signal restarts the archiver instead of counting a failure), and archiving went on.
    const log = fs.readFileSync(f.env.pg.logFile).subarray(logBefore).toString('utf8');
    // archive_command runs under sh: the shell reports the killed pgbackrest as exit code 137.
    const killedCommands = (
      log.match(/archive command (was terminated by signal 9|failed with exit code 137)/g) ?? []
    ).length;
    expect(
      killedCommands,
      log
        .split('\n')
        .filter((l) => /archiv/.test(l))
        .slice(0, 10)
        .join('\n'),
    ).toBeGreaterThan(0);
    expect(Number(after?.archived)).toBeGreaterThan(Number(before?.archived));
    console.info(
      `[fault 2] ${kills} archive-push processes killed (${JSON.stringify(Object.fromEntries(killed))}) in ${KILLING_MS / 1000} s; ` +
        `PostgreSQL saw ${killedCommands} archive_command runs killed and ${Number(after?.failed) - Number(before?.failed)} fail, and retried; ` +
        `capture ok ${Math.round(healed.afterMs / 1000)} s after the kills stopped`,
    );

    // No damaged segment: pgBackRest's own verify reads every archived segment and backup file.
    const verify = await runPgBackRest(
      f.env.pgbackrest,
      [`--stanza=${f.env.stanza}`, '--log-level-console=info', 'verify'],
      { timeoutMs: 300_000 },
    );
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    expect(verify.stdout).not.toMatch(/invalid|missing|checksum/i);

    // No gap: a restore from the backup before the kills replays through them to the end.
    const lost = await f.assertNothingLost({ set: first?.label });
    expect(lost.restoredMarkers).toBe(lost.productionMarkers);
    // Loud only while it lasts: any alert that opened was resolved.
    const alerts = f.alerts();
    console.info(`[fault 2] alerts: ${alerts.join(', ') || 'none'}`);
    for (const kind of new Set(alerts.map((a) => a.split(':')[0]))) {
      expect(alerts.filter((a) => a === `${kind}:open`).length).toBe(
        alerts.filter((a) => a === `${kind}:resolved`).length,
      );
    }
  }, 600_000);
});
