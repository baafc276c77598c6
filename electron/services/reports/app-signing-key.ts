import os from 'node:os';
import { ed25519PublicKeyFromPrivate, generateEd25519KeyPair } from '../../../node/signing';
import { openSshPublicKeyLine } from '../../../shared/sshsig/sshsig';
import type { SecretStore } from '../secrets/secret-store';

/** The app's report signing identity (the private key stays in the secret store). */
export interface AppSigningKey {
  principal: string;
  privateKeyPem: string;
  publicKey: string;
}

const SECRET = 'reports/app-signing-key';

/**
 * The app's Ed25519 key for signing app-run drills and countersigning agent reports; made on
 * first use and kept in the secret store (never in SQLite, logs or bundles). The principal
 * names the installation: `kumiko-app@<host name>`, fixed when the key is made.
 */
export async function appSigningKey(secrets: SecretStore): Promise<AppSigningKey> {
  const stored = await secrets.get(SECRET);
  if (stored) {
    const { principal, privateKeyPem } = JSON.parse(stored) as {
      principal: string;
      privateKeyPem: string;
    };
    return { principal, privateKeyPem, publicKey: publicLine(privateKeyPem, principal) };
  }
  const host =
    os
      .hostname()
      .replace(/[^A-Za-z0-9.-]+/g, '-')
      .slice(0, 60) || 'desktop';
  const principal = `kumiko-app@${host}`;
  const { privateKeyPem } = generateEd25519KeyPair();
  await secrets.set(SECRET, JSON.stringify({ principal, privateKeyPem }));
  return { principal, privateKeyPem, publicKey: publicLine(privateKeyPem, principal) };
}

/** The app's public key line, if it has made one (for pinning without creating a key). */
export async function appPublicKey(secrets: SecretStore): Promise<string | null> {
  const stored = await secrets.get(SECRET);
  if (!stored) return null;
  const { principal, privateKeyPem } = JSON.parse(stored) as {
    principal: string;
    privateKeyPem: string;
  };
  return publicLine(privateKeyPem, principal);
}

function publicLine(privateKeyPem: string, principal: string): string {
  return openSshPublicKeyLine(ed25519PublicKeyFromPrivate(privateKeyPem), principal);
}
