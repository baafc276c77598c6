import crypto from 'node:crypto';
import type { ResolvedRecovery } from '../../../shared/catalog/model';
import type { RestoreCheck, RestoreRequest, ScratchEnvironment } from '../../../shared/contract';
import type { JobContext } from '../../jobs/runner';
import { AppError } from '../app-error';
import { restoreAttachedFiles } from './attached-files';
import { clusterChecks } from './cluster-checks';
import { manifestCheck, type TrustedManifest } from './manifest-check';
import { lsnToBytes } from '../../../shared/restore/recovery-log';
import type { RestoreSite } from './restore-site';
import {
  createScratchDirs,
  folderSizes,
  listeningPorts,
  pickPort,
  startScratch,
} from './scratch-cluster';
import { dismantle } from './scratch-cleanup';
import { configureScratch } from './scratch-configure';
import { downloadBackup } from './scratch-download';
import { assertApartFromProduction, scratchPaths, type ScratchPaths } from './scratch-paths';
import { waitForPromotion } from './scratch-recovery';
import type { ScratchRecord, ScratchRepo } from './scratch-repo';

const WAL_SEGMENT_BYTES = 16 * 1024 * 1024;
const PLAN_STEPS = 3;

/** What the restore job needs; the service assembles it. */
export interface RestoreJobInput {
  job: JobContext;
  request: RestoreRequest;
  /** Hours until the environment is removed; 0 keeps it until dropped. */
  keepHours: number;
  /** The catalog's resolution of the target (resolved while the job connects to the host). */
  resolve(): Promise<ResolvedRecovery>;
  hostServerId: string;
  repo: ScratchRepo;
  /** Connects to the host and describes it for environment `id`; the job closes it with `closeSite`. */
  openSite(id: string, signal?: AbortSignal): Promise<RestoreSite>;
  closeSite(site: RestoreSite): void;
  /** A recovery point's manifest from the bucket, checked against the catalog; null if none. */
  loadManifest(label: string): Promise<TrustedManifest | null>;
  /** Called as soon as the environment has an id (the service keeps the sweep off it). */
  onCreated?(id: string): void;
}

/**
 * The restore job: plan (port, folders) → download (pgbackrest restore) → replay (start,
 * recover, promote) → verify (cluster checks, manifest) → files (restic). A failed check keeps
 * the environment for inspection (state 'failed') and fails the job with RESTORE_FAILED naming
 * the check; a cancel or any other failure removes everything the job created.
 */
