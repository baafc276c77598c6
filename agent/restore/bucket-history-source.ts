import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import {
  bucketAsOf,
  findDamage,
  safeRelativePath,
  type DamageReport,
  type ObjectVersion,
} from '../../shared/agent/bucket-history';
import { bucketLayout } from '../../shared/agent/bucket-layout';
import type { AgentConfig } from '../../shared/agent/config';
import type { RestoreProgress } from '../../shared/agent/restore';
import { copyVersions, listObjectVersions } from '../../node/storage/version-history';
import { clusterOwner } from '../drill/cluster-user';
import { parseIni } from '../engines/pgbackrest-conf';
import { s3Client, type Bucket } from '../engines/s3';
import { AgentError, errorMessage } from '../runtime/errors';
import { readNoFollow, writeExclusive } from '../runtime/no-follow';
import { restoreScratchRoot } from './restore-paths';

// Restoring from the bucket as it was at a moment T (issue 20, fault 8): after ransomware with
// the agent's key the current objects are delete markers or overwrites, while versioning (and
// Object Lock) kept the versions from before. pgBackRest 2.45 cannot read a repository as of a
// time and restic reads only current objects, so the versions current at T are copied into a
// local folder, checked against the listing, and the normal restore engine runs against that
// copy: a pgBackRest posix repository with the same cipher settings, a local restic
// repository, the manifests read from the copy. Only read rights are used (ListBucketVersions,
// GetObjectVersion), with a read-only key from a file when one is given.

/** A read-only key in a file of the agent's own (JSON), so it is never on a command line. */
const KeyFile = z
  .object({ accessKeyId: z.string().min(1), secretAccessKey: z.string().min(1) })
  .strict();

