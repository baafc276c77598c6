import fs from 'node:fs';
import path from 'node:path';
import type { ManifestDatabase } from '../../shared/agent/manifest';
import type {
  AgentProductionCheck,
  AgentProductionOutcome,
  AgentProductionSpec,
  PRODUCTION_STAGES,
  ProductionProgress,
} from '../../shared/agent/restore';
import { recoveryChecks } from '../../shared/restore/recovery-checks';
import { lsnToBytes } from '../../shared/restore/recovery-log';
import { pgbackrestRestoreArgs } from '../../shared/restore/restore-args';
import { pgbackrest, withRedactionMarks } from '../engines/pgbackrest';
import { psqlQuery } from '../engines/psql';
import { openBucket } from '../engines/s3';
import { repositoryInfo, usableStanza } from '../engines/pgbackrest';
import type { AgentContext } from '../runtime/context';
import { AgentError, errorMessage } from '../runtime/errors';
import { writeExclusive } from '../runtime/no-follow';
import { takeSnapshot } from '../snapshot/snapshot';
import { clusterOwner } from '../drill/cluster-user';
import { manifestMatchCheck } from '../drill/manifest-match';
import { loadLedger, replayLedgerCheck } from '../gdpr/ledger-replay';
import { recoverySteps, type RecoveryStep } from '../drill/exact-steps';
import {
  manifestKeyOf,
  recoveryPointByLabel,
  type DrillRecoveryPoint,
} from '../drill/recovery-point';
import { removeScratchDir } from '../drill/scratch-env';
import { waitForPause, waitForPromotion } from '../drill/scratch-cluster';
import { stopSettings } from '../drill/scratch-configure';
import { stepMeasurer } from '../drill/step-measure';
import { SCRATCH_MARKER } from '../drill/scratch-paths';
import { restoredClusterFacts } from './cluster-facts';
import {
  readProductionControl,
  startAsBefore,
  startPrivately,
  stopPrivately,
  stopProduction,
  type ProductionControl,
} from './production-control';

const WAL_SEGMENT_BYTES = 16 * 1024 * 1024;

type Stage = (typeof PRODUCTION_STAGES)[number];

/** The restore over production that got past its safety snapshot: its outcome and exit code. */
export interface ProductionRestoreRun {
  outcome: AgentProductionOutcome;
  exitCode: number;
}

/**
 * `kumiko-agent restore-production`: restores production's own cluster to the spec's target
 * (the app checked the typed database name and paused the agent's scheduler): read how
 * PostgreSQL runs → safety snapshot (if it fails, nothing changed) → stop → `pgbackrest restore
 * --delta` over the data directory → start privately (no TCP, a socket of the restore's own)
 * and replay to the target, promoted onto a new timeline that is archived → verify (as a
 * scratch restore, plus: still the same cluster) → start as it ran → its new timeline reached
 * the repository. An abort (the app's cancel) is honoured until PostgreSQL is stopped, which
 * then runs as before; from the stop on the restore runs to its end: a half-restored production
 * directory is never left behind silently.
 * @throws AgentError before the safety snapshot exists (production was not touched).
 */
