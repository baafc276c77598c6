import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { makeOwnedDir, makeWorkDir } from './dirs';
import { freePort } from './ports';
import {
  registerCleanup,
  runCommand,
  spawnManaged,
  type CommandResult,
  type ManagedProcess,
  type RunOptions,
} from './processes';
import { isAlive } from './proc-table';
import { stopProcess } from './stop-process';

/** Where Debian puts the PostgreSQL 15 server binaries (not on PATH). */
export const PG_BIN_DIR = '/usr/lib/postgresql/15/bin';

/** A setting value as written into postgresql.conf or passed with -c. */
export type PgSetting = string | number | boolean;

/** Options for {@link startPostgres}. */
export interface PostgresOptions {
  /** Folder for data, socket and log; default a fresh temp dir (deleted on stop). */
  baseDir?: string;
  /** TCP port on 127.0.0.1; default a free one. */
  port?: number;
  /**
   * Extra `-c name=value` command-line settings. They win over postgresql.conf AND over
   * ALTER SYSTEM, so do not put settings here that the code under test changes.
   */
  settings?: Record<string, PgSetting>;
  /** Extra lines for postgresql.conf at initdb time (ALTER SYSTEM can still override them). */
  confSettings?: Record<string, PgSetting>;
  /** How long to wait for the server to accept connections; default 30 s. */
  startTimeoutMs?: number;
}

/** A running PostgreSQL 15 cluster owned by the `postgres` OS user. */
export interface PostgresCluster {
  readonly host: '127.0.0.1';
  readonly user: 'postgres';
  readonly port: number;
  /** The harness folder holding data/, socket/ and postgres.log. */
  readonly dir: string;
  readonly dataDir: string;
  /** Unix socket folder (also the `pg1-socket-path` for pgBackRest). */
  readonly socketDir: string;
  /** Server log (stderr of the postmaster, appended across restarts). */
  readonly logFile: string;
  readonly binDir: string;
  /** PID of the running postmaster, undefined while stopped. */
  readonly pid: number | undefined;
  /** `postgresql://postgres@127.0.0.1:<port>/<db>` (trust auth, no password). */
  connectionString(db?: string): string;
  /** Runs SQL with psql (-X -A -t, ON_ERROR_STOP) over the socket; returns trimmed stdout. */
  psql(sql: string, db?: string): Promise<string>;
  /** Runs one query with node-postgres over TCP; returns the rows. */
  query<R extends object = Record<string, unknown>>(
    sql: string,
    params?: unknown[],
    db?: string,
  ): Promise<R[]>;
  /**
   * Runs `pg_ctl -D <dataDir> ...args` as postgres (e.g. ['reload'], ['promote'], ['status']).
   * Throws on failure unless check: false. Use start()/stopServer()/restart() rather than
   * pg_ctl start/stop/restart: a postmaster started by pg_ctl is not tracked by PID.
   */
  pgCtl(args: string[], options?: { check?: boolean }): Promise<CommandResult>;
  /** Starts the postmaster again after stopServer() (same port and settings). */
  start(): Promise<void>;
  /** Fast shutdown (SIGINT) of the postmaster by PID; keeps the files. */
  stopServer(): Promise<void>;
  /** stopServer() then start(): needed after changing archive_mode and other postmaster settings. */
  restart(): Promise<void>;
  /** Stops the server, runs the stop hooks, deletes the temp dir (not a given baseDir). Idempotent. */
  stop(): Promise<void>;
  /**
   * Registers work to do in stop() after the postmaster is gone and before files are deleted,
   * e.g. killing pgBackRest's async archive worker, which detaches from the server's tree.
   */
  addStopHook(hook: () => Promise<void> | void): void;
  /** Tail of the server's output, for error messages. */
  logTail(): string;
}

function formatSetting(value: PgSetting): string {
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  return String(value);
}

function confLine(name: string, value: PgSetting): string {
  return `${name} = '${formatSetting(value).replace(/'/g, "''")}'`;
}

/** Runs a PostgreSQL binary as the postgres OS user. */
function runPgTool(tool: string, args: string[], options: RunOptions = {}): Promise<CommandResult> {
  return runCommand(path.join(PG_BIN_DIR, tool), args, {
    runAs: 'postgres',
    name: tool,
    ...options,
  });
}

// Settings every harness cluster gets, chosen so pgBackRest can back it up and archive later.
const BASE_CONF: Record<string, PgSetting> = {
  wal_level: 'replica',
  max_wal_senders: 3,
  log_line_prefix: '%m [%p] ',
};

async function initCluster(
  dataDir: string,
  confSettings: Record<string, PgSetting>,
): Promise<void> {
  // --no-sync: the data dir is thrown away after the test; fsyncing it only costs seconds.
  await runPgTool('initdb', [
    '-D',
    dataDir,
    '--data-checksums',
    '-U',
    'postgres',
    '--auth=trust',
    '--encoding=UTF8',
    '--locale=C.UTF-8',
    '--no-sync',
  ]);
  const lines = Object.entries({ ...BASE_CONF, ...confSettings }).map(([k, v]) => confLine(k, v));
  fs.appendFileSync(
    path.join(dataDir, 'postgresql.conf'),
    `\n# Kumiko test harness\n${lines.join('\n')}\n`,
  );
}

/**
 * Creates (initdb --data-checksums, as the postgres OS user) and starts a PostgreSQL 15 cluster
 * on 127.0.0.1 with its own Unix socket folder. When `baseDir` already holds an initialised
 * data/ folder it is started as is (the demo reuses its cluster across runs).
 * @throws Error with the server log tail when it does not become ready.
 */
