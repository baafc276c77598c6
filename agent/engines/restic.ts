import type { AgentConfig } from '../../shared/agent/config';
import { AgentError } from '../runtime/errors';
import { runTool, toolFailed, type ToolResult } from '../runtime/exec';
import { openBucket } from './s3';

/** What one `restic backup` stored. */
export interface ResticBackupResult {
  snapshotId: string;
  fileCount: number;
  bytes: number;
}

/** Tag that names the pgBackRest label a restic snapshot belongs to. */
export function labelTag(label: string): string {
  return `label:${label}`;
}

/**
 * Environment for restic: repository and password file from the config, S3 keys as the AWS
 * variables restic reads. Passed through the environment, never on the command line (where
 * `ps` would show them).
 */
function resticEnv(config: AgentConfig): Record<string, string> {
  return {
    RESTIC_REPOSITORY: config.restic.repository,
    RESTIC_PASSWORD_FILE: config.restic.passwordFile,
    AWS_ACCESS_KEY_ID: config.s3.accessKeyId,
    AWS_SECRET_ACCESS_KEY: config.s3.secretAccessKey,
    AWS_DEFAULT_REGION: config.s3.region,
  };
}

/**
 * Options every restic call gets: the private CA (verification stays on) and our cache; with a
 * read-only key (a restore on another host) --no-lock, since the lock is an object restic would
 * have to write, and a restore only reads.
 */
function commonArgs(config: AgentConfig, cacheDir: string): string[] {
  return [
    ...(config.s3.caFile ? ['--cacert', config.s3.caFile] : []),
    '--cache-dir',
    cacheDir,
    ...(config.s3.readOnly ? ['--no-lock'] : []),
  ];
}

/**
 * Runs restic as root: it must read every attached file, whoever owns it (and a restore must
 * give the files back their owners). Stopped with SIGINT, the one signal on which restic
 * removes its repository lock before it exits.
 */
function restic(
  config: AgentConfig,
  cacheDir: string,
  args: string[],
  step: string,
  signal?: AbortSignal,
  check = true,
  lowPriority = false,
) {
  return runTool('restic', [...commonArgs(config, cacheDir), ...args], {
    env: resticEnv(config),
    step,
    signal,
    check,
    lowPriority,
    timeoutMs: 6 * 60 * 60_000,
    stopSignal: 'SIGINT',
  });
}

/**
 * `restic unlock`: removes stale locks only, those whose restic is gone (made on this host by a
 * process that no longer exists, or not refreshed for 30 minutes; a running restic refreshes
 * its lock every 5). A restic killed outright (SIGKILL, the OOM killer, a reboot) leaves its
 * lock in the repository, and restic 0.14 refuses every exclusive operation (check, forget
 * --prune) while any lock is there, stale or not, and every backup while an exclusive one is.
 * Run before those; never throws: when the repository cannot be reached, the operation that
 * follows says so.
 */
export function resticUnlockStale(
  config: AgentConfig,
  cacheDir: string,
  signal?: AbortSignal,
): Promise<ToolResult> {
  // A read-only key takes no locks and may remove none.
  if (config.s3.readOnly) {
    return Promise.resolve({ code: 0, signal: null, stdout: '', stderr: '' });
  }
  return restic(config, cacheDir, ['unlock'], 'restic unlock', signal, false);
}

/** What restic 0.14 says when an exclusive lock (a killed check or prune's) blocks a backup. */
const LOCKED = /repository is already locked exclusively|unable to create lock/;

/**
 * `restic backup <paths> --tag kumiko --tag label:<label> --json`; reads snapshot id, file
 * count and bytes from the summary line.
 * @throws AgentError when restic fails or prints no summary.
 */
