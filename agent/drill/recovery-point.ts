import crypto from 'node:crypto';
import fs from 'node:fs';
import { bucketLayout, SIGNATURE_NAMESPACES } from '../../shared/agent/bucket-layout';
import { parseManifestJson, type RecoveryPointManifest } from '../../shared/agent/manifest';
import { openSshPublicKeyLine } from '../../shared/sshsig/sshsig';
import type { PgBackRestBackup, PgBackRestStanzaInfo } from '../engines/pgbackrest-info';
import type { Bucket } from '../engines/s3';
import { AgentError, errorMessage } from '../runtime/errors';
import { ed25519PublicKeyFromPrivate, verifySshsig } from '../../node/signing';

/** The recovery point a drill restores, and how far its manifest can be trusted. */
export interface DrillRecoveryPoint {
  backup: PgBackRestBackup;
  manifestKey: string;
  /** SHA-256 (hex) of the manifest bytes as downloaded. */
  manifestSha256: string;
  /**
   * `valid`: the SSHSIG over exactly these bytes verifies with this agent's own key (the one
   * that signed it at snapshot time); `invalid`: it does not.
   */
  signature: 'valid' | 'invalid';
  /** Parsed only after the signature verified; null when it did not, or the bytes are unusable. */
  manifest: RecoveryPointManifest | null;
  /** Why the manifest cannot serve as proof; null when it can. */
  problem: string | null;
}

/**
 * The key manifests are verified with: the agent's own (`signingKeyFile`, public part), or on a
 * host restoring another server's backups the pinned public key line itself
 * (AgentConfig.verifyKey, passed here with the `ssh-ed25519 ` prefix).
 */
function manifestKeyLine(signingKeyFile: string): string {
  if (signingKeyFile.startsWith('ssh-ed25519 ')) return signingKeyFile.trim();
  const privateKeyPem = fs.readFileSync(signingKeyFile, 'utf8');
  return openSshPublicKeyLine(ed25519PublicKeyFromPrivate(privateKeyPem));
}

/** The key (file or public line) that verifies a server's manifests, from its config. */
export function manifestKeyOf(config: { signingKeyFile: string; verifyKey?: string }): string {
  return config.verifyKey ?? config.signingKeyFile;
}

/** The keys under the server's manifests prefix, for {@link latestRecoveryPoint}. */
export function listManifestKeys(bucket: Bucket, serverId: string): Promise<string[]> {
  return bucket.list(bucketLayout.manifestsPrefix(serverId));
}

/**
 * The latest recovery point: the newest pgBackRest backup whose manifest AND signature are in
 * the bucket (publish.ts uploads the signature last, so a manifest without one is a snapshot
 * that did not finish). Its signature is checked against the agent's own key before the bytes
 * are parsed (never re-serialised to verify). `manifestKeys`: the bucket's listing
 * ({@link listManifestKeys}), which the caller may have asked for beside `pgbackrest info`.
 * @throws AgentError when no backup has a manifest.
 */
export async function latestRecoveryPoint(
  serverId: string,
  signingKeyFile: string,
  stanza: PgBackRestStanzaInfo,
  bucket: Bucket,
  manifestKeys: Promise<string[]> = listManifestKeys(bucket, serverId),
): Promise<DrillRecoveryPoint> {
  const keys = new Set(await manifestKeys);
  const backup = [...stanza.backup]
    .sort((a, b) => a.timestamp.stop - b.timestamp.stop)
    .reverse()
    .find(
      (b) =>
        keys.has(bucketLayout.manifest(serverId, b.label)) &&
        keys.has(bucketLayout.manifestSignature(serverId, b.label)),
    );
  if (!backup) {
    throw new AgentError(
      'prepare',
      stanza.backup.length === 0
        ? 'the repository has no backup to restore'
        : `none of the ${stanza.backup.length} backups in the repository has a signed manifest in the bucket`,
    );
  }
  return readRecoveryPoint(serverId, signingKeyFile, backup, bucket);
}

/**
 * The recovery point of backup `label` (an app restore's point, or the one whose attached files
 * a restore brings back), its manifest's signature checked like the latest's.
 * @throws AgentError when the repository has no such backup or the bucket no manifest of it.
 */
export async function recoveryPointByLabel(
  serverId: string,
  signingKeyFile: string,
  stanza: PgBackRestStanzaInfo,
  label: string,
  bucket: Bucket,
): Promise<DrillRecoveryPoint> {
  const backup = stanza.backup.find((b) => b.label === label);
  if (!backup) {
    throw new AgentError('prepare', `the repository has no backup ${label} (expired?)`);
  }
  return readRecoveryPoint(serverId, signingKeyFile, backup, bucket);
}

/** Downloads a backup's manifest and signature and checks the signature before parsing. */
async function readRecoveryPoint(
  serverId: string,
  signingKeyFile: string,
  backup: PgBackRestBackup,
  bucket: Bucket,
): Promise<DrillRecoveryPoint> {
  const manifestKey = bucketLayout.manifest(serverId, backup.label);
  const [bytes, armored] = await Promise.all([
    bucket.get(manifestKey),
    bucket.get(bucketLayout.manifestSignature(serverId, backup.label)),
  ]);
  if (!bytes || !armored) {
    throw new AgentError('prepare', `the manifest of ${backup.label} disappeared from the bucket`);
  }
  const manifestSha256 = crypto.createHash('sha256').update(bytes).digest('hex');
  const base = { backup, manifestKey, manifestSha256 };
  const publicKeyLine = manifestKeyLine(signingKeyFile);
  if (
    !verifySshsig(armored.toString('utf8'), bytes, SIGNATURE_NAMESPACES.manifest, publicKeyLine)
  ) {
    return {
      ...base,
      signature: 'invalid',
      manifest: null,
      problem: `the signature of manifest ${backup.label} does not verify with the agent's key`,
    };
  }
  try {
    const manifest = parseManifestJson(bytes.toString('utf8'));
    if (manifest.serverId !== serverId || manifest.label !== backup.label) {
      throw new Error(`it describes ${manifest.serverId} ${manifest.label}`);
    }
    return { ...base, signature: 'valid', manifest, problem: null };
  } catch (error) {
    return {
      ...base,
      signature: 'valid',
      manifest: null,
      problem: `manifest ${backup.label} is signed but unusable: ${errorMessage(error)}`,
    };
  }
}
