import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as signing from '../../node/signing';
import { allowedSignersLine, openSshPublicKeyLine } from '../../shared/sshsig/sshsig';
import { runCommand, stopAll } from '../harness';

// Our SSHSIG against the real OpenSSH binary, both ways: what we sign, `ssh-keygen -Y verify`
// accepts (and refuses once anything is changed); what `ssh-keygen -Y sign` makes, we verify.
// The app and the agent sign and verify with the same module, node/signing.ts.

const NAMESPACE = 'kumiko-manifest';
const PRINCIPAL = 'kumiko-agent@test';
let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kumiko-sshsig-'));
});

afterAll(async () => {
  fs.rmSync(dir, { recursive: true, force: true });
  await stopAll();
});

/** `ssh-keygen -Y verify … < file`; resolves exit code and combined output. */
async function sshKeygenVerify(
  allowedSigners: string,
  sigFile: string,
  message: Buffer,
  namespace = NAMESPACE,
): Promise<{ code: number | null; output: string }> {
  const result = await runCommand(
    'ssh-keygen',
    ['-Y', 'verify', '-f', allowedSigners, '-I', PRINCIPAL, '-n', namespace, '-s', sigFile],
    { input: message, check: false, name: 'ssh-keygen -Y verify', timeoutMs: 20_000 },
  );
  return { code: result.code, output: result.stdout + result.stderr };
}

function write(name: string, content: string | Buffer): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content, { mode: 0o600 });
  return file;
}

describe('SSHSIG with node/signing', () => {
  const tag = 'node';
  const message = Buffer.from(
    '{\n  "format": "kumiko-manifest/1",\n  "label": "20250331-023000F"\n}\n',
  );

  it('signs a file that ssh-keygen -Y verify accepts, and nothing altered', async () => {
    const { privateKeyPem, publicKey } = signing.generateEd25519KeyPair();
    expect(privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(publicKey).toHaveLength(32);
    expect(signing.ed25519PublicKeyFromPrivate(privateKeyPem)).toEqual(publicKey);
    const pubLine = openSshPublicKeyLine(publicKey, PRINCIPAL);
    const allowed = write(
      `${tag}-allowed_signers`,
      `${allowedSignersLine(PRINCIPAL, [NAMESPACE], pubLine)}\n`,
    );
    expect(fs.readFileSync(allowed, 'utf8')).toMatch(
      /^kumiko-agent@test namespaces="kumiko-manifest" ssh-ed25519 AAAA\S+\n$/,
    );

    const armored = signing.signSshsig(privateKeyPem, message, NAMESPACE);
    expect(
      armored
        .split('\n')
        .slice(1, -3)
        .every((l) => l.length === 70),
    ).toBe(true);
    const sigFile = write(`${tag}-manifest.json.sig`, armored);

    const good = await sshKeygenVerify(allowed, sigFile, message);
    expect(good.output).toContain(`Good "${NAMESPACE}" signature for ${PRINCIPAL}`);
    expect(good.code).toBe(0);
    expect(signing.verifySshsig(armored, message, NAMESPACE, pubLine)).toBe(true);

    // A flipped byte in the file.
    const tampered = Buffer.from(message);
    tampered[5] = (tampered[5] as number) ^ 1;
    const tamperedRun = await sshKeygenVerify(allowed, sigFile, tampered);
    expect(tamperedRun.code).not.toBe(0);
    expect(tamperedRun.output).toContain('incorrect signature');
    expect(signing.verifySshsig(armored, tampered, NAMESPACE, pubLine)).toBe(false);

    // A flipped bit in the signature bytes (base64 stays valid, the Ed25519 signature not).
    const lines = armored.split('\n');
    const sigLine = lines[4] as string; // inside the signature at the end of the blob
    const c = sigLine[10] === 'A' ? 'B' : 'A';
    lines[4] = sigLine.slice(0, 10) + c + sigLine.slice(11);
    const badSig = lines.join('\n');
    const badSigFile = write(`${tag}-bad.sig`, badSig);
    const badSigRun = await sshKeygenVerify(allowed, badSigFile, message);
    expect(badSigRun.code).not.toBe(0);
    expect(badSigRun.output).toContain('incorrect signature');
    expect(signing.verifySshsig(badSig, message, NAMESPACE, pubLine)).toBe(false);

    // The right signature, read for another purpose.
    const wrongNs = await sshKeygenVerify(allowed, sigFile, message, 'kumiko-report');
    expect(wrongNs.code).not.toBe(0);
    expect(wrongNs.output).toContain('namespace does not match');
    expect(signing.verifySshsig(armored, message, 'kumiko-report', pubLine)).toBe(false);
    // Signed for kumiko-report, presented as a manifest signature.
    const reportSig = write(
      `${tag}-report.sig`,
      signing.signSshsig(privateKeyPem, message, 'kumiko-report'),
    );
    const reportRun = await sshKeygenVerify(allowed, reportSig, message);
    expect(reportRun.code).not.toBe(0);
    expect(reportRun.output).toContain('namespace does not match');

    // A different key than the pinned one.
    const other = signing.generateEd25519KeyPair();
    const otherSig = signing.signSshsig(other.privateKeyPem, message, NAMESPACE);
    expect(signing.verifySshsig(otherSig, message, NAMESPACE, pubLine)).toBe(false);
    const otherFile = write(`${tag}-other.sig`, otherSig);
    expect((await sshKeygenVerify(allowed, otherFile, message)).code).not.toBe(0);
  });

  it('verifies what ssh-keygen -Y sign makes', async () => {
    const key = path.join(dir, `${tag}-id_ed25519`);
    await runCommand('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', PRINCIPAL, '-f', key], {
      name: 'ssh-keygen -t ed25519',
    });
    const file = write(`${tag}-message.txt`, message);
    await runCommand('ssh-keygen', ['-Y', 'sign', '-f', key, '-n', NAMESPACE, file], {
      name: 'ssh-keygen -Y sign',
    });
    const armored = fs.readFileSync(`${file}.sig`, 'utf8');
    const pubLine = fs.readFileSync(`${key}.pub`, 'utf8').trim();
    expect(signing.verifySshsig(armored, message, NAMESPACE, pubLine)).toBe(true);
    expect(signing.verifySshsig(armored, message.toString('utf8'), NAMESPACE, pubLine)).toBe(true);
    expect(
      signing.verifySshsig(armored, Buffer.concat([message, Buffer.from('x')]), NAMESPACE, pubLine),
    ).toBe(false);
    expect(signing.verifySshsig(armored, message, 'kumiko-report', pubLine)).toBe(false);
    const stranger = openSshPublicKeyLine(signing.generateEd25519KeyPair().publicKey);
    expect(signing.verifySshsig(armored, message, NAMESPACE, stranger)).toBe(false);
    expect(signing.verifySshsig('garbage', message, NAMESPACE, pubLine)).toBe(false);
    expect(signing.verifySshsig(armored, message, NAMESPACE, 'ssh-rsa AAAA')).toBe(false);
  });
});
