import path from 'node:path';
import { loadChinook, type ChinookCounts } from './chinook';
import { makeWorkDir } from './dirs';
import { startPostgres, type PostgresCluster, type PostgresOptions } from './postgres';
import { registerCleanup } from './processes';
import { startS3, type S3Server } from './s3';
import { startSshd, type SshdServer } from './sshd';

/** Options for {@link startEnvironment}. */
export interface EnvironmentOptions {
  /** Load the Chinook sample database into the cluster. */
  chinook?: boolean;
  /** Parent folder; pg/, sshd/ and s3/ go below it. Default: each piece its own temp dir. */
  baseDir?: string;
  /** Buckets for the S3 server; default ['kumiko']. */
  buckets?: string[];
  /** Passed to startPostgres (baseDir and port are managed here unless given). */
  postgres?: Omit<PostgresOptions, 'baseDir'>;
  /** Extra public keys authorized on the sshd. */
  authorizedKeys?: string[];
}

/** PostgreSQL + sshd + S3 on one machine: the "customer server" most tests need. */
export interface Environment {
  readonly pg: PostgresCluster;
  readonly sshd: SshdServer;
  readonly s3: S3Server;
  /** Row counts after loading Chinook, when requested. */
  readonly chinook: ChinookCounts | undefined;
  /** Stops PostgreSQL (it may archive into S3), then sshd, then S3. Idempotent, never skips a piece. */
  stop(): Promise<void>;
}

/**
 * Starts PostgreSQL, sshd and S3 in parallel. If any of them fails, the ones that started are
 * stopped again before the error is rethrown.
 */
export async function startEnvironment(options: EnvironmentOptions = {}): Promise<Environment> {
  const base = options.baseDir === undefined ? undefined : makeWorkDir('env', options.baseDir).path;
  const sub = (name: string): string | undefined =>
    base === undefined ? undefined : path.join(base, name);
  const [pgResult, sshdResult, s3Result] = await Promise.allSettled([
    startPostgres({ ...options.postgres, baseDir: sub('pg') }),
    startSshd({ baseDir: sub('sshd'), authorizedKeys: options.authorizedKeys }),
    startS3({ baseDir: sub('s3'), buckets: options.buckets }),
  ]);
  // Dependents first: PostgreSQL may still push WAL into S3 while it shuts down.
  const started = [pgResult, sshdResult, s3Result].flatMap((r) =>
    r.status === 'fulfilled' ? [r.value] : [],
  );
  const stopStarted = async (): Promise<void> => {
    const errors: unknown[] = [];
    for (const piece of started) {
      try {
        await piece.stop();
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length > 0)
      throw new AggregateError(errors, 'Environment.stop: some pieces failed to stop');
  };
  if (
    pgResult.status === 'rejected' ||
    sshdResult.status === 'rejected' ||
    s3Result.status === 'rejected'
  ) {
    await stopStarted().catch(() => undefined);
    const failures = [pgResult, sshdResult, s3Result].flatMap((r) =>
      r.status === 'rejected' ? [r.reason] : [],
    );
    throw failures.length === 1
      ? failures[0]
      : new AggregateError(failures, 'startEnvironment failed');
  }

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    unregister();
    await stopStarted();
  };
  const unregister = registerCleanup({ name: 'environment', stop, killNow: () => undefined });
  let chinook: ChinookCounts | undefined;
  try {
    if (options.chinook) chinook = await loadChinook(pgResult.value);
  } catch (error) {
    await stop();
    throw error;
  }
  return { pg: pgResult.value, sshd: sshdResult.value, s3: s3Result.value, chinook, stop };
}
