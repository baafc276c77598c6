import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';
import type { PostgresCluster } from './postgres';
import { runCommand } from './processes';

/** Options for {@link startWriteLoad}. */
export interface WriteLoadOptions {
  /** Database of the marker rows (default 'postgres'). */
  markerDb?: string;
  /** Between marker rows (default 100 ms). */
  markerEveryMs?: number;
  /** Database pgbench writes to (initialised at scale 1 on first use); null: no pgbench. */
  pgbenchDb?: string | null;
  /** pgbench's transaction rate (-R, default 50 per second), two clients. */
  pgbenchRate?: number;
}

/** A running {@link startWriteLoad}. */
export interface WriteLoad {
  /** Marker rows committed so far. */
  readonly markers: number;
  /** Stops pgbench and the marker loop; resolves once both have ended. */
  stop(): Promise<void>;
}

/**
 * A production-like writer beside a test (a production database is never idle while it is
 * backed up, restored or drilled): one marker row every `markerEveryMs` in `kumiko_marker`
 * (id, commit time), plus pgbench's TPC-B-like transactions at a steady rate. Marker inserts
 * that fail while PostgreSQL restarts are retried on the next tick.
 */
export async function startWriteLoad(
  cluster: PostgresCluster,
  options: WriteLoadOptions = {},
): Promise<WriteLoad> {
  const markerDb = options.markerDb ?? 'postgres';
  const pgbenchDb = options.pgbenchDb === undefined ? 'postgres' : options.pgbenchDb;
  await cluster.psql(
    'CREATE TABLE IF NOT EXISTS kumiko_marker (id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT clock_timestamp())',
    markerDb,
  );
  let bench: ChildProcess | null = null;
  if (pgbenchDb) {
    const initialised = await cluster.psql(
      "SELECT count(*) FROM pg_class WHERE relname = 'pgbench_accounts'",
      pgbenchDb,
    );
    const pgbench = path.join(cluster.binDir, 'pgbench');
    const conn = ['-h', cluster.socketDir, '-p', String(cluster.port)];
    if (initialised === '0') {
      await runCommand(pgbench, ['-i', '-q', '-s', '1', ...conn, pgbenchDb], {
        runAs: 'postgres',
        name: 'pgbench -i',
        timeoutMs: 120_000,
      });
    }
    bench = spawn(
      'runuser',
      [
        '-u',
        'postgres',
        '--',
        pgbench,
        '-n',
        '-c',
        '2',
        '-R',
        String(options.pgbenchRate ?? 50),
        '-T',
        '36000',
        ...conn,
        pgbenchDb,
      ],
      // Its own process group, so stop() reaches pgbench under runuser too.
      { stdio: 'ignore', detached: true },
    );
  }
  let client: pg.Client | null = null;
  let markers = 0;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      try {
        if (!client) {
          client = new pg.Client({
            host: '127.0.0.1',
            port: cluster.port,
            user: 'postgres',
            database: markerDb,
          });
          client.on('error', () => undefined);
          await client.connect();
        }
        await client.query('INSERT INTO kumiko_marker DEFAULT VALUES');
        markers += 1;
      } catch {
        await client?.end().catch(() => undefined);
        client = null;
      }
      await new Promise((r) => setTimeout(r, options.markerEveryMs ?? 100));
    }
  })();
  return {
    get markers() {
      return markers;
    },
    async stop() {
      stopped = true;
      if (bench && bench.exitCode === null) {
        const ended = new Promise((r) => bench?.once('close', r));
        process.kill(-(bench.pid as number), 'SIGTERM');
        await ended;
      }
      await loop;
      await (client as pg.Client | null)?.end().catch(() => undefined);
    },
  };
}