export async function runRestoreJob(input: RestoreJobInput): Promise<ScratchEnvironment> {
  const { job, repo } = input;
  const signal = job.signal;
  job.progress('plan', 0, PLAN_STEPS);
  const id = crypto.randomUUID();
  // Reading the catalog and connecting to the host do not depend on each other.
  const [resolution, opened] = await Promise.allSettled([
    input.resolve(),
    input.openSite(id, signal),
  ]);
  if (resolution.status === 'rejected') {
    if (opened.status === 'fulfilled') input.closeSite(opened.value);
    throw resolution.reason;
  }
  if (opened.status === 'rejected') throw opened.reason;
  const resolved = resolution.value;
  let site = opened.value;
  let record: ScratchRecord | null = null;
  let keep = false;
  let files: Promise<RestoreCheck> | null = null;
  const filesAbort = new AbortController();
  const stopFiles = () => filesAbort.abort(new AppError('CANCELLED', 'Cancelled.'));
  signal.addEventListener('abort', stopFiles, { once: true });
  try {
    const paths = scratchPaths(site.scratchRoot, id);
    const busy = await listeningPorts(site.shell, signal);
    for (const port of repo.portsOn(input.hostServerId)) busy.add(port);
    for (const cluster of site.production) busy.add(cluster.port);
    const port = pickPort(busy);
    assertApartFromProduction(paths, port, site.production);
    job.progress('plan', 1, PLAN_STEPS);

    const createdAt = new Date();
    record = {
      state: 'creating',
      host: { osUser: site.osUser, binDirectory: site.binDirectory, root: paths.root },
      env: {
        id,
        sourceServerId: input.request.serverId,
        hostServerId: input.hostServerId,
        createdAt: createdAt.toISOString(),
        expiresAt: input.keepHours
          ? new Date(createdAt.getTime() + input.keepHours * 3_600_000).toISOString()
          : null,
        target: input.request.target,
        targetTime: resolved.targetTime,
        baseBackup: resolved.backup.label,
        dataDirectory: paths.data,
        filesDirectory: resolved.attachedFiles ? paths.files : null,
        port,
        host: '127.0.0.1',
        sizeBytes: null,
        state: 'running',
        checks: [],
      },
    };
    // Recorded before anything exists on the host: an app that dies mid-restore leaves a row
    // the sweep at the next start cleans up.
    repo.save(record);
    input.onCreated?.(id);
    await createScratchDirs(site, paths, signal);
    await site.provision?.(signal);
    job.progress('plan', PLAN_STEPS, PLAN_STEPS);

    const backupBytes = resolved.backup.sizeBytes ?? null;
    job.progress('download', 0, backupBytes);
    await downloadBackup(
      site,
      paths,
      {
        type: resolved.pgbackrestType,
        backupLabel: resolved.backup.label,
        targetTime: resolved.targetTime,
        timeline: resolved.timeline,
      },
      {
        signal,
        onBytes: (bytes) =>
          job.progress('download', backupBytes ? Math.min(bytes, backupBytes) : bytes, backupBytes),
      },
    );

    // The attached files do not depend on the database: restic restores them while WAL replays.
    if (resolved.attachedFiles)
      files = startFilesRestore(input, resolved, site, paths, filesAbort.signal);

    const replayTotal = Math.max(1, resolved.wal.segments) * WAL_SEGMENT_BYTES;
    const replayFrom = resolved.backup.lsnStart ? lsnToBytes(resolved.backup.lsnStart) : null;
    let replayed = 0;
    job.progress('replay', 0, replayTotal);
    await configureScratch(site, paths, port, id, signal);
    assertApartFromProduction(paths, port, site.production);
    await startScratch(site, paths, port, signal);
    const outcome = await waitForPromotion(site, paths, port, {
      signal,
      targetDescription: describeTarget(input.request, resolved),
      onReplay: (lsn) => {
        if (replayFrom === null) return;
        // The log's and SQL's positions can disagree by a record: progress only moves forward.
        replayed = Math.max(replayed, Math.min(replayTotal, lsnToBytes(lsn) - replayFrom));
        job.progress('replay', replayed, replayTotal);
      },
    });
    job.progress('replay', replayTotal, replayTotal);

    const target = input.request.target;
    const verifySteps = target.kind === 'point' ? 2 : 1;
    job.progress('verify', 0, verifySteps);
    // The folder's size is wanted for the list; measuring it costs no extra wait beside the checks.
    const [checks, sizes] = await Promise.all([
      clusterChecks(site, paths, port, outcome, target, resolved.targetTime, signal),
      folderSizes(site.shell, [paths.root], signal),
    ]);
    job.progress('verify', 1, verifySteps);
    if (target.kind === 'point') {
      checks.push(
        await manifestCheck(site, paths, port, await input.loadManifest(target.label), signal),
      );
      job.progress('verify', 2, verifySteps);
    }

    if (files) {
      job.progress('files', 0, 1);
      // restic failing leaves a restored database worth inspecting: a failed check, not a teardown.
      checks.push(
        await files.catch((err: unknown) => {
          if (err instanceof AppError && err.code === 'CANCELLED') throw err;
          const detail = err instanceof Error ? err.message : String(err);
          return { name: 'files' as const, ok: false, detail };
        }),
      );
      job.progress('files', 1, 1);
    }

    // The repository keys a host was given are not left beside a scratch cluster.
    await site.unprovision?.(signal);

    const failed = checks.filter((c) => !c.ok);
    const size = sizes.get(paths.root) ?? null;
    record = {
      ...record,
      state: failed.length ? 'failed' : 'running',
      env: { ...record.env, checks, sizeBytes: size, state: failed.length ? 'failed' : 'running' },
    };
    repo.save(record);
    if (failed.length) {
      keep = true;
      throw new AppError(
        'RESTORE_FAILED',
        `Verification failed: ${failed.map((c) => `${c.name} (${c.detail})`).join('; ')}. ` +
          `The scratch environment ${id} is kept for inspection (port ${port}, ${paths.data}); drop it when done.`,
        { scratchId: id, failedChecks: failed.map((c) => c.name) },
      );
    }
    return record.env;
  } catch (err) {
    // restic may still run on the host: its channel closes here, the process is stopped by
    // the clean-up (found by its command line), and its outcome no longer matters.
    stopFiles();
    await files?.catch(() => undefined);
    if (record && !keep) site = await removeAfterFailure(input, site, record);
    throw err;
  } finally {
    signal.removeEventListener('abort', stopFiles);
    input.closeSite(site);
  }
}

/** Starts the restic restore of the attached files; settles to the 'files' check. */
function startFilesRestore(
  input: RestoreJobInput,
  resolved: ResolvedRecovery,
  site: RestoreSite,
  paths: ScratchPaths,
  signal: AbortSignal,
): Promise<RestoreCheck> {
  const source = resolved.attachedFiles;
  if (!source) throw new AppError('INTERNAL', 'no attached files to restore');
  const work = (async () => {
    const manifest = await input.loadManifest(source.label);
    const restic = manifest?.manifest.restic;
    return restoreAttachedFiles(
      site,
      paths,
      { ...source, expected: restic ? { fileCount: restic.fileCount, bytes: restic.bytes } : null },
      signal,
    );
  })();
  // Awaited later (or dropped after a failure): never an unhandled rejection meanwhile.
  work.catch(() => undefined);
  return work;
}

function describeTarget(request: RestoreRequest, resolved: ResolvedRecovery): string {
  const t = request.target;
  if (t.kind === 'time') return t.time;
  if (t.kind === 'point') return `the end of backup ${t.label}`;
  return `the newest WAL (${resolved.targetTime ?? 'unknown'})`;
}

/**
 * Removes a half-made environment. Runs without the job's signal (a cancel is what brought it
 * here) and over a fresh connection when the old one broke. When removal fails the row stays,
 * as 'failed', so the admin sees it and can drop it later.
 */
async function removeAfterFailure(
  input: RestoreJobInput,
  site: RestoreSite,
  record: ScratchRecord,
): Promise<RestoreSite> {
  let current = site;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await dismantle(current.shell, record.host);
      input.repo.delete(record.env.id);
      return current;
    } catch {
      if (attempt === 0) {
        input.closeSite(current);
        try {
          current = await input.openSite(record.env.id);
        } catch {
          break;
        }
      }
    }
  }
  input.repo.save({ ...record, state: 'failed', env: { ...record.env, state: 'failed' } });
  return current;
}
