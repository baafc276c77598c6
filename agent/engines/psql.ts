import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import crypto from 'node:crypto';
import path from 'node:path';
import type { AgentConfig } from '../../shared/agent/config';
import { psqlDatabaseArg, type DatabaseConninfoOptions } from '../../shared/postgres-conninfo';
import { AgentError } from '../runtime/errors';
import { commandLine, runTool } from '../runtime/exec';

// psql rather than a driver: on a stock server the postgres role logs in by peer
// authentication over the Unix socket, which only a process running as the postgres OS user
// passes. The agent runs as root and reaches PostgreSQL through `runuser -u postgres -- psql`.

/**
 * psql and its arguments for database `db` of the cluster in `config`. The database goes in as
 * `--dbname=dbname='<name>'` (shared/postgres-conninfo.ts): names come from pg_database, the
 * drill settings or the erasure ledger, and one holding `=` must never choose the host.
 */
export function psqlArgs(
  config: AgentConfig,
  db: string,
  options: DatabaseConninfoOptions = {},
): [string, string[]] {
  return [
    path.join(config.pg.binDirectory, 'psql'),
    [
      '-X',
      '-q',
      '-A',
      '-t',
      '-v',
      'ON_ERROR_STOP=1',
      '-h',
      config.pg.socketDirectory,
      '-p',
      String(config.pg.port),
      '-U',
      config.pg.osUser,
      psqlDatabaseArg(db, options),
    ],
  ];
}

/**
 * Runs SQL with psql (unaligned, tuples only) and returns stdout, trimmed.
 * @throws AgentError naming `step` when psql fails.
 */
export async function psqlQuery(
  config: AgentConfig,
  sql: string,
  step: string,
  db = 'postgres',
  signal?: AbortSignal,
): Promise<string> {
  const [command, args] = psqlArgs(config, db);
  const result = await runTool(command, [...args, '-f', '-'], {
    runAs: config.pg.osUser,
    input: sql,
    step,
    signal,
    timeoutMs: 60_000,
  });
  return result.stdout.trim();
}

// Unit and record separators: control characters no ordinary value holds, so a value with a
// '|' or a newline in it still comes back as one field.
const FIELD_SEPARATOR = '\x1f';
const RECORD_SEPARATOR = '\x1e';

/**
 * Runs statements with psql in one session, each passed with `-c` (so psql sends it to the
 * server as it is and never interprets backslash commands in it), and returns the rows they
 * printed, each as its fields' text (NULL prints as ''). No rows: an empty list.
 * @throws AgentError naming `step` when psql fails (it stops at the first failing statement).
 */
export async function psqlRows(
  config: AgentConfig,
  statements: readonly string[],
  step: string,
  options: { db?: string; signal?: AbortSignal; timeoutMs?: number } = {},
): Promise<string[][]> {
  if (statements.some((sql) => sql.trimStart().startsWith('\\'))) {
    throw new AgentError(
      step,
      'psql meta-commands (a statement starting with a backslash) are not run',
    );
  }
  const [command, args] = psqlArgs(config, options.db ?? 'postgres');
  const result = await runTool(
    command,
    [
      ...args,
      '-F',
      FIELD_SEPARATOR,
      '-R',
      RECORD_SEPARATOR,
      ...statements.flatMap((sql) => ['-c', sql]),
    ],
    {
      runAs: config.pg.osUser,
      step,
      signal: options.signal,
      timeoutMs: options.timeoutMs ?? 60_000,
    },
  );
  if (result.stdout === '') return [];
  // psql ends the last record with a newline instead of the record separator.
  const text = result.stdout.endsWith('\n') ? result.stdout.slice(0, -1) : result.stdout;
  return text.split(RECORD_SEPARATOR).map((record) => record.split(FIELD_SEPARATOR));
}

/**
 * Runs one query whose single result cell is JSON (e.g. `SELECT json_agg(…)`) and parses it.
 */
export async function psqlJson<T>(
  config: AgentConfig,
  sql: string,
  step: string,
  db = 'postgres',
): Promise<T> {
  const out = await psqlQuery(config, sql, step, db);
  try {
    return JSON.parse(out) as T;
  } catch {
    throw new AgentError(step, `psql returned no JSON: ${out.slice(0, 200)}`);
  }
}

/**
 * A long-lived psql process fed statement by statement: what needs several round trips in ONE
 * transaction (list the tables, then count each) uses it. Each statement is followed by an
 * `\echo` marker, so its output ends where the marker appears.
 */
export class PsqlSession {
  private buffer = '';
  private stderr = '';
  private exited = false;
  private waiter: (() => void) | undefined;

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    private readonly step: string,
  ) {
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      this.buffer += chunk;
      this.waiter?.();
    });
    child.stderr.on('data', (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-4_000);
    });
    child.stdin.on('error', () => undefined);
    child.once('close', () => {
      this.exited = true;
      this.waiter?.();
    });
    child.once('error', () => {
      this.exited = true;
      this.waiter?.();
    });
  }

  /** Starts psql on database `db` (`replication`: a replication connection to it). */
  static open(
    config: AgentConfig,
    db: string,
    step: string,
    signal?: AbortSignal,
    options: DatabaseConninfoOptions = {},
  ): PsqlSession {
    const [psql, args] = psqlArgs(config, db, options);
    const [file, argv] = commandLine(psql, args, config.pg.osUser);
    const child = spawn(file, argv, { cwd: '/', stdio: ['pipe', 'pipe', 'pipe'] });
    const session = new PsqlSession(child, step);
    signal?.addEventListener('abort', () => session.kill(), { once: true });
    return session;
  }

  /**
   * Sends one statement (without the trailing semicolon) and returns its output, trimmed.
   * @throws AgentError with psql's error when the statement fails (psql then exits).
   */
  async query(sql: string): Promise<string> {
    const marker = `__kumiko_${crypto.randomBytes(8).toString('hex')}__`;
    this.child.stdin.write(`${sql};\n\\echo ${marker}\n`);
    const end = `${marker}\n`;
    for (;;) {
      const at = this.buffer.indexOf(end);
      if (at !== -1) {
        const out = this.buffer.slice(0, at);
        this.buffer = this.buffer.slice(at + end.length);
        return out.trim();
      }
      if (this.exited) {
        throw new AgentError(this.step, `psql failed: ${this.stderr.trim() || 'exited early'}`);
      }
      await new Promise<void>((resolve) => {
        this.waiter = resolve;
      });
      this.waiter = undefined;
    }
  }

  /** Ends psql (an open transaction is rolled back). */
  async close(): Promise<void> {
    if (this.exited) return;
    this.child.stdin.end('\\q\n');
    await new Promise<void>((resolve) => {
      if (this.exited) resolve();
      else this.child.once('close', () => resolve());
    });
  }

  kill(): void {
    if (!this.exited) this.child.kill('SIGTERM');
  }
}
