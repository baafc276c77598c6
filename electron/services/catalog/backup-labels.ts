import { isBackupLabel } from '../../../shared/catalog';
import type { BucketReader } from './bucket-lister';

/** Labels of the backups in pgBackRest's `backup/<stanza>/` folder (one delimiter listing). */
export async function listBackupLabels(
  lister: BucketReader,
  backupPrefix: string,
): Promise<string[]> {
  const { folders } = await lister.folders(backupPrefix);
  return folders.filter(isBackupLabel).sort();
}

/**
 * LastModified of a backup's `backup.manifest`: pgBackRest writes it when the backup is
 * complete, so it is the stop time of a backup whose recovery-point manifest is missing or
 * untrusted. Null when there is none yet (running or aborted backup).
 */
export async function repoManifestTime(
  lister: BucketReader,
  backupPrefix: string,
  label: string,
): Promise<number | null> {
  const key = `${backupPrefix}${label}/backup.manifest`;
  const objects = await lister.list(key, { limit: 2 });
  return objects.find((o) => o.key === key)?.time ?? null;
}