export async function runProductionRestore(
  ctx: AgentContext,
  spec: AgentProductionSpec,
  progress: (p: ProductionProgress) => void,
  noReturn: () => void,
): Promise<ProductionRestoreRun> {
  const { config, signal } = ctx;
  progress({ phase: 'plan', message: 'reading how PostgreSQL runs', done: 0, total: 1 });
  const control = await readProductionControl(config, signal);
  // A recovery point's manifest says where each database was counted: recovery stops exactly
  // there (as a scratch restore and a drill do), or under write load the comparison fails.
  const point = spec.check.kind === 'point' ? await readPoint(ctx, spec.check.label) : null;
  const steps = recoverySteps(point?.manifest ?? null);
  progress({ phase: 'plan', message: 'read', done: 1, total: 1 });
  progress({ phase: 'safety-snapshot', message: 'taking the safety snapshot' });
  const safety = await takeSnapshot(ctx, {}).catch((error: unknown) => {
    throw new AgentError(
      'safety snapshot',
      `the safety snapshot failed (${errorMessage(error)}); production was not touched`,
    );
  });
  const safetySnapshot = {
    label: safety.label,
    at: new Date(safety.at).toISOString(),
    manifestKey: safety.manifestKey,
  };

  progress({ phase: 'stop', message: 'stopping PostgreSQL', done: 0, total: 1 });
  if (signal?.aborted) throw new AgentError('stop', 'cancelled: production was not touched');
  const work = await prepareWorkFolder(config, ctx.log);
  const stoppedAt = new Date().toISOString();
  // From here on nothing stops the restore (SIGTERM is logged and ignored).
  noReturn();
  try {
    await stopProduction(config, control);
  } catch (error) {
    await startAsBefore(config, control).catch(() => undefined);
    throw new AgentError(
      'stop',
      `PostgreSQL could not be stopped (${errorMessage(error)}); it runs as before`,
    );
  }
  progress({ phase: 'stop', message: 'stopped', done: 1, total: 1 });

  let stage: Stage = 'restore';
  let startedPrivately = false;
  try {
    progress({ phase: 'restore', message: `restoring backup ${spec.restore.backupLabel}` });
    await restoreOverProduction(ctx, spec);

    stage = 'replay';
    const from = spec.lsnStart ? lsnToBytes(spec.lsnStart) : null;
    const total = Math.max(1, spec.walSegments) * WAL_SEGMENT_BYTES;
    let replayed = 0;
    progress({ phase: 'replay', message: 'replaying WAL to the target', done: 0, total });
    startedPrivately = true;
    const measurer = stepMeasurer(config, work, point?.manifest ?? null);
    await replayThroughSteps(config, control, work, steps, measurer.atStep);
    const outcome = await waitForPromotion(config, work, config.pg.port, {
      onReplay: (lsn) => {
        if (from === null) return;
        replayed = Math.max(replayed, Math.min(total, lsnToBytes(lsn) - from));
        progress({
          phase: 'replay',
          message: 'replaying WAL to the target',
          done: replayed,
          total,
        });
      },
    });

    stage = 'verify';
    progress({ phase: 'verify', message: 'checking the restored cluster', done: 0, total: 1 });
    const checks = await verify(ctx, spec, control, work, outcome, {
      point,
      measured: measurer.measured,
      exactLsn: steps.at(-1)?.lsn ?? null,
    });
    const failed = checks.filter((c) => !c.ok);
    if (failed.length) {
      throw new AgentError(
        'verify',
        `verification failed: ${failed.map((c) => `${c.name} (${c.detail})`).join('; ')}`,
      );
    }
    progress({ phase: 'verify', message: 'checked', done: 1, total: 1 });

    stage = 'start-capture';
    progress({
      phase: 'start-capture',
      message: 'starting PostgreSQL as it ran',
      done: 0,
      total: 2,
    });
    await resetRecoveryTargets(ctx, work);
    await stopPrivately(config, work.data);
    startedPrivately = false;
    await startAsBefore(config, control);
    const startedAt = new Date().toISOString();
    stage = 'capture';
    progress({
      phase: 'start-capture',
      message: 'waiting for the new timeline in the repository',
      done: 1,
      total: 2,
    });
    const archiving = await archivingCheck(config.pg.dataDirectory, outcome.newTimeline);
    progress({ phase: 'start-capture', message: 'capture continues', done: 2, total: 2 });
    return {
      exitCode: archiving.ok ? 0 : 1,
      outcome: archiving.ok
        ? {
            ok: true,
            safetySnapshot,
            dataDirectory: config.pg.dataDirectory,
            port: config.pg.port,
            timeline: outcome.newTimeline,
            stoppedAt,
            startedAt,
            checks: [...checks, archiving],
          }
        : { ok: false, safetySnapshot, stage, error: archiving.detail },
    };
  } catch (error) {
    if (startedPrivately) await stopPrivately(config, work.data).catch(() => undefined);
    ctx.log.error(`restore over production failed while ${stage}: ${errorMessage(error)}`);
    return {
      exitCode: 1,
      outcome: { ok: false, safetySnapshot, stage, error: errorMessage(error).slice(0, 4000) },
    };
  }
}

/** The folders of the private start: `<state dir>/production-restore`, made afresh. */
interface WorkFolder {
  root: string;
  data: string;
  socket: string;
  log: string;
}

/** What an earlier restore over production left is moved aside under this prefix. */
const OLD_WORK_PREFIX = 'production-restore.old-';

/**
 * A fresh folder for the private start's socket and log: the agent's (0711), with the marker
 * that lets the postmaster checks (drill/postmaster.ts) recognise the private postmaster, a
 * socket folder and a log file of the cluster's OS user.
 *
 * The folder an earlier restore left is never deleted by root recursively: its socket folder is
 * the cluster's OS user's, who can fill it with a tree and, once root is deleting inside a
 * folder of it, swap the folder above for a symlink to a root-only folder; root's next deletes
 * by path then land there (`fs.rmSync` as root deleted 2,999 of 3,000 such files in
 * test/integration/restore-privilege.test.ts). So it is renamed aside (an entry of the state
 * folder: only root can rename it) and removed like a drill's folder (scratch-env.ts
 * removeScratchDir: what the cluster's OS user owns is emptied as that user). What cannot be
 * removed stays aside and is logged: junk planted there never holds up the restore.
 */
