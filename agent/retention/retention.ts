import { bucketLayout } from '../../shared/agent/bucket-layout';
import { planRetention, walRetentionStart } from '../../shared/retention/gfs';
import { pgbackrest, requireRepositoryInfo } from '../engines/pgbackrest';
import type { PgBackRestBackup } from '../engines/pgbackrest-info';
import { labelTag, resticForget, resticSnapshotIds } from '../engines/restic';
import { markFinalErasures } from '../gdpr/final-marks';
import { openBucket } from '../engines/s3';
import type { AgentContext } from '../runtime/context';
import { AgentError, errorMessage, step } from '../runtime/errors';
import { acquirePidLock } from '../runtime/pid';
import { REPOSITORY_LOCK_HOLDERS } from '../runtime/state-paths';
import { updateState } from '../runtime/state';
import { ancestorsOf, backupsAsPoints } from './points';

/** What `kumiko-agent retention` prints. */
export interface RetentionResult {
  kept: { label: string; tier: string | null; reasons: string[] }[];
  expired: string[];
  /** Planned to expire, but a kept backup builds on it. */
  keptAsDependency: string[];
  /** WAL is kept from this backup's start on (PITR window). */
  walFrom: string | null;
  resticForgotten: string[];
  manifestsDeleted: string[];
  /** GDPR erasures marked final in this run: no retained point predates them (issue 17 §3). */
  gdprFinal: string[];
  dryRun: boolean;
  message: string;
}

/** Options for {@link applyRetention}. */
export interface RetentionOptions {
  /** Only print the plan. */
  dryRun?: boolean;
}

/**
 * Applies GFS retention (config.retention, with the PITR window) to the repository:
 * `pgbackrest expire --set` for each expired backup, then WAL older than the PITR window's
 * base backup, `restic forget --prune` for the expired labels' snapshots, and deletes their
 * manifests. Records ok/message in state.json either way.
 * @throws AgentError naming the failed step.
 */
export async function applyRetention(
  ctx: AgentContext,
  options: RetentionOptions = {},
): Promise<RetentionResult> {
  const lock = acquirePidLock(ctx.paths.repositoryLock, REPOSITORY_LOCK_HOLDERS);
  const at = new Date().toISOString();
  try {
    const result = await run(ctx, options);
    if (!options.dryRun) {
      updateState(ctx.paths.state, (s) => ({
        ...s,
        lastRetention: { at, ok: true, message: result.message },
      }));
    }
    return result;
  } catch (error) {
    const message =
      error instanceof AgentError ? `${error.step}: ${error.message}` : errorMessage(error);
    if (!options.dryRun) {
      updateState(ctx.paths.state, (s) => ({ ...s, lastRetention: { at, ok: false, message } }));
    }
    throw error;
  } finally {
    lock.release();
  }
}

async function run(ctx: AgentContext, options: RetentionOptions): Promise<RetentionResult> {
  const { config, log, signal } = ctx;
  const now = ctx.now();
  const info = await requireRepositoryInfo(config, 'pgbackrest info', { signal });
  const backups = info.backup;
  const points = backupsAsPoints(backups);
  const plan = planRetention(points, config.retention, { now, timeZone: ctx.timeZone });
  const keptLabels = plan.keep.map((k) => k.label);
  // A kept incremental needs every backup it builds on; expiring one would take it along.
  const needed = ancestorsOf(keptLabels, backups);
  const keptAsDependency = plan.expire.map((e) => e.label).filter((l) => needed.has(l));
  const toExpire = plan.expire.map((e) => e.label).filter((l) => !needed.has(l));
  const walStart = walRetentionStart(
    points,
    [...keptLabels, ...keptAsDependency],
    now,
    config.retention.pitrDays,
  );
  const result: RetentionResult = {
    kept: plan.keep.map((k) => ({ label: k.label, tier: k.tier, reasons: k.reasons })),
    expired: [],
    keptAsDependency,
    walFrom: walStart?.label ?? null,
    resticForgotten: [],
    manifestsDeleted: [],
    gdprFinal: [],
    dryRun: !!options.dryRun,
    message: '',
  };
  if (options.dryRun) {
    result.expired = toExpire;
    result.message = summary(result);
    return result;
  }

  // Newest first: everything that builds on a label is expired before it, so each call
  // removes exactly the backup it names.
  const gone = new Set<string>();
  for (const label of toExpire) {
    if (gone.has(label)) continue;
    log.info(`retention: pgbackrest expire --set=${label}`);
    await pgbackrest(config, ['expire', `--set=${label}`], `pgbackrest expire --set=${label}`, {
      signal,
    });
    for (const removed of [label, ...descendantsOf(label, backups)]) gone.add(removed);
  }
  result.expired = toExpire.filter((l) => gone.has(l));

  const remaining = backups.filter((b) => !gone.has(b.label));
  await expireWal(ctx, remaining, walStart?.label ?? null);

  if (config.restic.paths.length > 0 && gone.size > 0) {
    const ids = await step('restic snapshots', () =>
      resticSnapshotIds(config, ctx.paths.resticCache, [...gone].map(labelTag), signal),
    );
    await resticForget(config, ctx.paths.resticCache, ids, signal);
    result.resticForgotten = ids;
  }

  result.manifestsDeleted = await step('delete manifests', () =>
    deleteManifests(ctx, gone, remaining),
  );
  result.gdprFinal = await markFinal(ctx, remaining);
  result.message = summary(result);
  log.info(`retention: ${result.message}`);
  return result;
}

