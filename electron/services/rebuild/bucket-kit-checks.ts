import { bucketLayout } from '../../../shared/agent/bucket-layout';
import type { KitValues } from '../../../shared/contract';
import { keyFingerprint } from '../../../shared/report/keys';
import { sha256 } from '../../../node/report/node-crypto';
import { AppError } from '../app-error';
import type { BucketReader } from '../catalog/bucket-lister';
import { syncManifests } from '../catalog/manifest-sync';
import { opensPgbackrestInfo, opensResticKey } from './repository-keys';

/** What the bucket showed about a kit that passed every check. */
export interface KitInBucket {
  /** The agent's public key line from the bucket, whose fingerprint is the kit's. */
  agentPublicKey: string;
  manifests: number;
}

type Reason = NonNullable<AppError<'KIT_REFUSED'>['reason']>;

const refuse = (reason: Reason, message: string, details?: unknown): never => {
  throw new AppError('KIT_REFUSED', message, details, reason);
};

/** Restic key files tried at most: a repository has one per password, rarely more than a few. */
const MAX_RESTIC_KEYS = 20;

/**
 * Checks a kit against the bucket, reading only: the agent key stored beside the backups must
 * have the fingerprint printed in the kit (the kit pins it; the bucket alone could be written
 * by anyone holding its keys), every recovery-point manifest must verify against that key,
 * and both passphrases must open their repositories. The first failure refuses the import
 * with a sentence naming the value and what to do.
 */
export async function checkKitAgainstBucket(
  bucket: BucketReader,
  kit: KitValues,
): Promise<KitInBucket> {
  const id = kit.serverId;
  const agentPublicKey = await agentKey(bucket, kit);
  const pgbackrest = bucketLayout.pgbackrestPrefix(id);
  const info =
    (await bucket.get(`${pgbackrest}archive/${kit.stanza}/archive.info`)) ??
    (await bucket.get(`${pgbackrest}archive/${kit.stanza}/archive.info.copy`));
  if (!info) {
    refuse(
      { key: 'noRepository', params: { stanza: kit.stanza } },
      `The bucket has no pgBackRest repository of stanza "${kit.stanza}" under ${pgbackrest}: ` +
        "this is not the kit of a server backed up to this bucket. Take that server's kit.",
    );
  } else if (!opensPgbackrestInfo(info, kit.cipherPass)) {
    refuse(
      { key: 'cipherPass' },
      'The pgBackRest passphrase (repo1-cipher-pass) does not open the backups in this bucket: ' +
        'a typing error, or the kit of another server or an older install. Correct it from the ' +
        'printed kit and import again.',
      { value: 'cipherPass' },
    );
  }
  const keys = (await bucket.list(`${bucketLayout.resticPath(id)}/keys/`)).slice(
    0,
    MAX_RESTIC_KEYS,
  );
  // No key files: the server had no attached files, so there is no restic repository to open.
  if (keys.length > 0) {
    let opened = false;
    for (const key of keys) {
      const bytes = await bucket.get(key.key);
      if (bytes && (await opensResticKey(bytes, kit.resticPassword))) {
        opened = true;
        break;
      }
    }
    if (!opened) {
      refuse(
        { key: 'resticPassword' },
        'The restic password does not open the attached files in this bucket: a typing error, ' +
          'or the kit of another server. Correct it from the printed kit and import again.',
        { value: 'resticPassword' },
      );
    }
  }
  // The key the kit pins, and those of the server's earlier agents the kit carries: each earlier
  // one only for what it signed before it was retired.
  const manifests = await syncManifests(
    bucket,
    id,
    { current: agentPublicKey, retired: kit.earlierAgentKeys ?? [] },
    {},
    true,
  );
  const bad = Object.values(manifests).filter((m) => m.signature !== 'valid' || !m.manifest);
  if (bad.length > 0) {
    const labels = bad
      .slice(0, 5)
      .map((m) => `${m.label} (${m.manifest ? m.signature : 'unreadable'})`)
      .join(', ');
    refuse(
      { key: 'manifestsUnverified', params: { count: bad.length, labels } },
      `${bad.length} recovery-point manifest(s) in the bucket do not verify against the agent ` +
        `key the kit pins: ${labels}. Someone with write access to the ` +
        'bucket may have changed them, or they were signed by an earlier agent of the server ' +
        "whose key is missing: import the kit's text copy, which carries the earlier agents' " +
        'keys. Nothing was imported; keep the bucket as it is and compare it with your ' +
        'versioned copies before restoring from it.',
      { labels: bad.map((m) => m.label) },
    );
  }
  return { agentPublicKey, manifests: Object.keys(manifests).length };
}

async function agentKey(bucket: BucketReader, kit: KitValues): Promise<string> {
  const key = bucketLayout.agentPublicKey(kit.serverId);
  const bytes = await bucket.get(key);
  if (!bytes) {
    return refuse(
      { key: 'noAgentKey', params: { serverId: kit.serverId } },
      `The bucket holds no agent key of server ${kit.serverId} (${key}): no recovery point ` +
        "of this server was ever stored here. Check the bucket name, or take that server's kit.",
    );
  }
  const line = bytes.toString('utf8').trim().split('\n')[0] ?? '';
  let fingerprint: string | null = null;
  try {
    fingerprint = keyFingerprint(line, sha256);
  } catch {
    fingerprint = null;
  }
  if (fingerprint !== kit.agentKeyFingerprint) {
    refuse(
      {
        key: 'agentKeyDiffers',
        params: { bucket: fingerprint ?? '?', kit: kit.agentKeyFingerprint },
      },
      `The agent key in the bucket (${fingerprint ?? 'unreadable'}) is not the one the kit pins ` +
        `(${kit.agentKeyFingerprint}): nothing signed with it can be trusted. Nothing was ` +
        'imported; check that this is the kit of this server, and who could write to the bucket.',
      { bucketKeyFingerprint: fingerprint },
    );
  }
  return line;
}
