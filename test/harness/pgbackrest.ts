import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { chownTo, makeOwnedDir } from './dirs';
import type { PostgresCluster } from './postgres';
import { isAlive, pidsWithArgument } from './proc-table';
import { registerCleanup, runCommand, type CommandResult } from './processes';
import type { S3Server } from './s3';

/** A pgBackRest option value in the config file. */
export type PgBackRestValue = string | number | boolean;

/** Options for {@link writePgBackRestConfig}. */
export interface PgBackRestConfigOptions {
  pg: PostgresCluster;
  s3: S3Server;
  /** Default 'main'. */
  stanza?: string;
  /** Default the first bucket of the S3 server. */
  bucket?: string;
  /** Path inside the bucket; default '/pgbackrest'. */
  repoPath?: string;
  /** Repository cipher passphrase; default a random one (returned in the result). */
  cipherPass?: string;
  /** Folder for config, lock, log and spool; default <pg.dir>/pgbackrest. */
  dir?: string;
  /** Extra or overriding [global] options, e.g. { 'repo1-retention-full': 1 }. */
  global?: Record<string, PgBackRestValue>;
  /** Extra or overriding [<stanza>] options. */
  stanzaOptions?: Record<string, PgBackRestValue>;
}

/** What {@link writePgBackRestConfig} wrote. */
export interface PgBackRestConfig {
  configPath: string;
  stanza: string;
  dir: string;
  lockPath: string;
  logPath: string;
  spoolPath: string;
  bucket: string;
  repoPath: string;
  cipherPass: string;
}

function render(value: PgBackRestValue): string {
  if (typeof value === 'boolean') return value ? 'y' : 'n';
  return String(value);
}

/**
 * Writes a pgBackRest config for a harness cluster and the harness S3 server: encrypted S3
 * repo (path style, TLS verified against the harness CA), zstd level 1, async archiving with
 * its own spool, lock and log paths. Files belong to the postgres OS user, which runs
 * pgBackRest (a run as root leaves root-owned files that break the next run).
 * Any pgBackRest process left running with this config is killed when the cluster stops.
 */
export function writePgBackRestConfig(options: PgBackRestConfigOptions): PgBackRestConfig {
  const { pg, s3 } = options;
  const stanza = options.stanza ?? 'main';
  const bucket = options.bucket ?? s3.buckets[0] ?? 'kumiko';
  const repoPath = options.repoPath ?? '/pgbackrest';
  const cipherPass = options.cipherPass ?? crypto.randomBytes(24).toString('base64url');
  const dir = makeOwnedDir(options.dir ?? path.join(pg.dir, 'pgbackrest'), 'postgres', 0o750);
  const lockPath = makeOwnedDir(path.join(dir, 'lock'), 'postgres');
  const logPath = makeOwnedDir(path.join(dir, 'log'), 'postgres');
  const spoolPath = makeOwnedDir(path.join(dir, 'spool'), 'postgres');
  const configPath = path.join(dir, 'pgbackrest.conf');

  const global: Record<string, PgBackRestValue> = {
    'repo1-type': 's3',
    'repo1-s3-endpoint': s3.host,
    'repo1-s3-uri-style': 'path',
    'repo1-storage-port': s3.port,
    'repo1-storage-ca-file': s3.caFile,
    'repo1-s3-bucket': bucket,
    'repo1-s3-region': s3.region,
    'repo1-s3-key': s3.accessKeyId,
    'repo1-s3-key-secret': s3.secretAccessKey,
    'repo1-path': repoPath,
    'repo1-cipher-type': 'aes-256-cbc',
    'repo1-cipher-pass': cipherPass,
    'compress-type': 'zst',
    'compress-level': 1,
    'archive-async': true,
    'lock-path': lockPath,
    'log-path': logPath,
    'spool-path': spoolPath,
    'log-level-console': 'warn',
    'log-level-file': 'detail',
    'process-max': 2,
    // Tests must not wait for a scheduled checkpoint before a backup starts.
    'start-fast': true,
    ...options.global,
  };
  const stanzaSection: Record<string, PgBackRestValue> = {
    'pg1-path': pg.dataDir,
    'pg1-port': pg.port,
    'pg1-socket-path': pg.socketDir,
    'pg1-user': 'postgres',
    ...options.stanzaOptions,
  };
  const section = (name: string, values: Record<string, PgBackRestValue>): string =>
    [`[${name}]`, ...Object.entries(values).map(([k, v]) => `${k}=${render(v)}`), ''].join('\n');
  fs.writeFileSync(configPath, `${section('global', global)}\n${section(stanza, stanzaSection)}`, {
    mode: 0o640,
  });
  chownTo(configPath, 'postgres');

  const unregister = registerCleanup({
    name: `pgbackrest processes for ${configPath}`,
    stop: () => stopPgBackRestProcesses(configPath),
    killNow: () => {
      for (const pid of pidsWithArgument(`--config=${configPath}`)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // Gone.
        }
      }
    },
  });
  pg.addStopHook(async () => {
    unregister();
    await stopPgBackRestProcesses(configPath);
  });
  return { configPath, stanza, dir, lockPath, logPath, spoolPath, bucket, repoPath, cipherPass };
}

