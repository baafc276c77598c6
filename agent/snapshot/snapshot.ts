import { bucketLayout } from '../../shared/agent/bucket-layout';
import { MANIFEST_FORMAT, type RecoveryPointManifest } from '../../shared/agent/manifest';
import type { AgentSnapshotResult, PointProgress } from '../../shared/agent/point';
import { pgbackrest, requireRepositoryInfo } from '../engines/pgbackrest';
import type { PgBackRestBackup, PgBackRestStanzaInfo } from '../engines/pgbackrest-info';
import { resticBackup, resticRebuildIndex, type ResticBackupResult } from '../engines/restic';
import { openBucket } from '../engines/s3';
import { tierOf } from '../retention/points';
import type { AgentContext } from '../runtime/context';
import { AgentError, EXIT, errorMessage, step } from '../runtime/errors';
import { acquirePidLock } from '../runtime/pid';
import { REPOSITORY_LOCK_HOLDERS } from '../runtime/state-paths';
import { updateState } from '../runtime/state';
import { AGENT_VERSION } from '../version';
import { chooseBackupType } from './backup-type';
import { damagedRelation } from './damaged-relation';
import { checkPointFiles } from './files-check';
import { publishManifest } from './publish';
import { exactDatabaseStats, newestPosition, switchPast } from './exact-stats';
import { clusterFacts, databaseStatsIn, listDatabases, type VisibleStats } from './table-stats';

/** What `kumiko-agent snapshot` prints (shared/agent/point.ts checks it in the app). */
export type SnapshotResult = AgentSnapshotResult & { tier: RecoveryPointManifest['tier'] };

/** Options for {@link takeSnapshot}. */
export interface SnapshotOptions {
  /** Force a backup type (default: full when none in 7 days, else incr). */
  type?: 'full' | 'diff' | 'incr';
  /** An admin's note, signed into the manifest (validated by the caller: PointNote). */
  note?: string;
  /**
   * Heal the attached files first (`snapshot --heal`): restic rebuilds its index from the packs
   * the bucket holds, so this point's backup uploads again what a lost pack held.
   */
  heal?: boolean;
  /** Hears each step as it starts (`snapshot --progress`, a point taken from the app). */
  onProgress?: (progress: PointProgress) => void;
}

/** Steps of a point as progress: each phase's index among them (the backup takes the most). */
const PHASE_STEP: Record<PointProgress['phase'], number> = {
  heal: 0,
  backup: 0,
  files: 1,
  manifest: 2,
};
const PHASE_STEPS = 3;

const iso = (epochSeconds: number): string => new Date(epochSeconds * 1000).toISOString();

/**
 * Takes the daily recovery point: pgBackRest backup, restic snapshot of the attached files,
 * per-table counts and checksums, then the signed manifest in the bucket and the result in
 * stateDir/state.json. Holds the repository lock, so it never runs twice at once (nor beside
 * retention).
 * @throws AgentError naming the failed step; state.json records the failure either way.
 */
export async function takeSnapshot(
  ctx: AgentContext,
  options: SnapshotOptions = {},
): Promise<SnapshotResult> {
  const lock = acquirePidLock(ctx.paths.repositoryLock, REPOSITORY_LOCK_HOLDERS);
  const started = ctx.now();
  let label: string | undefined;
  try {
    const result = await run(ctx, options, (l) => (label = l));
    updateState(ctx.paths.state, (s) => ({
      ...s,
      lastRecoveryPoint: {
        label: result.label,
        at: result.at,
        ok: true,
        tier: result.tier,
        manifestKey: result.manifestKey,
      },
      lastRecoveryPointAttempt: { at: started.toISOString(), ok: true, error: null },
    }));
    return result;
  } catch (caught) {
    // A damaged page is named by its file; the admin needs the table (issue 20, fault 15).
    const relation = await damagedRelation(ctx.config, errorMessage(caught));
    const error =
      relation && caught instanceof AgentError
        ? new AgentError(
            caught.step,
            `${caught.message} (the damaged page belongs to ${relation}; restore it from the last good recovery point)`,
            caught.exitCode,
          )
        : caught;
    const message =
      error instanceof AgentError ? `${error.step}: ${error.message}` : errorMessage(error);
    updateState(ctx.paths.state, (s) => ({
      ...s,
      // A backup that exists without its manifest is still worth showing, marked not ok.
      lastRecoveryPoint: label
        ? { label, at: started.toISOString(), ok: false }
        : s.lastRecoveryPoint,
      lastRecoveryPointAttempt: {
        at: started.toISOString(),
        ok: false,
        error: message,
        // The console offers the heal where it shows this failure.
        ...(error instanceof AgentError && error.exitCode === EXIT.filesMissing
          ? { filesMissing: true }
          : {}),
      },
    }));
    throw error;
  } finally {
    lock.release();
  }
}

