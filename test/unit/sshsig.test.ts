import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeBase64, encodeBase64, utf8Decode, utf8Encode } from '../../shared/sshsig/bytes';
import {
  SshsigFormatError,
  allowedSignersLine,
  checkSshsig,
  decodeSshsig,
  ed25519PublicKeyBlob,
  encodeSshsig,
  openSshPublicKeyLine,
  parseOpenSshPublicKeyLine,
  sshsigSignedData,
} from '../../shared/sshsig/sshsig';

// Made with OpenSSH 9.2: ssh-keygen -t ed25519 -C test; echo hello > f;
// ssh-keygen -Y sign -f k -n kumiko-manifest f
const OPENSSH_PUB =
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGqqZm65JekBvxZ09ketzzIgvHYElaz7Lw5S1R8Jq3Hn test';
const OPENSSH_SIG = `-----BEGIN SSH SIGNATURE-----
U1NIU0lHAAAAAQAAADMAAAALc3NoLWVkMjU1MTkAAAAgaqpmbrkl6QG/FnT2R63PMiC8dg
SVrPsvDlLVHwmrcecAAAAPa3VtaWtvLW1hbmlmZXN0AAAAAAAAAAZzaGE1MTIAAABTAAAA
C3NzaC1lZDI1NTE5AAAAQNt2/+zBbzrpDxY/VSgVseFfJwPOCy2htvJlB0ifnFc5Uzm8wM
PbVfsQFJmPhSaimIglb51+6mQXmonViVuwFgA=
-----END SSH SIGNATURE-----
`;

describe('shared/sshsig bytes', () => {
  it('base64 matches Buffer for every length and rejects malformed input', () => {
    for (let n = 0; n < 70; n++) {
      const bytes = new Uint8Array(randomBytes(n));
      const b64 = Buffer.from(bytes).toString('base64');
      expect(encodeBase64(bytes)).toBe(b64);
      expect(decodeBase64(b64)).toEqual(bytes);
    }
    expect(() => decodeBase64('abc')).toThrow();
    expect(() => decodeBase64('ab!=')).toThrow();
    expect(() => decodeBase64('ab=c')).toThrow();
    expect(() => decodeBase64('QR==')).toThrow(/pad bits/); // canonical is QQ==
  });

  it('utf-8 matches Buffer, including astral characters', () => {
    for (const s of ['', 'kumiko-manifest', 'Grüße', '日本語', 'emoji 🦀 x']) {
      expect(utf8Encode(s)).toEqual(new Uint8Array(Buffer.from(s, 'utf8')));
      expect(utf8Decode(utf8Encode(s))).toBe(s);
    }
    expect(() => utf8Decode(Uint8Array.of(0xc0, 0x80))).toThrow(); // overlong NUL
    expect(() => utf8Decode(Uint8Array.of(0xe2, 0x82))).toThrow(); // truncated
  });
});

describe('shared/sshsig format', () => {
  it('decodes an ssh-keygen signature and re-encodes it byte for byte', () => {
    const sig = decodeSshsig(OPENSSH_SIG);
    const key = parseOpenSshPublicKeyLine(OPENSSH_PUB);
    expect(sig.version).toBe(1);
    expect(sig.namespace).toBe('kumiko-manifest');
    expect(sig.hashAlg).toBe('sha512');
    expect(sig.signature).toHaveLength(64);
    expect(sig.publicKey).toEqual(key.publicKey);
    expect(key.comment).toBe('test');
    expect(openSshPublicKeyLine(key.publicKey, 'test')).toBe(OPENSSH_PUB);
    expect(encodeSshsig(sig)).toBe(OPENSSH_SIG);
  });

  it('builds the signed-data blob of PROTOCOL.sshsig', () => {
    const hash = new Uint8Array(64).fill(7);
    const blob = sshsigSignedData('ns', hash);
    const expected = Buffer.concat([
      Buffer.from('SSHSIG'),
      Buffer.from([0, 0, 0, 2]),
      Buffer.from('ns'),
      Buffer.from([0, 0, 0, 0]),
      Buffer.from([0, 0, 0, 6]),
      Buffer.from('sha512'),
      Buffer.from([0, 0, 0, 64]),
      Buffer.from(hash),
    ]);
    expect(Buffer.from(blob).equals(expected)).toBe(true);
    expect(() => sshsigSignedData('ns', new Uint8Array(32))).toThrow(/64 bytes/);
    expect(sshsigSignedData('ns', new Uint8Array(32), 'sha256')).toHaveLength(6 + 6 + 4 + 10 + 36);
  });

  it('public key lines and allowed_signers lines', () => {
    const raw = new Uint8Array(32).fill(1);
    const line = openSshPublicKeyLine(raw, 'kumiko-agent@srv');
    expect(line).toMatch(/^ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI\S+ kumiko-agent@srv$/);
    expect(parseOpenSshPublicKeyLine(line).blob).toEqual(ed25519PublicKeyBlob(raw));
    expect(parseOpenSshPublicKeyLine(openSshPublicKeyLine(raw)).comment).toBe('');
    expect(allowedSignersLine('kumiko-agent@test', ['kumiko-manifest'], line)).toBe(
      `kumiko-agent@test namespaces="kumiko-manifest" ${line.split(' ').slice(0, 2).join(' ')}`,
    );
    expect(() => parseOpenSshPublicKeyLine('ssh-rsa AAAAB3NzaC1yc2E= x')).toThrow(
      SshsigFormatError,
    );
    // The type word must match the blob's type.
    const rsaBlob = Buffer.concat([Buffer.from([0, 0, 0, 7]), Buffer.from('ssh-rsa')]).toString(
      'base64',
    );
    expect(() => parseOpenSshPublicKeyLine(`ssh-ed25519 ${rsaBlob}`)).toThrow(SshsigFormatError);
  });

  it('checkSshsig refuses the wrong namespace, key or a malformed signature', () => {
    expect(checkSshsig(OPENSSH_SIG, 'kumiko-manifest', OPENSSH_PUB).ok).toBe(true);
    expect(checkSshsig(OPENSSH_SIG, 'kumiko-report', OPENSSH_PUB)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/namespace/),
    });
    const other = openSshPublicKeyLine(new Uint8Array(32).fill(9));
    expect(checkSshsig(OPENSSH_SIG, 'kumiko-manifest', other)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/different key/),
    });
    const truncated = OPENSSH_SIG.replace('PbVfsQFJmPhSaimIglb51+6mQXmonViVuwFgA=', '');
    expect(checkSshsig(truncated, 'kumiko-manifest', OPENSSH_PUB).ok).toBe(false);
    expect(checkSshsig('not a signature', 'kumiko-manifest', OPENSSH_PUB).ok).toBe(false);
    expect(() => decodeSshsig(OPENSSH_SIG.replace('BEGIN', 'BEGIM'))).toThrow(SshsigFormatError);
  });
});
