import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateEd25519KeyPair } from '../../node/signing';
import { kitSections, type KitInput } from '../../electron/services/recovery-kit/kit-content';
import { reportSigningKeys } from '../../electron/services/recovery-kit/kit-signing-keys';
import { renderKitText } from '../../electron/services/recovery-kit/kit-text';
import { appPublicKey } from '../../electron/services/reports/app-signing-key';
import { openVault } from '../../electron/services/secrets/vault';
import { openSshPublicKeyLine } from '../../shared/sshsig/sshsig';

// The recovery kit prints the fingerprints of the keys that sign drill reports (the agent's,
// pinned at install, and the app's own): the anchor VERIFY.txt sends auditors to. They must be
// what `ssh-keygen -l` prints for the same keys, or no auditor could compare them.

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kumiko-kit-keys-'));
const SERVER_ID = '3f2b9c4e-1d7a-4e8b-9c6f-0a1b2c3d4e5f';
const agentLine = openSshPublicKeyLine(
  generateEd25519KeyPair().publicKey,
  `kumiko-agent@${SERVER_ID}`,
);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** What `ssh-keygen -lf` prints as the fingerprint of a public key line. */
function sshKeygenFingerprint(line: string): string {
  const file = path.join(dir, `k${Math.random().toString(36).slice(2)}.pub`);
  fs.writeFileSync(file, `${line}\n`);
  return execFileSync('ssh-keygen', ['-lf', file], { encoding: 'utf8' }).split(' ')[1] as string;
}

function input(over: Partial<KitInput>): KitInput {
  return {
    serverName: 'db1',
    serverId: SERVER_ID,
    stanza: 'main',
    pgVersion: '15',
    dataDirectory: '/var/lib/postgresql/15/main',
    storage: {
      endpoint: 'https://s3.eu-central-1.amazonaws.com',
      bucket: 'acme-backup',
      region: 'eu-central-1',
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY+a',
      ownStorage: false,
    },
    cipherPass: 'cipher-pass',
    resticPassword: 'restic-pass',
    repoPath: `/kumiko/${SERVER_ID}/pgbackrest`,
    resticRepository: `s3:https://s3.eu-central-1.amazonaws.com/acme-backup/kumiko/${SERVER_ID}/restic`,
    createdAt: new Date('2026-05-11T12:00:00Z'),
    restore: {
      directory: '/var/lib/postgresql/15/kumiko-restore',
      port: 5499,
      productionPort: 5432,
      pgBin: '/usr/lib/postgresql/15/bin',
      pgBinOther: '/usr/pgsql-15/bin',
    },
    ...over,
  };
}

describe('report signing keys in the recovery kit', () => {
  it("prints the agent's and the app's fingerprints exactly as ssh-keygen -l does", async () => {
    const secrets = await openVault(path.join(dir, 'secrets.vault'), 'kit-keys-passphrase');
    const keys = await reportSigningKeys(agentLine, secrets);
    const app = (await appPublicKey(secrets)) as string;
    expect(keys).toEqual([
      { principal: `kumiko-agent@${SERVER_ID}`, fingerprint: sshKeygenFingerprint(agentLine) },
      { principal: expect.stringMatching(/^kumiko-app@/), fingerprint: sshKeygenFingerprint(app) },
    ]);
    // The app's key is made once: a later kit prints the same one.
    expect(await reportSigningKeys(agentLine, secrets)).toEqual(keys);

    const text = renderKitText('kit', kitSections(input({ signingKeys: keys })));
    const section = text.slice(text.indexOf('Report signing keys / Schlüssel der Prüfberichte'));
    expect(section).toContain('VERIFY.txt');
    for (const key of keys) expect(section).toContain(`${key.principal}:\n${key.fingerprint}\n`);
    expect(renderKitText('kit', kitSections(input({})))).not.toContain('Report signing keys');
  });
});
