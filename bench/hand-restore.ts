import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { freePort } from '../test/harness';

/**
 * The anchor of the restore benchmarks (pitr, drill): what an admin types by hand with
 * pgBackRest and pg_ctl on the same repository, plus the helpers to run it as the postgres
 * OS user (PostgreSQL and pgBackRest never run as root).
 */

/** Single-quotes a value for sh. */
export const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** Runs a shell script as the postgres OS user; resolves its stdout. */
export function asPostgres(script: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('runuser', ['-u', 'postgres', '--', 'sh', '-ec', script], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    child.stderr.on('data', (d: Buffer) => (err += d));
    child.on('close', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${script.slice(0, 300)}: ${err.slice(-2000)}`)),
    );
  });
}

/**
 * The lines that append a hand-restored cluster's settings to its postgresql.auto.conf: own
 * port and socket, never archiving; `fsync = off` when `unsynced` (as the drill's throwaway
 * cluster: without it, the start would fsync every file the restore left unsynced).
 */
export function handSettingsScript(o: {
  dataDir: string;
  port: number;
  socketDir: string;
  unsynced?: boolean;
}): string {
  return [
    `cat >> ${q(`${o.dataDir}/postgresql.auto.conf`)} <<EOF`,
    `port = ${o.port}`,
    `unix_socket_directories = '${o.socketDir}'`,
    `listen_addresses = ''`,
    `archive_mode = 'off'`,
    ...(o.unsynced ? ['fsync = off'] : []),
    'EOF',
  ].join('\n');
}

/** The lines that start a restored cluster and wait until recovery ended and it was promoted. */
export function startUntilPromotedScript(o: {
  binDir: string;
  dataDir: string;
  logFile: string;
  socketDir: string;
  port: number;
}): string {
  return [
    `${q(`${o.binDir}/pg_ctl`)} -D ${q(o.dataDir)} -l ${q(o.logFile)} -w -t 3600 start >/dev/null || { tail -20 ${q(o.logFile)} >&2; exit 1; }`,
    `until [ "$(${q(`${o.binDir}/psql`)} -X -A -t -h ${q(o.socketDir)} -p ${o.port} -d postgres -c 'SELECT pg_is_in_recovery()' 2>/dev/null)" = f ]; do sleep 0.2; done`,
  ].join('\n');
}

/** Settings a hand-restored cluster in `dir` gets (handSettingsScript); resolves its port. */
export async function scratchConf(dir: string, unsynced = false): Promise<number> {
  const port = await freePort();
  await asPostgres(
    [
      `mkdir -p ${q(`${dir}/s`)}`,
      handSettingsScript({ dataDir: `${dir}/data`, port, socketDir: `${dir}/s`, unsynced }),
    ].join('\n'),
  );
  return port;
}

/** Starts a restored cluster and waits until recovery ended and it was promoted. */
export async function startAndPromote(dir: string, port: number, binDir: string): Promise<void> {
  await asPostgres(
    startUntilPromotedScript({
      binDir,
      dataDir: `${dir}/data`,
      logFile: `${dir}/log`,
      socketDir: `${dir}/s`,
      port,
    }),
  );
}

/** Stops a hand-restored cluster and deletes its folder. */
export async function stopAndRemove(dir: string, binDir: string): Promise<void> {
  await asPostgres(
    `${q(`${binDir}/pg_ctl`)} -D ${q(`${dir}/data`)} -m immediate -w stop >/dev/null 2>&1 || true`,
  );
  fs.rmSync(dir, { recursive: true, force: true });
}

/**
 * `pgbackrest restore --set=<label> <targetArgs> --target-action=promote --archive-mode=off`
 * (optionally without fsync) into `<work>/anchor/data` (own lock, log and spool folders), then start and promote.
 * With `--type=default` (replay every archived WAL: the newest state, as a rebuild's 'latest')
 * without --target-action, which pgBackRest refuses there: the end of the WAL promotes.
 * Resolves the clean-up, to run after the clock stopped.
 */
export async function restoreByHand(options: {
  work: string;
  conf: string;
  stanza?: string;
  label: string;
  targetArgs: readonly string[];
  binDir: string;
  /** No fsync, as the agent's drill: pgBackRest under `eatmydata`, the cluster with fsync off. */
  unsynced?: boolean;
}): Promise<() => Promise<void>> {
  const { work, conf, label, targetArgs, binDir } = options;
  const dir = path.join(work, 'anchor');
  const cleanUp = () => stopAndRemove(dir, binDir);
  await asPostgres(`mkdir -m 700 ${q(dir)} ${q(`${dir}/data`)}`);
  try {
    await asPostgres(
      `${options.unsynced ? 'eatmydata ' : ''}pgbackrest --config=${q(conf)} --stanza=${options.stanza ?? 'main'} --lock-path=${q(dir)} ` +
        `--log-path=${q(dir)} --spool-path=${q(dir)} restore --pg1-path=${q(`${dir}/data`)} ` +
        `--set=${label} ${targetArgs.map(q).join(' ')} ` +
        `${targetArgs.includes('--type=default') ? '' : '--target-action=promote '}--archive-mode=off`,
    );
    await startAndPromote(dir, await scratchConf(dir, options.unsynced), binDir);
    return cleanUp;
  } catch (err) {
    await cleanUp();
    throw err;
  }
}