/**
 * Expires WAL older than the base backup of the PITR window. pgBackRest counts archive
 * retention in backups; with type incr every backup counts, so "the N newest backups" ends
 * exactly at `fromLabel`. WAL that older kept backups need to be consistent stays (pgBackRest
 * keeps each backup's own start–stop range).
 */
async function expireWal(
  ctx: AgentContext,
  remaining: readonly PgBackRestBackup[],
  fromLabel: string | null,
): Promise<void> {
  if (fromLabel === null) return;
  const newestFirst = [...remaining].sort((a, b) => b.timestamp.stop - a.timestamp.stop);
  const count = newestFirst.findIndex((b) => b.label === fromLabel) + 1;
  if (count === 0) return;
  ctx.log.info(`retention: WAL kept from ${fromLabel} (${count} newest backups)`);
  await pgbackrest(
    ctx.config,
    ['expire', `--repo1-retention-archive=${count}`, '--repo1-retention-archive-type=incr'],
    'pgbackrest expire (WAL)',
    { signal: ctx.signal },
  );
}

/**
 * Deletes the manifests (and signatures) of expired labels, and of older labels pgBackRest no
 * longer has (expired by hand or by a previous run that failed half-way). Labels newer than
 * the newest remaining backup are left alone: one may be a snapshot still being written.
 */
async function deleteManifests(
  ctx: AgentContext,
  gone: Set<string>,
  remaining: readonly PgBackRestBackup[],
): Promise<string[]> {
  const present = new Set(remaining.map((b) => b.label));
  const newest = [...present].sort().at(-1);
  const bucket = openBucket(ctx.config.s3);
  try {
    const prefix = bucketLayout.manifestsPrefix(ctx.config.serverId);
    const keys = await bucket.list(prefix);
    const doomed = keys.filter((key) => {
      const label = key.slice(prefix.length).replace(/\.json(\.sig)?$/, '');
      if (gone.has(label)) return true;
      return newest !== undefined && !present.has(label) && label < newest;
    });
    await bucket.delete(doomed);
    return doomed;
  } finally {
    bucket.close();
  }
}

/**
 * Marks the GDPR erasures that no remaining backup predates as final. A failure here is logged
 * and retried by the next run: the backups were expired, which is what retention is for.
 */
async function markFinal(
  ctx: AgentContext,
  remaining: readonly PgBackRestBackup[],
): Promise<string[]> {
  const bucket = openBucket(ctx.config.s3);
  try {
    const retained = remaining.map((b) => ({
      label: b.label,
      startedMs: b.timestamp.start * 1000,
    }));
    return await markFinalErasures(ctx.config, bucket, retained, ctx.now());
  } catch (error) {
    ctx.log.warn(`retention: GDPR erasures not marked final yet: ${errorMessage(error)}`);
    return [];
  } finally {
    bucket.close();
  }
}

/** Backups that build on `label`, transitively. */
function descendantsOf(label: string, backups: readonly PgBackRestBackup[]): string[] {
  const out: string[] = [];
  let frontier = [label];
  while (frontier.length > 0) {
    const next = backups.filter((b) => b.prior !== null && frontier.includes(b.prior));
    out.push(...next.map((b) => b.label));
    frontier = next.map((b) => b.label);
  }
  return out;
}

function summary(r: RetentionResult): string {
  const parts = [
    `kept ${r.kept.length}`,
    `${r.dryRun ? 'would expire' : 'expired'} ${r.expired.length}${r.expired.length ? ` (${r.expired.join(', ')})` : ''}`,
  ];
  if (r.keptAsDependency.length) parts.push(`kept as dependency ${r.keptAsDependency.join(', ')}`);
  if (r.walFrom) parts.push(`WAL from ${r.walFrom}`);
  if (r.gdprFinal.length) parts.push(`GDPR erasures final ${r.gdprFinal.join(', ')}`);
  return parts.join('; ');
}
