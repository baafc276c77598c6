import crypto from 'node:crypto';
import fs from 'node:fs';
import { bucketLayout, SIGNATURE_NAMESPACES } from '../../shared/agent/bucket-layout';
import { canonicalManifestJson, type RecoveryPointManifest } from '../../shared/agent/manifest';
import { openSshPublicKeyLine } from '../../shared/sshsig/sshsig';
import type { Bucket } from '../engines/s3';
import { ed25519PublicKeyFromPrivate, signSshsig } from '../../node/signing';

/** What was uploaded for one recovery point. */
export interface PublishedManifest {
  key: string;
  signatureKey: string;
  /** SHA-256 (hex) of the exact manifest bytes. */
  sha256: string;
}

/**
 * Serialises the manifest canonically, hashes and SSHSIG-signs exactly those bytes (namespace
 * kumiko-manifest) with the agent's key, and uploads manifest, signature and the agent's public
 * key (so the bucket alone is enough to verify, with stock `ssh-keygen -Y verify`).
 * The signature goes up last: a manifest without a signature is incomplete, never the reverse.
 */
export async function publishManifest(
  bucket: Bucket,
  manifest: RecoveryPointManifest,
  signingKeyFile: string,
): Promise<PublishedManifest> {
  const text = canonicalManifestJson(manifest);
  const bytes = Buffer.from(text, 'utf8');
  const sha256 = crypto.createHash('sha256').update(bytes).digest('hex');
  const privateKeyPem = fs.readFileSync(signingKeyFile, 'utf8');
  const signature = signSshsig(privateKeyPem, bytes, SIGNATURE_NAMESPACES.manifest);
  const publicKeyLine = openSshPublicKeyLine(
    ed25519PublicKeyFromPrivate(privateKeyPem),
    `kumiko-agent@${manifest.serverId}`,
  );
  const key = bucketLayout.manifest(manifest.serverId, manifest.label);
  const signatureKey = bucketLayout.manifestSignature(manifest.serverId, manifest.label);
  await bucket.put(
    bucketLayout.agentPublicKey(manifest.serverId),
    `${publicKeyLine}\n`,
    'text/plain',
  );
  await bucket.put(key, bytes, 'application/json');
  await bucket.put(signatureKey, signature, 'text/plain');
  return { key, signatureKey, sha256 };
}