/** Options for {@link runPgBackRest}. */
export interface RunPgBackRestOptions {
  /** Default 180 s. */
  timeoutMs?: number;
  /** Throw on a non-zero exit code; default false (tests often assert on failures). */
  check?: boolean;
}

/**
 * Runs `pgbackrest --config=<configPath> ...args` as the postgres OS user (never root).
 * @returns exit code and the complete stdout/stderr.
 */
export function runPgBackRest(
  config: string | PgBackRestConfig,
  args: string[],
  options: RunPgBackRestOptions = {},
): Promise<CommandResult> {
  const configPath = typeof config === 'string' ? config : config.configPath;
  return runCommand('pgbackrest', [`--config=${configPath}`, ...args], {
    runAs: 'postgres',
    name: `pgbackrest ${args.filter((a) => !a.startsWith('-')).join(' ')}`.trim(),
    timeoutMs: options.timeoutMs ?? 180_000,
    check: options.check ?? false,
  });
}

/**
 * Kills pgBackRest processes started with this config (by PID, found through /proc): the
 * async archive-push worker detaches from PostgreSQL and would outlive the test.
 */
export async function stopPgBackRestProcesses(
  configPath: string,
  timeoutMs = 5_000,
): Promise<void> {
  const pids = pidsWithArgument(`--config=${configPath}`);
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // Gone.
    }
  }
  const deadline = Date.now() + timeoutMs;
  while (pids.some(isAlive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  for (const pid of pids.filter(isAlive)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone.
    }
  }
}

/** POSIX shell single-quoting (archive_command runs through /bin/sh). */
function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Options for {@link setArchiving}. */
export interface ArchivingOptions {
  /** archive_timeout in seconds; default 60 (as in production). */
  archiveTimeout?: number;
}

/**
 * Turns on WAL archiving into pgBackRest the way the agent does on a real server:
 * ALTER SYSTEM archive_mode=on, archive_command='pgbackrest --config=... --stanza=...
 * archive-push %p', archive_timeout; then restarts the cluster (archive_mode needs it).
 * Asynchronous pushing comes from `archive-async=y` and the spool path in the config.
 */
export async function setArchiving(
  pg: PostgresCluster,
  config: string | PgBackRestConfig,
  stanza: string,
  options: ArchivingOptions = {},
): Promise<void> {
  const configPath = typeof config === 'string' ? config : config.configPath;
  const command = `pgbackrest --config=${shellQuote(configPath)} --stanza=${shellQuote(stanza)} archive-push %p`;
  const literal = (value: string): string => `'${value.replace(/'/g, "''")}'`;
  await pg.psql(
    [
      `ALTER SYSTEM SET archive_mode = 'on';`,
      `ALTER SYSTEM SET archive_command = ${literal(command)};`,
      `ALTER SYSTEM SET archive_timeout = ${Math.round(options.archiveTimeout ?? 60)};`,
      // As the agent's installer sets it: recovery points take exact positions (logical slots).
      `ALTER SYSTEM SET wal_level = 'logical';`,
    ].join('\n'),
  );
  await pg.restart();
}