export async function resticBackup(
  config: AgentConfig,
  cacheDir: string,
  label: string,
  signal?: AbortSignal,
  force = false,
): Promise<ResticBackupResult> {
  const args = [
    'backup',
    ...config.restic.paths,
    '--tag',
    'kumiko',
    '--tag',
    labelTag(label),
    '--host',
    config.serverId,
    '--json',
    // Healing: read every file again instead of taking unchanged ones from the last snapshot
    // (whose blobs an index rebuild may have dropped; restic 0.14 would store those files
    // again too, but report each as an error and exit 3).
    ...(force ? ['--force'] : []),
  ];
  // A killed check or prune leaves an exclusive lock, which blocks every backup after it. The
  // stale locks are removed only when restic names one: every restic process first derives
  // the repository key (scrypt, ~0.5 s of CPU), and an unlock before each backup made that
  // the daily point's largest cost after pgBackRest's own.
  let result = await restic(config, cacheDir, args, 'restic backup', signal, false);
  if (result.code !== 0 && LOCKED.test(result.stderr)) {
    await resticUnlockStale(config, cacheDir, signal);
    result = await restic(config, cacheDir, args, 'restic backup', signal, false);
  }
  if (result.code !== 0) throw toolFailed('restic backup', 'restic', result);
  for (const line of result.stdout.split('\n').reverse()) {
    if (!line.startsWith('{')) continue;
    let message: Record<string, unknown>;
    try {
      message = JSON.parse(line) as Record<string, unknown>;
    } catch {
      continue;
    }
    if (message.message_type !== 'summary') continue;
    if (typeof message.snapshot_id !== 'string') break;
    return {
      snapshotId: await fullSnapshotId(config, cacheDir, label, message.snapshot_id, signal),
      fileCount: Number(message.total_files_processed ?? 0),
      bytes: Number(message.total_bytes_processed ?? 0),
    };
  }
  throw new AgentError('restic backup', 'restic printed no summary with a snapshot id');
}

/**
 * restic 0.14 prints the short id in its summary; the manifest names the full one, which stays
 * unambiguous however many snapshots the repository collects. A snapshot's object in the
 * bucket is named by its full id, so one listing finds it (tens of milliseconds); `restic
 * snapshots` (another key derivation) only where the repository is not in the configured
 * bucket.
 */
async function fullSnapshotId(
  config: AgentConfig,
  cacheDir: string,
  label: string,
  shortId: string,
  signal?: AbortSignal,
): Promise<string> {
  const prefix = snapshotsPrefix(config);
  if (prefix && /^[0-9a-f]{8,64}$/.test(shortId)) {
    const bucket = openBucket(config.s3);
    try {
      const keys = await bucket.list(`${prefix}${shortId}`);
      const ids = keys.map((k) => k.slice(prefix.length)).filter((id) => /^[0-9a-f]{64}$/.test(id));
      if (ids.length === 1) return ids[0] as string;
    } catch {
      // The listing failed: ask restic below, which reports its own failure.
    } finally {
      bucket.close();
    }
  }
  const ids = await resticSnapshotIds(config, cacheDir, [labelTag(label)], signal);
  return ids.find((id) => id.startsWith(shortId)) ?? shortId;
}

/**
 * Key prefix of the restic repository's snapshot objects in the configured bucket, from
 * `s3:https://host[:port]/<bucket>/<path>`; null for any other repository.
 */
