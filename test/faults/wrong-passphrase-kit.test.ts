import { execFileSync, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bucketLayout } from '../../shared/agent/bucket-layout';
import { startInstalledAgent, type InstalledAgent } from '../harness/installed-agent';
import { freePort } from '../harness/ports';
import { pidsWithArgument } from '../harness/proc-table';
import { startWriteLoad, type WriteLoad } from '../harness/write-load';

// Fault 11 (kit): the server is gone and the admin types the recovery kit's restore steps from
// the printed sheet, with one character of the pgBackRest repository passphrase wrong. The kit
// must refuse at once with the reason, before anything is written: no folder, no cluster, no
// object in the bucket changed. Typed right, the same steps restore every marker row the
// writer committed up to the chosen second. (The settings case: wrong-passphrase.test.ts.)

let a: InstalledAgent;
let load: WriteLoad;
let work: string;
/** Steps 3 to 6 as pdftotext gives them from the exported kit. */
let printed = '';
const restoreDirs: string[] = [];

beforeAll(async () => {
  a = await startInstalledAgent({ chinook: false });
  load = await startWriteLoad(a.pg, { markerDb: 'postgres', pgbenchDb: 'postgres' });
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'kumiko-kit-passphrase-'));
  // The restore folder lives below it: the postgres user must reach it.
  fs.chmodSync(work, 0o755);
  const kit = await a.call<{ path: string }>('recoveryKit.export', {
    serverId: a.serverId,
    outputDirectory: path.join(work, 'kit'),
  });
  const pdfLines = execFileSync('pdftotext', ['-layout', kit.path, '-'], { encoding: 'utf8' })
    .replace(/\f/g, '\n')
    .split('\n');
  printed = [3, 4, 5, 6]
    .flatMap((n) => {
      const from = pdfLines.findIndex((l) => l.startsWith(`# --- step ${n} `));
      const to = pdfLines.findIndex((l) => l.startsWith(`# --- end of step ${n} `));
      if (from < 0 || to < from) throw new Error(`step ${n} not found in the kit`);
      return pdfLines.slice(from, to + 1);
    })
    .join('\n');
}, 240_000);

afterAll(async () => {
  // A cluster the kit started, by the PID in its postmaster.pid.
  for (const dir of restoreDirs) {
    const pidFile = path.join(dir, 'data', 'postmaster.pid');
    if (!fs.existsSync(pidFile)) continue;
    const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
    try {
      process.kill(pid, 'SIGINT');
    } catch {
      // Gone.
    }
    for (let i = 0; i < 150 && fs.existsSync(`/proc/${pid}`); i++)
      await new Promise((r) => setTimeout(r, 200));
  }
  await load?.stop().catch(() => undefined);
  await a?.stop();
  if (work) fs.rmSync(work, { recursive: true, force: true });
}, 120_000);

/** The printed steps with step 3's values filled in, run in one root shell as the kit says. */
function runKit(
  script: string,
  values: Record<string, string>,
): { status: number | null; stdout: string; stderr: string } {
  let filled = script;
  for (const [variable, value] of Object.entries(values)) {
    const line = new RegExp(`^${variable}=.*$`, 'm');
    expect(filled, `step 3 sets ${variable}`).toMatch(line);
    filled = filled.replace(line, `${variable}=${value}`);
  }
  const file = path.join(work, `kit-${restoreDirs.length}.sh`);
  fs.writeFileSync(file, filled);
  return spawnSync('bash', ['-e', '-o', 'pipefail', file], {
    encoding: 'utf8',
    cwd: work,
    env: { ...process.env, XDG_CACHE_HOME: path.join(work, 'cache') },
    timeout: 600_000,
  });
}