async function run(
  ctx: AgentContext,
  options: SnapshotOptions,
  onLabel: (label: string) => void,
): Promise<SnapshotResult> {
  const { config, log } = ctx;
  const t0 = Date.now();
  // The table checksums read the database while pgBackRest copies files: both take seconds on
  // a 1 GB cluster, and run one after the other they made the recovery point cost three times
  // the plain backup. Either failing stops the other.
  const abort = new AbortController();
  const stopOnAbort = () => abort.abort(ctx.signal?.reason);
  ctx.signal?.addEventListener('abort', stopOnAbort, { once: true });
  const failFast = <T>(work: Promise<T>): Promise<T> =>
    work.catch((error: unknown) => {
      abort.abort(error);
      throw error;
    });
  const bucket = openBucket(config.s3);
  const progress = (phase: PointProgress['phase'], message: string): void =>
    options.onProgress?.({ phase, message, done: PHASE_STEP[phase], total: PHASE_STEPS });
  try {
    // The index rebuild needs only restic: beside pgBackRest's backup, before restic's.
    if (options.heal) progress('heal', 'restic rebuild-index');
    const healed = options.heal
      ? failFast(step('restic rebuild-index', () => healIndex(ctx, abort.signal)))
      : Promise.resolve();
    const backupDone = failFast(runBackup(ctx, options, abort.signal));
    const duringDone = failFast(statsDuringBackup(config, abort.signal));
    // While pgBackRest works, this process only waits: get what publishing the manifest needs
    // ready now (the time zone's data, ~30 ms; the S3 client's first request, ~40 ms cold), so
    // after the backup comes only the manifest itself. A failure here is the upload's to
    // report, later.
    void ctx.timeZone;
    const warmUp = bucket.list(bucketLayout.manifestsPrefix(config.serverId)).catch(() => null);
    const [ran, during] = await Promise.all([backupDone, duringDone]);
    // After the backup's end, side by side: pgBackRest's record of the backup, the attached
    // files, and the exact WAL position each database's numbers describe (exact-stats.ts; the
    // numbers read beside the backup are kept where nothing was committed since).
    progress('files', ctx.config.restic.paths.length ? 'restic backup' : 'no attached files');
    const found = failFast(findBackup(ctx, ran, abort.signal, onLabel));
    const [{ backup, after }, restic, databases] = await Promise.all([
      found,
      failFast(
        healed.then(() =>
          ran.label
            ? attachedFiles(ctx, ran.label, options, abort.signal)
            : found.then((f) => attachedFiles(ctx, f.backup.label, options, abort.signal)),
        ),
      ),
      failFast(
        step('exact recovery point', () =>
          exactDatabaseStats(config, during.stats, { signal: abort.signal, log }),
        ),
      ),
    ]);
    const newest = newestPosition(databases);
    // Beside the manifest's upload: the segment holding the position goes to the archive now.
    const switched = newest
      ? switchPast(config, newest, abort.signal).catch((error: unknown) =>
          log.warn(
            `snapshot: ${errorMessage(error)} (the position's WAL is archived at the next switch)`,
          ),
        )
      : Promise.resolve();
    await warmUp;
    const tier = tierOf(backup.label, after.backup, config.retention, ctx.now(), ctx.timeZone);
    progress('manifest', 'sign and upload the manifest');
    const manifest = buildManifest(
      ctx,
      backup,
      restic?.snapshot ?? null,
      databases,
      during.pg,
      tier,
      options.note,
    );
    const published = await step('upload manifest', () =>
      publishManifest(bucket, manifest, config.signingKeyFile),
    );
    await switched;
    const tables = databases.reduce((n, db) => n + db.tables.length, 0);
    log.info(`snapshot: manifest ${published.key} sha256 ${published.sha256}`);
    return {
      label: backup.label,
      at: iso(backup.timestamp.stop),
      type: backup.type,
      tier,
      resticSnapshotId: restic?.snapshot.snapshotId ?? null,
      filesCheckSeconds: restic ? Math.round(restic.checkSeconds * 100) / 100 : null,
      manifestKey: published.key,
      sha256: published.sha256,
      tables,
      seconds: Math.round((Date.now() - t0) / 100) / 10,
      note: manifest.note ?? null,
    };
  } finally {
    bucket.close();
    ctx.signal?.removeEventListener('abort', stopOnAbort);
  }
}

