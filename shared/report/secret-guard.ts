/**
 * Reports never carry secrets (DESIGN.md §6). Evidence is tool output, and tools echo options:
 * the drill redacts known values before handing evidence over, and the bundle writer refuses
 * anything that still looks like key material or a known secret, rather than sign it.
 */

// Private key armor of any kind (PKCS#8, OpenSSH, RSA/EC), and the option and variable names
// through which our engines take their passphrases and keys, followed by a value.
const PATTERNS: readonly { name: string; regex: RegExp }[] = [
  { name: 'a private key', regex: /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/ },
  { name: 'a pgBackRest cipher passphrase', regex: /repo\d*-cipher-pass\s*[=:]\s*(?!\*\*\*)\S/ },
  { name: 'an S3 secret key', regex: /repo\d*-s3-key-secret\s*[=:]\s*(?!\*\*\*)\S/ },
  { name: 'an AWS secret key', regex: /AWS_SECRET_ACCESS_KEY\s*[=:]\s*(?!\*\*\*)\S/ },
  { name: 'a restic password', regex: /RESTIC_PASSWORD\s*[=:]\s*(?!\*\*\*)\S/ },
];

/**
 * What in `text` looks like a secret: pattern names, plus "a known secret value" when one of
 * `knownSecrets` (at least 4 characters) occurs. Empty when the text is clean.
 */
export function secretsIn(text: string, knownSecrets: readonly string[] = []): string[] {
  const found = PATTERNS.filter((p) => p.regex.test(text)).map((p) => p.name);
  if (knownSecrets.some((s) => s.length >= 4 && text.includes(s)))
    found.push('a known secret value');
  return found;
}
