import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { bucketLayout } from '../../../shared/agent/bucket-layout';
import type { DrillReportEntry, DrillSyncResult, RefusedReport } from '../../../shared/contract';
import { AppError, isAppError } from '../app-error';
import type { BucketReader } from '../catalog/bucket-lister';
import { groupBundles, missingFiles, type RemoteBundle } from './bundle-listing';

/** A bundle missing files this long after its last upload is broken, not still uploading. */
export const PENDING_GRACE_MS = 15 * 60_000;

/** What a sync reads from and writes to. */
export interface SyncTarget {
  serverId: string;
  bucket: BucketReader;
  /** Drill ids already in the app's archive. */
  archived: ReadonlySet<string>;
  /** Verifies (pinned key, chain) and archives a bundle folder; CONFLICT when it does not verify. */
  archive(bundleDir: string): Promise<DrillReportEntry>;
  signal?: AbortSignal;
  now?: () => number;
}

/**
 * Brings the app's archive up to date with the drills prefix of the bucket: every bundle not
 * archived yet, oldest first (the chain's order), downloaded to a private temp folder and
 * handed to the archive, which verifies it. A bundle that does not verify is refused and
 * reported, never archived; one the agent is still uploading is left for the next sync, and
 * so is everything after it, since a report can only be archived after its predecessor.
 */
export async function syncReports(target: SyncTarget): Promise<DrillSyncResult> {
  const prefix = bucketLayout.drillsPrefix(target.serverId);
  const bundles = groupBundles(prefix, await target.bucket.list(prefix)).filter(
    (b) => !target.archived.has(b.drillId),
  );
  const result: DrillSyncResult = { imported: 0, importedDrillIds: [], refused: [], pending: [] };
  if (bundles.length === 0) return result;
  const now = target.now ?? Date.now;
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'kumiko-drill-sync-'));
  try {
    for (const bundle of bundles) {
      throwIfAborted(target.signal);
      if (result.pending.length > 0) {
        result.pending.push(bundle.drillId);
        continue;
      }
      if (bundle.unsafe) {
        result.refused.push(refusal(bundle.drillId, 'REPORT_UNVERIFIED', bundle.unsafe));
        continue;
      }
      const dir = path.join(tmp, bundle.drillId);
      const files = await download(target.bucket, bundle, dir, target.signal);
      const missing = missingFiles(files);
      if (missing.length > 0) {
        if (now() - bundle.newest < PENDING_GRACE_MS) result.pending.push(bundle.drillId);
        else
          result.refused.push(
            refusal(
              bundle.drillId,
              'REPORT_UNVERIFIED',
              `incomplete: ${missing.join(', ')} missing`,
            ),
          );
        continue;
      }
      // Under this server's prefix only this server's reports: a bundle naming another server
      // would be verified against (and filed under) that server's key.
      const claimed = claimedServer(files);
      if (claimed !== target.serverId) {
        result.refused.push(
          refusal(
            bundle.drillId,
            'REPORT_UNVERIFIED',
            `report.json names server ${claimed ?? '(none)'}, not ${target.serverId}`,
          ),
        );
        continue;
      }
      const outcome = await archiveOne(target, dir, bundle.drillId);
      if (outcome === 'imported') {
        result.imported += 1;
        result.importedDrillIds.push(bundle.drillId);
      } else if (outcome !== 'already') result.refused.push(outcome);
    }
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }
  return result;
}

async function download(
  bucket: BucketReader,
  bundle: RemoteBundle,
  dir: string,
  signal?: AbortSignal,
): Promise<Map<string, Uint8Array>> {
  const files = new Map<string, Uint8Array>();
  for (const [relative, key] of bundle.files) {
    throwIfAborted(signal);
    const body = await bucket.get(key);
    if (!body) continue; // deleted since the listing: counts as missing
    const file = path.join(dir, ...relative.split('/'));
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, body);
    files.set(relative, body);
  }
  return files;
}

async function archiveOne(
  target: SyncTarget,
  dir: string,
  drillId: string,
): Promise<'imported' | 'already' | RefusedReport> {
  try {
    await target.archive(dir);
    return 'imported';
  } catch (err) {
    if (!isAppError(err)) throw err;
    // Another sync (the drill job's, the one on connect) archived it a moment ago.
    if (err.code === 'CONFLICT' && /already archived/.test(err.message)) return 'already';
    if (err.code !== 'CONFLICT' && err.code !== 'INVALID_INPUT') throw err;
    return refusal(drillId, 'REPORT_UNVERIFIED', err.message, problemsOf(err.details));
  }
}

function claimedServer(files: ReadonlyMap<string, Uint8Array>): string | null {
  try {
    const report = JSON.parse(Buffer.from(files.get('report.json') ?? []).toString('utf8')) as {
      drill?: { server?: { id?: unknown } };
    };
    const id = report.drill?.server?.id;
    return typeof id === 'string' ? id : null;
  } catch {
    return null;
  }
}

function refusal(
  drillId: string,
  code: string,
  message: string,
  problems: string[] = [],
): RefusedReport {
  return { drillId, code, message, problems };
}

function problemsOf(details: unknown): string[] {
  if (details && typeof details === 'object' && 'problems' in details) {
    const problems = (details as { problems: unknown }).problems;
    if (Array.isArray(problems)) return problems.map(String);
  }
  if (details && typeof details === 'object' && 'expectedPrevious' in details) {
    return ['does not continue the archived chain'];
  }
  return [];
}

function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new AppError('CANCELLED', 'Cancelled.');
}