/** Every object of the bucket with the SHA-256 of its bytes. */
function bucketObjects(): Map<string, string> {
  const objects = new Map<string, string>();
  for (const key of a.s3.listKeys(a.bucket)) {
    const file = path.join(a.s3.dataDir, a.bucket, `${key}._S3rver_object`);
    objects.set(key, crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex'));
  }
  return objects;
}

/** Marker rows committed by `target` minus a second: how many, and a digest of their ids. */
const MARKERS = (target: string) =>
  `SELECT count(*) || ' ' || coalesce(md5(string_agg(id::text, ',' ORDER BY id)), '') FROM kumiko_marker WHERE at <= '${target}'::timestamptz - interval '1 second'`;

describe('fault 11: wrong repository passphrase typed from the recovery kit', () => {
  it('refuses one wrong character at once with the reason, writes nothing, and restores once typed right', async () => {
    const passLine = /^REPO_CIPHER_PASS=(.+)$/m.exec(printed);
    expect(passLine, 'step 3 holds the passphrase to type').not.toBeNull();
    const passphrase = passLine?.[1] as string;
    // One character typed wrong, in the middle, as a misread letter on paper would be.
    const at = Math.floor(passphrase.length / 2);
    const wrongChar = passphrase[at] === 'l' ? '1' : 'l';
    const typo = passphrase.slice(0, at) + wrongChar + passphrase.slice(at + 1);

    const restoreDir = path.join(work, 'restore');
    restoreDirs.push(restoreDir);
    const port = String(await freePort());
    const before = bucketObjects();
    const started = Date.now();
    const refused = runKit(printed, {
      RESTORE_DIR: restoreDir,
      RESTORE_PORT: port,
      REPO_CIPHER_PASS: typo,
    });
    const tookMs = Date.now() - started;
    console.info(
      `[fault 11 kit] refused after ${tookMs} ms (exit ${refused.status}):\n${refused.stderr.trim()}`,
    );
    // Refused, with the reason and what to do.
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain('REPO_CIPHER_PASS is not the one printed here');
    expect(refused.stderr).toContain('Nothing written');
    expect(refused.stderr).toContain('run step 3 again');
    // At once: not one command after the check ran (pgbackrest info would have printed).
    expect(refused.stdout).toBe('');

    // Nothing written: no folder, no cluster, and the bucket holds what it held, apart from
    // what production itself goes on writing (its WAL on timeline 1 and the agent's heartbeat).
    expect(fs.existsSync(restoreDir)).toBe(false);
    expect(pidsWithArgument(restoreDir)).toEqual([]);
    const after = bucketObjects();
    const heartbeat = bucketLayout.heartbeat(a.serverId);
    const productionWal = new RegExp(
      `^${bucketLayout.pgbackrestPrefix(a.serverId)}archive/[^/]+/[^/]+/00000001[0-9A-F]{8}/00000001[0-9A-F]{16}-[0-9a-f]{40}(\\.[a-z0-9]+)?$`,
    );
    const changed = [...before].filter(([k, hash]) => k !== heartbeat && after.get(k) !== hash);
    const added = [...after.keys()].filter(
      (k) => !before.has(k) && k !== heartbeat && !productionWal.test(k),
    );
    expect(changed.map(([k]) => k)).toEqual([]);
    expect(added).toEqual([]);

    // How it heals: the passphrase typed as printed; the same steps restore a moment after
    // the writer has committed a good number of rows since the recovery point.
    await expect.poll(() => load.markers, { timeout: 60_000, interval: 500 }).toBeGreaterThan(100);
    const [moment] = await a.pg.query<{ target: string }>(
      `SELECT to_char((clock_timestamp() - interval '1 second') AT TIME ZONE 'UTC',
                      'YYYY-MM-DD HH24:MI:SS') || '+00' AS target`,
    );
    const target = moment?.target as string;
    // A commit after the moment, in the segment switched out next: recovery stops at the first
    // commit past its target, and a writer stalled by a loaded machine may not have made one yet.
    await a.pg.query('SELECT txid_current()');
    const [switched] = await a.pg.query<{ wal: string }>(
      'SELECT pg_walfile_name(pg_switch_wal()) AS wal',
    );
    await expect
      .poll(
        async () =>
          (
            await a.pg.query<{ last: string | null }>(
              'SELECT last_archived_wal AS last FROM pg_stat_archiver',
            )
          )[0]?.last ?? '',
        { timeout: 120_000, interval: 500 },
      )
      .toSatisfy((last: string) => last.slice(8) >= (switched?.wal ?? '').slice(8));
    const restored = runKit(printed, {
      RESTORE_DIR: restoreDir,
      RESTORE_PORT: port,
      RESTORE_TIME: `"${target}"`,
    });
    expect(restored.status, `${restored.stderr}\n${restored.stdout}`).toBe(0);
    expect(restored.stdout).toMatch(/^f$/m);
    const inCopy = execFileSync(
      'runuser',
      [
        '-u',
        'postgres',
        '--',
        path.join(a.pg.binDir, 'psql'),
        '-h',
        restoreDir,
        '-p',
        port,
        '-d',
        'postgres',
        '-Atc',
        MARKERS(target),
      ],
      { encoding: 'utf8' },
    ).trim();
    const inProduction = await a.pg.psql(MARKERS(target));
    console.info(
      `[fault 11 kit] typed right, the kit restored ${target}: ${inCopy.split(' ')[0]} marker rows, production ${inProduction.split(' ')[0]}`,
    );
    expect(Number(inProduction.split(' ')[0])).toBeGreaterThan(0);
    expect(inCopy).toBe(inProduction);
  }, 600_000);
});
