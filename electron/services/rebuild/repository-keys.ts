import crypto from 'node:crypto';

// A kit's passphrases are checked against the bucket before anything is saved: a kit from
// another server, an older kit or one typed with a wrong character must be refused at import,
// not an hour later when pgBackRest or restic first reads the repository on a fresh host.
// Both checks only decrypt small files the engines themselves wrote; nothing is written.

/**
 * Whether `cipherPass` opens a pgBackRest info file (archive.info or backup.info) of an
 * encrypted repository. pgBackRest encrypts them as OpenSSL's `enc` does: "Salted__", an
 * 8-byte salt, then AES-256-CBC with key and IV from EVP_BytesToKey (SHA-1, one round).
 * A wrong passphrase fails the padding check, or (1 in 256) yields bytes that are not the
 * info file's text, which starts with its `[backrest]` section.
 */
export function opensPgbackrestInfo(encrypted: Buffer, cipherPass: string): boolean {
  if (encrypted.length < 32 || encrypted.subarray(0, 8).toString('latin1') !== 'Salted__') {
    return false;
  }
  const salt = encrypted.subarray(8, 16);
  const { key, iv } = evpBytesToKey(Buffer.from(cipherPass, 'utf8'), salt);
  try {
    const decipher = crypto.createDecipheriv('aes-256-cbc', key, iv);
    const plain = Buffer.concat([decipher.update(encrypted.subarray(16)), decipher.final()]);
    return plain.toString('utf8', 0, 10) === '[backrest]';
  } catch {
    return false;
  }
}

function evpBytesToKey(pass: Buffer, salt: Buffer): { key: Buffer; iv: Buffer } {
  let derived = Buffer.alloc(0);
  let block = Buffer.alloc(0);
  while (derived.length < 48) {
    block = crypto
      .createHash('sha1')
      .update(Buffer.concat([block, pass, salt]))
      .digest();
    derived = Buffer.concat([derived, block]);
  }
  return { key: derived.subarray(0, 32), iv: derived.subarray(32, 48) };
}

/** scrypt parameters above these are refused: the key file comes from the bucket (untrusted). */
const MAX_SCRYPT = { N: 2 ** 21, r: 32, p: 16 } as const;

interface ResticKeyFile {
  kdf: string;
  N: number;
  r: number;
  p: number;
  salt: string;
  data: string;
}

/**
 * Whether `password` opens a restic key file (`keys/<id>` in the repository): scrypt of the
 * password with the file's salt and parameters gives the AES-256 key (first 32 bytes) that
 * decrypts `data` (16-byte IV, AES-256-CTR ciphertext, 16-byte MAC) into the JSON of the
 * repository's master key. CTR has no padding to fail, so the plain text must be that JSON
 * with its `encrypt` and `mac` fields: a wrong password gives random bytes, never that.
 */
export async function opensResticKey(keyFile: Buffer, password: string): Promise<boolean> {
  let parsed: ResticKeyFile;
  try {
    parsed = JSON.parse(keyFile.toString('utf8')) as ResticKeyFile;
  } catch {
    return false;
  }
  const { kdf, N, r, p } = parsed;
  if (kdf !== 'scrypt' || !validParam(N, MAX_SCRYPT.N) || !validParam(r, MAX_SCRYPT.r)) {
    return false;
  }
  if (!validParam(p, MAX_SCRYPT.p) || (N & (N - 1)) !== 0) return false;
  const salt = Buffer.from(parsed.salt ?? '', 'base64');
  const data = Buffer.from(parsed.data ?? '', 'base64');
  if (data.length < 33) return false;
  const derived = await new Promise<Buffer>((resolve, reject) =>
    crypto.scrypt(password, salt, 64, { N, r, p, maxmem: 256 * N * r + 1024 * 1024 }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
  const iv = data.subarray(0, 16);
  const decipher = crypto.createDecipheriv('aes-256-ctr', derived.subarray(0, 32), iv);
  const plain = Buffer.concat([
    decipher.update(data.subarray(16, data.length - 16)),
    decipher.final(),
  ]);
  try {
    const master = JSON.parse(plain.toString('utf8')) as { encrypt?: unknown; mac?: unknown };
    return typeof master.encrypt === 'string' && typeof master.mac === 'object';
  } catch {
    return false;
  }
}

const validParam = (value: unknown, max: number): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= max;