async function prepareWorkFolder(
  config: AgentContext['config'],
  log: AgentContext['log'],
): Promise<WorkFolder> {
  const root = path.join(config.stateDir, 'production-restore');
  if (fs.existsSync(root))
    fs.renameSync(root, `${config.stateDir}/${OLD_WORK_PREFIX}${Date.now()}`);
  for (const name of fs.readdirSync(config.stateDir)) {
    if (!name.startsWith(OLD_WORK_PREFIX)) continue;
    await removeScratchDir(config, path.join(config.stateDir, name)).catch((error: unknown) =>
      log.warn(`restore over production: ${name} not removed yet: ${errorMessage(error)}`),
    );
  }
  fs.mkdirSync(root, { mode: 0o711 });
  fs.chmodSync(root, 0o711);
  writeExclusive(path.join(root, SCRATCH_MARKER), '', 0o600);
  const owner = clusterOwner(config);
  const work = {
    root,
    data: config.pg.dataDirectory,
    socket: path.join(root, 'sock'),
    log: path.join(root, 'postgres.log'),
  };
  fs.mkdirSync(work.socket, { mode: 0o700 });
  fs.lchownSync(work.socket, owner.uid, owner.gid);
  writeExclusive(work.log, '', 0o600, owner);
  return work;
}

/**
 * `pgbackrest restore --delta` over production: the scratch restore's arguments (pinned set,
 * target, timeline, promote) except `--archive-mode=off`: production must archive its new
 * timeline; `--delta` keeps the files that did not change. The agent's own lock, log and spool
 * paths, as every pgBackRest run on this server uses.
 */
async function restoreOverProduction(ctx: AgentContext, spec: AgentProductionSpec): Promise<void> {
  const { config } = ctx;
  const args = productionRestoreArgs(config, spec.restore);
  const result = await pgbackrest(config, args, 'pgbackrest restore', {
    check: false,
    timeoutMs: 12 * 3600_000,
  });
  if (result.code !== 0) {
    const output = [result.stdout.trim(), result.stderr.trim()].filter(Boolean).join('\n');
    throw new AgentError(
      'restore',
      withRedactionMarks(
        `pgbackrest restore exited with code ${result.code}: ${output.split('\n').slice(-3).join(' / ')}`,
      ),
    );
  }
}

/**
 * `pgbackrest restore` over production: the scratch restore's arguments (pinned set, target,
 * timeline, promote) except `--archive-mode=off` (production must archive its new timeline) and
 * with `--delta` (the files that did not change stay); the agent's own lock, log and spool.
 */
export function productionRestoreArgs(
  config: Pick<AgentContext['config'], 'stateDir' | 'pg'>,
  target: AgentProductionSpec['restore'],
): string[] {
  const args = pgbackrestRestoreArgs(
    {
      data: config.pg.dataDirectory,
      lock: path.join(config.stateDir, 'lock'),
      pgbackrestLog: path.join(config.stateDir, 'log'),
      spool: path.join(config.stateDir, 'spool'),
    },
    target,
  );
  const at = args.indexOf('--archive-mode=off');
  if (at < 0) throw new AgentError('restore', 'unexpected restore arguments');
  args.splice(at, 1, '--delta');
  return args;
}

/** The recovery point restored, with its manifest, read while production still runs. */
async function readPoint(ctx: AgentContext, label: string): Promise<DrillRecoveryPoint> {
  const { config, signal } = ctx;
  const bucket = openBucket(config.s3);
  try {
    const stanza = usableStanza(await repositoryInfo(config, { signal }), 'prepare');
    return await recoveryPointByLabel(
      config.serverId,
      manifestKeyOf(config),
      stanza,
      label,
      bucket,
    );
  } finally {
    bucket.close();
  }
}

/**
 * Starts the restored production cluster privately and lets recovery run: without steps to the
 * spec's target; with an exact manifest's steps, pausing at each but the last for `atStep` to
 * count those databases, then restarting on to the next, promoted at the last
 * (agent/drill/start-phase.ts does the same for a scratch cluster).
 */
async function replayThroughSteps(
  config: AgentContext['config'],
  control: ProductionControl,
  work: WorkFolder,
  steps: readonly RecoveryStep[],
  atStep: (port: number, step: RecoveryStep) => Promise<void>,
): Promise<void> {
  if (steps.length === 0) {
    await startPrivately(config, control, work);
    return;
  }
  for (const [i, step] of steps.entries()) {
    const last = i === steps.length - 1;
    await startPrivately(
      config,
      control,
      work,
      stopSettings({ lsn: step.lsn, action: last ? 'promote' : 'pause' }),
    );
    if (last) return;
    await waitForPause(config, work, config.pg.port);
    await atStep(config.pg.port, step);
    await stopPrivately(config, work.data);
  }
}

