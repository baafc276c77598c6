import { execFileSync, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bucketLayout } from '../../shared/agent/bucket-layout';
import type { ScratchEnvironment } from '../../shared/contract';
import { startInstalledAgent, type InstalledAgent } from '../harness/installed-agent';
import { freePort } from '../harness/ports';

/**
 * The recovery kit followed literally, as an admin without Kumiko Recovery would: the kit is
 * exported through the app, turned into text with pdftotext, and the command blocks of its
 * restore steps (3 to 6) are run as printed in one root shell against the harness (TLS S3 with
 * a private CA), with only the values step 3 says to change filled in. A writer commits a
 * row every 100 ms through the whole test. The restored databases and attached files must be
 * identical to what the app's own restore of the same moment gives; the same text with the
 * moment left empty restores the latest archived state.
 */
describe('recovery kit, followed literally', () => {
  let fx: InstalledAgent;
  let work: string;
  let writer: { stop(): Promise<number> } | undefined;
  const timings: Record<string, number> = {};
  /** Steps 3 to 6 as pdftotext gives them, before anything is filled in. */
  let printed = '';
  const restoreDirs: string[] = [];

  /**
   * Steps 3 to 6 with only the values step 3 says may be changed filled in (a value left
   * undefined stays as printed), run in one root shell as the kit says; restic's cache stays
   * in this test's folder. Returns the folder and port it restored to.
   */
  async function runKit(
    name: string,
    values: { RESTORE_TIME?: string },
  ): Promise<{ dir: string; port: number; stdout: string }> {
    const dir = path.join(work, name);
    const port = await freePort();
    restoreDirs.push(dir);
    let script = printed;
    const fill = (variable: string, value: string) => {
      const line = new RegExp(`^${variable}=.*$`, 'm');
      expect(script, `step 3 sets ${variable}`).toMatch(line);
      script = script.replace(line, `${variable}=${value}`);
    };
    fill('RESTORE_DIR', dir);
    fill('RESTORE_PORT', String(port));
    if (values.RESTORE_TIME !== undefined) fill('RESTORE_TIME', values.RESTORE_TIME);
    fs.writeFileSync(path.join(work, `${name}.sh`), script);
    const t0 = Date.now();
    const run = spawnSync('bash', ['-e', '-o', 'pipefail', path.join(work, `${name}.sh`)], {
      encoding: 'utf8',
      cwd: work,
      env: { ...process.env, XDG_CACHE_HOME: path.join(work, 'cache') },
      timeout: 600_000,
    });
    timings[`kit_${name}_s`] = (Date.now() - t0) / 1000;
    const serverLog = path.join(dir, 'postgresql.log');
    const tail = fs.existsSync(serverLog) ? fs.readFileSync(serverLog, 'utf8').slice(-3000) : '';
    expect(run.status, `${run.stderr}\n${run.stdout}\n${tail}`).toBe(0);
    // The kit's own check: promoted (pg_is_in_recovery() = f).
    expect(run.stdout).toMatch(/^f$/m);
    return { dir, port, stdout: run.stdout };
  }

  /** One value from a cluster the kit restored, over its own socket, as postgres. */
  function kitQuery(restored: { dir: string; port: number }, sql: string): string {
    return execFileSync(
      'runuser',
      [
        '-u',
        'postgres',
        '--',
        path.join(fx.pg.binDir, 'psql'),
        '-h',
        restored.dir,
        '-p',
        String(restored.port),
        '-d',
        'postgres',
        '-Atc',
        sql,
      ],
      { encoding: 'utf8' },
    ).trim();
  }

  /** Commits one row every 100 ms until stopped; returns how many it committed. */
  function startWriter(): { stop(): Promise<number> } {
    const client = new pg.Client({ connectionString: fx.pg.connectionString() });
    let running = true;
    let committed = 0;
    const done = (async () => {
      await client.connect();
      try {
        while (running) {
          await client.query('INSERT INTO kit_activity (note) VALUES ($1)', [`row ${committed}`]);
          committed += 1;
          await new Promise((r) => setTimeout(r, 100));
        }
      } finally {
        await client.end();
      }
    })();
    return {
      async stop() {
        running = false;
        await done;
        return committed;
      },
    };
  }

  async function switchAndWaitArchived(): Promise<void> {
    const [{ wal }] = (await fx.pg.query<{ wal: string }>(
      'SELECT pg_walfile_name(pg_switch_wal()) AS wal',
    )) as [{ wal: string }];
    await expect
      .poll(
        async () =>
          (
            await fx.pg.query<{ last: string | null }>(
              'SELECT last_archived_wal AS last FROM pg_stat_archiver',
            )
          )[0]?.last ?? '',
        { timeout: 60_000, interval: 500 },
      )
      .toSatisfy((last: string) => last >= wal);
  }

  /** WAL or history files of any timeline but production's first one in the repository. */
  function otherTimelines(): string[] {
    const prefix = `${bucketLayout.pgbackrestPrefix(fx.serverId)}archive/`;
    return fx.s3
      .listKeys(fx.bucket, prefix)
      .map((k) => k.slice(k.lastIndexOf('/') + 1))
      .filter((n) => /^0000000[2-9A-F]/.test(n));
  }

  /** pg_dump of one database, as the postgres OS user; `\restrict` keys differ per run. */
  function dump(host: string, port: number, db: string): string {
    const out = execFileSync(
      'runuser',
      [
        '-u',
        'postgres',
        '--',
        path.join(fx.pg.binDir, 'pg_dump'),
        '-h',
        host,
        '-p',
        String(port),
        '-U',
        'postgres',
        db,
      ],
      { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
    );
    return out.replace(/^\\(un)?restrict .*$/gm, '');
  }

  /** Relative path → sha256 of every file under `root`. */
  function tree(root: string): Record<string, string> {
    const out: Record<string, string> = {};
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else
          out[path.relative(root, full)] = crypto
            .createHash('sha256')
            .update(fs.readFileSync(full))
            .digest('hex');
      }
    };
    walk(root);
    return out;
  }

  beforeAll(async () => {
    fx = await startInstalledAgent();
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'kumiko-kit-literal-'));
    // The restore folder lives below it: the postgres user must reach it.
    fs.chmodSync(work, 0o755);
    await fx.pg.query('CREATE TABLE kit_activity (n bigserial PRIMARY KEY, note text)');
    writer = startWriter();
  }, 240_000);

  afterAll(async () => {
    console.info(`[recovery-kit-literal] ${JSON.stringify(timings)}`);
    await writer?.stop().catch(() => undefined);
    // The clusters the kit started, by the PID in their postmaster.pid.
    for (const folder of restoreDirs) {
      const pidFile = path.join(folder, 'data', 'postmaster.pid');
      if (!fs.existsSync(pidFile)) continue;
      const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
      try {
        process.kill(pid, 'SIGINT');
      } catch {
        // Already gone.
      }
      for (let i = 0; i < 150 && fs.existsSync(`/proc/${pid}`); i++)
        await new Promise((r) => setTimeout(r, 200));
    }
    await fx?.stop();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('restores from the PDF text exactly what the app restores', async () => {
    const kit = await fx.call<{ path: string; textPath: string }>('recoveryKit.export', {
      serverId: fx.serverId,
      outputDirectory: path.join(work, 'kit'),
    });
    const text = execFileSync('pdftotext', ['-layout', kit.path, '-'], { encoding: 'utf8' });
    const pdfLines = text.replace(/\f/g, '\n').split('\n');

    // Steps 3 to 6, each the lines the kit marks '# --- step N' … '# --- end of step N'.
    const steps = [3, 4, 5, 6].map((n) => {
      const from = pdfLines.findIndex((l) => l.startsWith(`# --- step ${n} `));
      const to = pdfLines.findIndex((l) => l.startsWith(`# --- end of step ${n} `));
      expect(from, `step ${n} begins`).toBeGreaterThan(0);
      expect(to, `step ${n} ends`).toBeGreaterThan(from);
      return pdfLines.slice(from, to + 1);
    });
    printed = steps.flat().join('\n');
    // What the tester found missing: the CA, --cacert, and the URL on one line.
    expect(printed).toMatch(/^PG_BIN=\/usr\/lib\/postgresql\/15\/bin$/m);
    expect(printed).toContain('-----BEGIN CERTIFICATE-----');
    expect(printed).toContain(`repo1-storage-ca-file=$RESTORE_DIR/storage-ca.pem`);
    expect(printed).toMatch(/^restic --cacert "\$RESTORE_DIR\/storage-ca.pem" snapshots$/m);
    expect(printed).toMatch(
      new RegExp(
        `^s3:https://localhost:${fx.s3.port}/${fx.bucket}/kumiko/${fx.serverId}/restic$`,
        'm',
      ),
    );

    // The moment: a whole second while the writer commits, archived before restoring.
    await new Promise((r) => setTimeout(r, 3_000));
    const target = Math.ceil(Date.now() / 1000) * 1000 + 1000;
    await new Promise((r) => setTimeout(r, target - Date.now() + 2_000));
    await switchAndWaitArchived();
    const moment = new Date(target)
      .toISOString()
      .replace('T', ' ')
      .replace(/\.\d+Z$/, '+00');
    const restored = await runKit('restore', { RESTORE_TIME: `"${moment}"` });
    const restoreDir = restored.dir;
    const port = restored.port;

    // The app's restore of the same moment into a scratch database.
    const t1 = Date.now();
    const job = await fx.runJob('restore.start', {
      serverId: fx.serverId,
      target: { kind: 'time', time: new Date(target).toISOString() },
      destination: { kind: 'scratch' },
      keepHours: 1,
    });
    timings.app_scratch_restore_s = (Date.now() - t1) / 1000;
    expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
    const env = job.result as ScratchEnvironment;

    for (const db of ['postgres', 'chinook']) {
      const byKit = dump(restoreDir, port, db);
      const byApp = dump(env.host, env.port, db);
      expect(byKit.length).toBeGreaterThan(1000);
      expect(byKit === byApp, `${db}: the kit's restore differs from the app's`).toBe(true);
    }
    const [kitRows] = await fx.pg.query<{ c: string }>('SELECT count(*) AS c FROM kit_activity');
    const restoredRows = kitQuery(restored, 'SELECT count(*) FROM kit_activity');
    // Rows of the writer up to the moment, none after it.
    expect(Number(restoredRows)).toBeGreaterThan(20);
    expect(Number(restoredRows)).toBeLessThan(Number(kitRows?.c));

    // The attached files: the same tree as the app's restore, with the original contents.
    const attached = fx.attachedDir as string;
    const byKit = tree(path.join(restoreDir, 'files', attached));
    expect(Object.keys(byKit).length).toBe(5);
    expect(byKit).toEqual(tree(path.join(env.filesDirectory as string, attached)));
    expect(byKit).toEqual(tree(attached));

    // Beside production: another port, its own socket; production still the primary, and
    // nothing of the promoted copies reached the repository.
    expect(fs.existsSync(path.join(restoreDir, `.s.PGSQL.${port}`))).toBe(true);
    const [prod] = await fx.pg.query<{ recovery: boolean; port: string }>(
      "SELECT pg_is_in_recovery() AS recovery, current_setting('port') AS port",
    );
    expect(prod).toEqual({ recovery: false, port: String(fx.pg.port) });
    await switchAndWaitArchived();
    expect(otherTimelines()).toEqual([]);

    const dropped = await fx.call<ScratchEnvironment>('scratch.drop', { id: env.id });
    expect(dropped.state).toBe('removed');
  }, 600_000);

  it('restores the latest state from the same text, with the moment left empty as printed', async () => {
    expect(printed, 'the first test read the kit').not.toBe('');
    // Rows committed before the switch are in archived WAL once it is archived.
    const [archived] = await fx.pg.query<{ c: string }>('SELECT count(*) AS c FROM kit_activity');
    await switchAndWaitArchived();
    const restored = await runKit('restore-latest', {});
    const [now] = await fx.pg.query<{ c: string }>('SELECT count(*) AS c FROM kit_activity');
    // Every row in archived WAL comes back; the writer went on committing meanwhile.
    const rows = Number(kitQuery(restored, 'SELECT count(*) FROM kit_activity'));
    expect(rows).toBeGreaterThanOrEqual(Number(archived?.c));
    expect(rows).toBeLessThanOrEqual(Number(now?.c));
    expect(kitQuery(restored, "SELECT current_setting('archive_mode')")).toBe('off');
    await switchAndWaitArchived();
    expect(otherTimelines()).toEqual([]);
  }, 300_000);
});