/** What `pgbackrest backup` left to find its backup by: the label it printed, the backups before. */
interface BackupRun {
  /** "new backup label = …" (pgBackRest prints it at info level); null when it did not. */
  label: string | null;
  before: PgBackRestStanzaInfo | null;
}

/** The pgBackRest backup itself. */
async function runBackup(
  ctx: AgentContext,
  options: SnapshotOptions,
  signal: AbortSignal,
): Promise<BackupRun> {
  const { config, log } = ctx;
  // The repository's backups decide the type (a full once a week); a forced type needs no look
  // (saves a pgBackRest run and an S3 listing before the backup starts).
  const before = options.type
    ? null
    : await requireRepositoryInfo(config, 'pgbackrest info', { signal });
  const type = options.type ?? chooseBackupType(before?.backup ?? [], ctx.now());
  log.info(`snapshot: pgbackrest backup --type=${type}`);
  options.onProgress?.({
    phase: 'backup',
    message: `pgbackrest backup --type=${type}`,
    done: PHASE_STEP.backup,
    total: PHASE_STEPS,
  });
  const run = await pgbackrest(
    config,
    // At info level pgBackRest names the new backup ("new backup label = …"), a few lines.
    ['backup', `--type=${type}`, '--log-level-console=info'],
    'pgbackrest backup',
    // At the lowest CPU priority: the daily backup yields to production's own work (its
    // compression took both cores from the database: pgbench kept 71 % of its TPS). On an idle
    // server it runs as fast as before.
    { signal, timeoutMs: 12 * 60 * 60_000, lowPriority: true },
  );
  return { label: /new backup label = (\S+)/.exec(run.stdout)?.[1] ?? null, before };
}

/** The new backup in the repository's info (its LSNs, times and sizes go into the manifest). */
async function findBackup(
  ctx: AgentContext,
  ran: BackupRun,
  signal: AbortSignal,
  onLabel: (label: string) => void,
): Promise<{ backup: PgBackRestBackup; after: PgBackRestStanzaInfo }> {
  const after = await requireRepositoryInfo(ctx.config, 'pgbackrest info', { signal });
  const known = new Set((ran.before?.backup ?? []).map((b) => b.label));
  const backup = ran.label
    ? after.backup.find((b) => b.label === ran.label)
    : ran.before
      ? [...after.backup].reverse().find((b) => !known.has(b.label))
      : undefined;
  if (!backup) {
    throw new AgentError(
      'pgbackrest info',
      ran.label
        ? `the new backup ${ran.label} is not in the repository`
        : 'pgBackRest did not name the new backup',
    );
  }
  onLabel(backup.label);
  ctx.log.info(`snapshot: backup ${backup.label} done`);
  return { backup, after };
}