export async function startPostgres(options: PostgresOptions = {}): Promise<PostgresCluster> {
  const work = makeWorkDir('pg', options.baseDir);
  const port = options.port ?? (await freePort());
  const dataDir = path.join(work.path, 'data');
  const socketDir = path.join(work.path, 'socket');
  const logFile = path.join(work.path, 'postgres.log');
  const startTimeoutMs = options.startTimeoutMs ?? 30_000;
  let server: ManagedProcess | undefined;
  let stopped = false;
  const stopHooks: Array<() => Promise<void> | void> = [];

  try {
    makeOwnedDir(socketDir, 'postgres', 0o755);
    if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
      makeOwnedDir(dataDir, 'postgres', 0o700);
      await initCluster(dataDir, options.confSettings ?? {});
    } else {
      removeStalePidFile(dataDir);
    }
  } catch (error) {
    await work.remove();
    throw error;
  }

  const args = [
    '-D',
    dataDir,
    '-p',
    String(port),
    '-k',
    socketDir,
    '-c',
    'listen_addresses=127.0.0.1',
  ];
  for (const [name, value] of Object.entries(options.settings ?? {})) {
    args.push('-c', `${name}=${formatSetting(value)}`);
  }

  async function waitReady(proc: ManagedProcess): Promise<void> {
    const deadline = Date.now() + startTimeoutMs;
    for (;;) {
      const reason = proc.exitReason();
      if (reason) throw new Error(`PostgreSQL did not start: ${reason}`);
      const ready = await runPgTool('pg_isready', ['-q', '-h', socketDir, '-p', String(port)], {
        check: false,
        timeoutMs: 5_000,
      });
      if (ready.code === 0) break;
      if (Date.now() > deadline) {
        throw new Error(
          `PostgreSQL not ready after ${startTimeoutMs} ms:\n${proc.output.text(4_000)}`,
        );
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    // pg_isready only proves the postmaster answers; a real login proves auth and TCP work.
    await cluster.query('SELECT 1');
  }

  const cluster: PostgresCluster = {
    host: '127.0.0.1',
    user: 'postgres',
    port,
    dir: work.path,
    dataDir,
    socketDir,
    logFile,
    binDir: PG_BIN_DIR,
    get pid() {
      return server && !server.exitInfo ? server.pid : undefined;
    },
    connectionString(db = 'postgres') {
      return `postgresql://postgres@127.0.0.1:${port}/${encodeURIComponent(db)}`;
    },
    async psql(sql, db = 'postgres') {
      const result = await runPgTool(
        'psql',
        [
          '-X',
          '-q',
          '-A',
          '-t',
          '-v',
          'ON_ERROR_STOP=1',
          '-h',
          socketDir,
          '-p',
          String(port),
          '-U',
          'postgres',
          '-d',
          db,
          '-f',
          '-',
        ],
        { input: sql },
      );
      return result.stdout.trim();
    },
    async query<R extends object>(sql: string, params: unknown[] = [], db = 'postgres') {
      const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: db });
      await client.connect();
      try {
        const result = await client.query<R>(sql, params);
        return result.rows;
      } finally {
        await client.end();
      }
    },
    pgCtl(ctlArgs, ctlOptions = {}) {
      return runPgTool('pg_ctl', ['-D', dataDir, ...ctlArgs], { check: ctlOptions.check ?? true });
    },
    async start() {
      if (cluster.pid !== undefined) return;
      server = spawnManaged('postgres', path.join(PG_BIN_DIR, 'postgres'), args, {
        runAs: 'postgres',
        logFile,
        // SIGINT = fast shutdown: disconnects clients instead of waiting for them (SIGTERM would).
        // Only the postmaster gets it; it stops its own children in order.
        defaultStop: { signal: 'SIGINT', group: false, timeoutMs: 15_000 },
      });
      await waitReady(server);
    },
    async stopServer() {
      await server?.stop();
      // Something else (the agent installer's `pg_ctl restart`) may have replaced the
      // postmaster we started: stop whatever postmaster.pid names, by PID.
      const adopted = postmasterPidOf(dataDir);
      if (adopted !== undefined && isAlive(adopted)) {
        await stopProcess(adopted, { signal: 'SIGINT', group: false, timeoutMs: 15_000 });
      }
    },
    async restart() {
      await cluster.stopServer();
      await cluster.start();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      unregister();
      try {
        await cluster.stopServer();
      } finally {
        for (const hook of stopHooks.splice(0)) {
          try {
            await hook();
          } catch {
            // A failing hook must not keep the folder or the other hooks from being cleaned up.
          }
        }
        await work.remove();
      }
    },
    addStopHook(hook) {
      stopHooks.push(hook);
    },
    logTail() {
      return server?.output.text() ?? '';
    },
  };

  const unregister = registerCleanup({
    name: `postgres cluster ${work.path}`,
    stop: () => cluster.stop(),
    // The postmaster has its own registry entry, killed before this one (newest first).
    killNow: () => work.removeSync(),
  });
  try {
    await cluster.start();
  } catch (error) {
    await cluster.stop();
    throw error;
  }
  return cluster;
}

/**
 * A reused data directory (the demo's) may keep the postmaster.pid of a postmaster that was
 * killed; PostgreSQL then refuses to start when another process has since got that PID. The
 * file goes when its PID is not a postmaster of this data directory.
 */
function removeStalePidFile(dataDir: string): void {
  const pid = postmasterPidOf(dataDir);
  if (pid === undefined) return;
  let cmdline = '';
  try {
    cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    // Not running: PostgreSQL sees that itself, but the file is stale all the same.
  }
  if (!cmdline.includes(dataDir)) fs.rmSync(path.join(dataDir, 'postmaster.pid'), { force: true });
}

/** The PID in the data directory's postmaster.pid, if there is one. */
function postmasterPidOf(dataDir: string): number | undefined {
  try {
    const pid = Number(
      fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0],
    );
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}