export function snapshotsPrefix(config: AgentConfig): string | null {
  const match = /^s3:https?:\/\/[^/]+\/([^/]+)\/(.+?)\/*$/.exec(config.restic.repository);
  if (!match || match[1] !== config.s3.bucket) return null;
  return `${match[2]}/snapshots/`;
}

/** Ids of the snapshots tagged with any of `tags` (restic `--tag a --tag b` means OR). */
export async function resticSnapshotIds(
  config: AgentConfig,
  cacheDir: string,
  tags: string[],
  signal?: AbortSignal,
): Promise<string[]> {
  if (tags.length === 0) return [];
  const result = await restic(
    config,
    cacheDir,
    ['snapshots', '--json', ...tags.flatMap((t) => ['--tag', t])],
    'restic snapshots',
    signal,
  );
  const list = JSON.parse(result.stdout || '[]') as Array<{ id?: unknown }>;
  return list.map((s) => s.id).filter((id): id is string => typeof id === 'string');
}

/** `restic forget <ids> --prune`. */
export async function resticForget(
  config: AgentConfig,
  cacheDir: string,
  ids: string[],
  signal?: AbortSignal,
): Promise<void> {
  if (ids.length === 0) return;
  await resticUnlockStale(config, cacheDir, signal);
  await restic(config, cacheDir, ['forget', ...ids, '--prune'], 'restic forget', signal);
}

/**
 * `restic restore <id> --target <dir> --verify`: restic reads every restored file back and
 * compares it with the snapshot's content hashes. Never throws for restic's own exit code: the
 * caller turns it into a check with restic's output as evidence. `lowPriority`: see runTool.
 */
export function resticRestore(
  config: AgentConfig,
  cacheDir: string,
  snapshotId: string,
  target: string,
  signal?: AbortSignal,
  lowPriority = false,
): Promise<ToolResult> {
  return restic(
    config,
    cacheDir,
    ['restore', snapshotId, '--target', target, '--verify'],
    'restic restore',
    signal,
    false,
    lowPriority,
  );
}

/**
 * `restic check --read-data-subset=<percent>%`: the repository's structure, plus this share of
 * its data packs downloaded and hashed. Never throws for restic's own exit code.
 * `lowPriority`: see runTool.
 */
export function resticCheck(
  config: AgentConfig,
  cacheDir: string,
  percent: number,
  signal?: AbortSignal,
  lowPriority = false,
): Promise<ToolResult> {
  return restic(
    config,
    cacheDir,
    ['check', `--read-data-subset=${percent}%`],
    'restic check',
    signal,
    false,
    lowPriority,
  );
}

/**
 * `restic check --with-cache --no-lock`: the repository's structure without reading data: the
 * bucket's pack listing against the index (a pack the index lists but the bucket lacks is "does
 * not exist"), and every retained snapshot's trees (from the local cache) against the index.
 * Its cost grows with the number of packs and index entries, not with the bytes stored.
 * Without --with-cache restic 0.14 downloads every tree again into a fresh cache (and retries a
 * gone pack for minutes). Without --no-lock it takes an exclusive lock, which any restore of
 * attached files running beside the point would refuse; nothing can delete packs meanwhile,
 * since only retention prunes and the caller holds the agent's repository lock.
 * Never throws for restic's own exit code.
 */
export function resticStructureCheck(
  config: AgentConfig,
  cacheDir: string,
  signal?: AbortSignal,
): Promise<ToolResult> {
  return restic(
    config,
    cacheDir,
    ['--no-lock', 'check', '--with-cache'],
    'restic check',
    signal,
    false,
  );
}

/** `restic rebuild-index`: an index of what the bucket's packs hold (blobs of gone packs dropped). */
export async function resticRebuildIndex(
  config: AgentConfig,
  cacheDir: string,
  signal?: AbortSignal,
): Promise<void> {
  await resticUnlockStale(config, cacheDir, signal);
  await restic(config, cacheDir, ['rebuild-index'], 'restic rebuild-index', signal);
}

/**
 * Paths in one snapshot whose content is among `ids` (`restic find --blob|--pack <ids>
 * --snapshot <id> --json`): which of its files lose data with those blobs or packs. Packs match
 * only data blobs (restic 0.14 does not look for trees by pack).
 */
export async function resticFindInSnapshot(
  config: AgentConfig,
  cacheDir: string,
  kind: 'blob' | 'pack',
  ids: readonly string[],
  snapshotId: string,
  signal?: AbortSignal,
): Promise<string[]> {
  const result = await restic(
    config,
    cacheDir,
    ['find', `--${kind}`, ...ids, '--snapshot', snapshotId, '--json'],
    'restic find',
    signal,
  );
  const found = JSON.parse(result.stdout.trim() || '[]') as Array<{ path?: unknown }>;
  return [...new Set(found.map((f) => f.path).filter((p): p is string => typeof p === 'string'))];
}