/**
 * The checks of a scratch restore (consistent, promoted, stopped at the target, and for a
 * recovery point its signed manifest) on the privately started cluster, plus: it is still the
 * same cluster (system identifier).
 */
async function verify(
  ctx: AgentContext,
  spec: AgentProductionSpec,
  control: ProductionControl,
  work: WorkFolder,
  outcome: Awaited<ReturnType<typeof waitForPromotion>>,
  exact: {
    point: DrillRecoveryPoint | null;
    measured: ReadonlyMap<string, ManifestDatabase | Error>;
    exactLsn: string | null;
  },
): Promise<AgentProductionCheck[]> {
  const { config } = ctx;
  const scratch = { ...config, pg: { ...config.pg, socketDirectory: work.socket } };
  const facts = await restoredClusterFacts(scratch, work);
  const checks: AgentProductionCheck[] = recoveryChecks(
    facts,
    config.pg.port,
    outcome,
    spec.check.kind === 'point' ? { ...spec.check, exactLsn: exact.exactLsn } : spec.check,
  );
  checks.push({
    name: 'system-identifier',
    ok: facts.systemIdentifier !== null && facts.systemIdentifier === control.systemIdentifier,
    detail: `before ${control.systemIdentifier ?? 'unknown'}, after ${facts.systemIdentifier ?? 'unknown'}`,
  });
  if (exact.point) {
    const match = await manifestMatchCheck(scratch, exact.point, undefined, exact.measured);
    checks.push({ name: 'manifest-match', ok: match.check.passed, detail: match.check.detail });
  }
  // Erased subjects go before PostgreSQL opens to its clients: replayed on the private start.
  // Not applied (a failed replay, rows left): the check fails and the restore stops here.
  // Refused objects (unsigned, planted) deleted nothing and are named, but do not stop it.
  const bucket = openBucket(config.s3);
  try {
    const gdpr = await replayLedgerCheck(scratch, loadLedger(bucket, config));
    checks.push({
      name: 'gdpr-ledger',
      ok: gdpr.applied,
      detail: gdpr.check.detail.slice(0, 4000),
    });
  } finally {
    bucket.close();
  }
  return checks;
}

// pgBackRest leaves its recovery settings in postgresql.auto.conf. After promotion they do
// nothing, but a standby later made from this directory would stop at the old target and stay
// on the old timeline; restore_command (pgBackRest's own) is kept.
const RECOVERY_SETTINGS = [
  'recovery_target',
  'recovery_target_time',
  'recovery_target_xid',
  'recovery_target_name',
  'recovery_target_lsn',
  'recovery_target_inclusive',
  'recovery_target_action',
  'recovery_target_timeline',
];

/** Removes the restore's recovery target settings (ALTER SYSTEM, one statement each). */
async function resetRecoveryTargets(ctx: AgentContext, work: WorkFolder): Promise<void> {
  const scratch = { ...ctx.config, pg: { ...ctx.config.pg, socketDirectory: work.socket } };
  for (const name of RECOVERY_SETTINGS) {
    await psqlQuery(scratch, `ALTER SYSTEM RESET ${name}`, 'remove the recovery target settings');
  }
}

/**
 * 'archiving': capture goes on. The archiver marks a file `.done` only after archive_command
 * (pgBackRest archive-push) put it in the repository, and the first file of the new timeline is
 * its history file, written at promotion. Waits up to `timeoutMs` (async archiving pushes
 * within seconds; archive-timeout is 30 s).
 */
async function archivingCheck(
  dataDirectory: string,
  timeline: number | null,
  timeoutMs = 60_000,
): Promise<AgentProductionCheck> {
  if (timeline === null)
    return { name: 'archiving', ok: false, detail: 'no new timeline was started' };
  const history = `${timeline.toString(16).toUpperCase().padStart(8, '0')}.history`;
  const done = path.join(dataDirectory, 'pg_wal', 'archive_status', `${history}.done`);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (fs.existsSync(done)) {
      return {
        name: 'archiving',
        ok: true,
        detail: `timeline ${timeline}: ${history} was archived to the repository; capture continues`,
      };
    }
    if (Date.now() > deadline) {
      return {
        name: 'archiving',
        ok: false,
        detail: `timeline ${timeline}: ${history} was not archived within ${Math.round(timeoutMs / 1000)} s; see pg_stat_archiver`,
      };
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}