/** `restic rebuild-index` for {@link SnapshotOptions.heal}; nothing to do without attached files. */
async function healIndex(ctx: AgentContext, signal: AbortSignal): Promise<void> {
  if (ctx.config.restic.paths.length === 0) return;
  ctx.log.info('snapshot: heal: restic rebuild-index');
  await resticRebuildIndex(ctx.config, ctx.paths.resticCache, signal);
}

/**
 * The restic snapshot of the attached files, tagged with the backup's label, and the check that
 * every blob it refers to is stored (files-check.ts; throws when one is not).
 */
async function attachedFiles(
  ctx: AgentContext,
  label: string,
  options: SnapshotOptions,
  signal: AbortSignal,
): Promise<{ snapshot: ResticBackupResult; checkSeconds: number } | null> {
  if (ctx.config.restic.paths.length === 0) return null;
  const snapshot = await resticBackup(
    ctx.config,
    ctx.paths.resticCache,
    label,
    signal,
    options.heal === true,
  );
  ctx.log.info(`snapshot: restic snapshot ${snapshot.snapshotId} (${snapshot.fileCount} files)`);
  const check = await checkPointFiles(ctx.config, ctx.paths.resticCache, snapshot, signal);
  if (check.olderDamage) ctx.log.warn(`snapshot: ${check.olderDamage}`);
  ctx.log.info(`snapshot: attached files check ${check.seconds.toFixed(2)} s`);
  return { snapshot, checkSeconds: check.seconds };
}

/**
 * Per-table counts and checksums read beside the backup (one REPEATABLE READ transaction per
 * database, at the lowest priority) with the snapshot each saw, and the cluster facts. Where
 * nothing is committed until the backup's end, these become the manifest's numbers.
 */
async function statsDuringBackup(
  config: AgentContext['config'],
  signal: AbortSignal,
): Promise<{ stats: Map<string, VisibleStats>; pg: RecoveryPointManifest['pg'] }> {
  const stats = await step('table checksums', async () => {
    const out = new Map<string, VisibleStats>();
    for (const db of await listDatabases(config)) {
      out.set(db, await databaseStatsIn(config, db, { signal, background: true }));
    }
    return out;
  });
  const pg = await step('cluster facts', () => clusterFacts(config));
  return { stats, pg };
}

function buildManifest(
  ctx: AgentContext,
  backup: PgBackRestBackup,
  restic: ResticBackupResult | null,
  databases: RecoveryPointManifest['databases'],
  pg: RecoveryPointManifest['pg'],
  tier: RecoveryPointManifest['tier'],
  note: string | undefined,
): RecoveryPointManifest {
  if (!backup.archive.start || !backup.archive.stop) {
    throw new AgentError('manifest', `backup ${backup.label} has no WAL range`);
  }
  return {
    format: MANIFEST_FORMAT,
    serverId: ctx.config.serverId,
    label: backup.label,
    tier,
    agentVersion: AGENT_VERSION,
    createdAt: ctx.now().toISOString(),
    ...(note ? { note } : {}),
    pgbackrest: {
      label: backup.label,
      type: backup.type,
      lsnStart: backup.lsn.start,
      lsnStop: backup.lsn.stop,
      timeStart: iso(backup.timestamp.start),
      timeStop: iso(backup.timestamp.stop),
      walStart: backup.archive.start,
      walStop: backup.archive.stop,
      sizeBytes: backup.info.size,
      repoSizeBytes: backup.info.repository.size,
    },
    restic: {
      snapshotId: restic?.snapshotId ?? null,
      paths: ctx.config.restic.paths,
      fileCount: restic?.fileCount ?? 0,
      bytes: restic?.bytes ?? 0,
    },
    databases,
    pg,
  };
}
