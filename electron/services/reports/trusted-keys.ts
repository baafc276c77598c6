import fs from 'node:fs/promises';
import { parseAllowedSigners } from '../../../shared/report/allowed-signers';
import { openSshPublicKeyLine, parseOpenSshPublicKeyLine } from '../../../shared/sshsig/sshsig';

/**
 * The keys an auditor or the app pins for verification, from text that is either public key
 * lines (`ssh-ed25519 AAAA… comment`, as in a .pub file) or allowed_signers lines.
 * @throws Error when the text holds no usable key.
 */
export function parseTrustedKeys(text: string): string[] {
  const keys: string[] = [];
  const bad: number[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    try {
      keys.push(openSshPublicKeyLine(parseOpenSshPublicKeyLine(line).publicKey));
      return;
    } catch {
      // not a bare key line: try allowed_signers below
    }
    const signers = parseAllowedSigners(line).signers;
    if (signers.length) keys.push(...signers.map((s) => openSshPublicKeyLine(s.key.publicKey)));
    else bad.push(i + 1);
  });
  if (bad.length) throw new Error(`no ssh-ed25519 key on line ${bad.join(', ')}`);
  if (keys.length === 0) throw new Error('no ssh-ed25519 key given');
  return keys;
}

/** `--key` takes a file (allowed_signers or .pub) or a key line itself. */
export async function readTrustedKeys(fileOrKey: string): Promise<string[]> {
  if (fileOrKey.trim().startsWith('ssh-')) return parseTrustedKeys(fileOrKey);
  return parseTrustedKeys(await fs.readFile(fileOrKey, 'utf8'));
}