/** Reads the key file: a regular file of the agent's user, not a symlink. */
export function readKeyFile(file: string): z.infer<typeof KeyFile> {
  const text = readNoFollow(file, [process.getuid?.() ?? 0], 'read-only key');
  if (text === null) throw new AgentError('history', `the key file ${file} does not exist`);
  const parsed = KeyFile.safeParse(safeJson(text));
  if (!parsed.success)
    throw new AgentError(
      'history',
      `the key file ${file} is not {"accessKeyId": …, "secretAccessKey": …}`,
    );
  return parsed.data;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** Objects a restore never reads: left out of the copy. */
function needed(key: string, prefix: string): boolean {
  const rest = key.slice(prefix.length);
  return !/^(?:\.probe|drills|gdpr)\//.test(rest) && rest !== 'heartbeat.json';
}

/** What the history shows, before anything is copied (`kumiko-agent bucket-history`). */
export interface HistoryLook {
  versions: ObjectVersion[];
  damage: DamageReport;
  /** Entries without a version id: written while versioning was off. */
  unversioned: number;
}

/** Lists every version under the server's prefix with `key` (the config's own when absent). */
export async function lookAtHistory(
  config: AgentConfig,
  key: z.infer<typeof KeyFile> | null,
  signal?: AbortSignal,
): Promise<HistoryLook> {
  const { client, httpsAgent } = s3Client({ ...config.s3, ...(key ?? {}) });
  try {
    const versions = await listObjectVersions(client, config.s3.bucket, config.s3.prefix, signal);
    return {
      versions,
      damage: findDamage(versions),
      unversioned: versions.filter((v) => v.versionId === 'null').length,
    };
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new AgentError(
      'history',
      `the bucket's version history could not be listed (${errorMessage(error)}): the key needs s3:ListBucketVersions and s3:GetObjectVersion on the bucket`,
    );
  } finally {
    client.destroy();
    httpsAgent.destroy();
  }
}

/** The local copy, the config that reads it, and a bucket over it. */
export interface HistorySource {
  config: AgentConfig;
  openBucket: () => Bucket;
  /** What was copied, for the restore's result. */
  detail: string;
  remove(): void;
}

/**
 * Copies the bucket as it was at `at` into `<scratch root>/<id>.history` and returns a config
 * whose pgBackRest and restic repositories are that copy.
 * @throws AgentError with a sentence when the history cannot give back that moment: versions
 *   missing (versioning was off), no repository at that moment, or the moment lies after the
 *   first damage.
 */
export async function prepareHistorySource(
  config: AgentConfig,
  id: string,
  at: Date,
  keyFile: string | undefined,
  progress: (p: RestoreProgress) => void,
  signal?: AbortSignal,
): Promise<HistorySource> {
  const key = keyFile ? readKeyFile(keyFile) : null;
  progress({ phase: 'plan', message: 'reading the bucket’s version history', done: 0, total: 1 });
  const look = await lookAtHistory(config, key, signal);
  if (look.unversioned > 0) {
    throw new AgentError(
      'history',
      `${look.unversioned === 1 ? 'One object' : `${look.unversioned} objects`} of this server in the bucket ${look.unversioned === 1 ? 'has' : 'have'} no version history (written while versioning was off), so what was overwritten or deleted is gone for good and the bucket cannot be read as it was at ${at.toISOString()}. Restore from another copy of the backups, and enable versioning with Object Lock on the bucket.`,
    );
  }
  const { damage } = look;
  if (damage.firstDamageAt && at.getTime() >= damage.firstDamageAt.getTime()) {
    throw new AgentError(
      'history',
      `${at.toISOString()} is after the first overwrite or delete of a backup object (${damage.firstDamageAt.toISOString()}, ${damage.firstKey}): restore the bucket as of ${damage.intactUntil?.toISOString()}, the newest moment whose objects are all intact.`,
    );
  }
  const prefix = config.s3.prefix;
  const asOf = bucketAsOf(look.versions, at);
  const objects = asOf.objects.filter((v) => needed(v.key, prefix));
  const original = parseIni(fs.readFileSync(config.pgbackrest.configPath, 'utf8'));
  const repoPath =
    original.get(config.stanza)?.get('repo1-path') ?? original.get('global')?.get('repo1-path');
  if (!repoPath) throw new AgentError('history', 'the pgBackRest config names no repo1-path');
  const repoKey = repoPath.replace(/^\/+/, '');
  const backupInfo = `${repoKey}/backup/${config.stanza}/backup.info`;
  if (!objects.some((v) => v.key === backupInfo)) {
    throw new AgentError(
      'history',
      `the bucket holds no version of this server's pgBackRest repository from ${at.toISOString()} (no ${backupInfo} then): if versioning was off or old versions were deleted, the backups are gone for good and must come from another copy; otherwise pick a later moment before the damage (kumiko-agent bucket-history names it).`,
    );
  }
  progress({ phase: 'plan', message: 'reading the bucket’s version history', done: 1, total: 1 });

  const scratchRoot = restoreScratchRoot(config);
  fs.mkdirSync(scratchRoot, { recursive: true, mode: 0o711 });
  const dir = path.join(scratchRoot, `${id}.history`);
  // The agent's folder; the cluster's OS user (pgBackRest runs as it) may read, never write.
  const group = clusterOwner(config).gid;
  fs.mkdirSync(dir, { mode: 0o750 });
  const remove = (): void => fs.rmSync(dir, { recursive: true, force: true });
  try {
    fs.chownSync(dir, process.getuid?.() ?? 0, group);
    const copyRoot = path.join(dir, 'bucket');
    fs.mkdirSync(copyRoot, { mode: 0o750 });
    fs.chownSync(copyRoot, process.getuid?.() ?? 0, group);
    const total = objects.reduce((sum, v) => sum + v.size, 0);
    const message = `copying the bucket as of ${at.toISOString()}`;
    progress({ phase: 'download', message, done: 0, total });
    const { client, httpsAgent } = s3Client({ ...config.s3, ...(key ?? {}) });
    let copied;
    try {
      copied = await copyVersions(client, config.s3.bucket, prefix, objects, copyRoot, {
        signal,
        fileMode: 0o640,
        dirMode: 0o750,
        gid: group,
        onBytes: (done) => progress({ phase: 'download', message, done, total }),
      });
    } catch (error) {
      if (signal?.aborted) throw error;
      throw new AgentError(
        'history',
        `the copy of the bucket as of ${at.toISOString()} failed: ${errorMessage(error)}`,
      );
    } finally {
      client.destroy();
      httpsAgent.destroy();
    }
    const configPath = path.join(dir, 'pgbackrest.conf');
    writeExclusive(configPath, posixRepoConfig(original, path.join(copyRoot, repoKey)), 0o640, {
      uid: process.getuid?.() ?? 0,
      gid: group,
    });
    const derived: AgentConfig = {
      ...config,
      pgbackrest: { ...config.pgbackrest, configPath },
      restic: {
        ...config.restic,
        repository: path.join(copyRoot, bucketLayout.resticPath(config.serverId)),
      },
    };
    const damageText = damage.firstDamageAt
      ? `; the first overwrite or delete of a backup object came at ${damage.firstDamageAt.toISOString()} (${damage.deleted} deleted, ${damage.overwritten} overwritten since)`
      : '';
    return {
      config: derived,
      openBucket: () => folderBucket(copyRoot, prefix),
      detail: `${copied.files} objects (${copied.bytes} bytes) as they were at ${at.toISOString()}, read by version and each checked against the bucket's listing${damageText}`,
      remove,
    };
  } catch (error) {
    remove();
    throw error;
  }
}

/**
 * The installer's pgBackRest config with the repository swapped for the local copy: every
 * S3 and storage option goes, the cipher and everything else stays.
 */
export function posixRepoConfig(
  original: Map<string, Map<string, string>>,
  repoDir: string,
): string {
  const sections: string[] = [];
  for (const [name, options] of original) {
    const lines = [`[${name}]`];
    for (const [option, value] of options) {
      if (/^repo1-(?:s3-|storage-|type$|path$|azure-|gcs-|sftp-)/.test(option)) continue;
      lines.push(`${option}=${value}`);
    }
    if (name === 'global') lines.push('repo1-type=posix', `repo1-path=${repoDir}`);
    sections.push(lines.join('\n'));
  }
  if (!original.has('global'))
    sections.unshift(`[global]\nrepo1-type=posix\nrepo1-path=${repoDir}`);
  return `${sections.join('\n\n')}\n`;
}

/** The copy as the restore engine's bucket: reads only (manifests and their signatures). */
export function folderBucket(root: string, prefix: string): Bucket {
  const fileOf = (key: string): string | null => {
    const relative = safeRelativePath(key, prefix);
    return relative === null ? null : path.join(root, relative);
  };
  const refuse = (): Promise<never> =>
    Promise.reject(new AgentError('history', 'the copy of the bucket is read-only'));
  return {
    put: refuse,
    delete: refuse,
    async get(key) {
      const file = fileOf(key);
      if (!file) return null;
      try {
        return fs.readFileSync(file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
    },
    async list(listPrefix, startAfter, limit) {
      const keys: string[] = [];
      const walk = (dir: string, keyPrefix: string): void => {
        let entries: fs.Dirent[];
        try {
          entries = fs.readdirSync(dir, { withFileTypes: true });
        } catch {
          return;
        }
        for (const entry of entries) {
          const key = `${keyPrefix}${entry.name}`;
          if (entry.isDirectory()) walk(path.join(dir, entry.name), `${key}/`);
          else if (entry.isFile()) keys.push(key);
        }
      };
      walk(root, '');
      const found = keys
        .filter((k) => k.startsWith(listPrefix) && (!startAfter || k > startAfter))
        .sort();
      return limit ? found.slice(0, limit) : found;
    },
    close() {},
  };
}
