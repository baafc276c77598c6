import { z } from 'zod';

// The parts of `pgbackrest info --output=json` (2.45) the agent reads. Unknown fields pass
// through untouched, so newer pgBackRest versions keep working.

/** One backup set. Times are epoch seconds; LSNs like `0/3000028`. */
export const PgBackRestBackup = z.object({
  label: z.string(),
  type: z.enum(['full', 'diff', 'incr']),
  /** The backup this one builds on (incr/diff), null for a full. */
  prior: z.string().nullable(),
  error: z.boolean().optional(),
  timestamp: z.object({ start: z.number(), stop: z.number() }),
  lsn: z.object({ start: z.string(), stop: z.string() }),
  archive: z.object({ start: z.string().nullable(), stop: z.string().nullable() }),
  info: z.object({
    size: z.number(),
    delta: z.number(),
    repository: z.object({ size: z.number(), delta: z.number() }),
  }),
});
export type PgBackRestBackup = z.infer<typeof PgBackRestBackup>;

/** WAL archive range of one PostgreSQL version/system id (`15-1`). */
export const PgBackRestArchive = z.object({
  id: z.string(),
  min: z.string().nullable(),
  max: z.string().nullable(),
});

export const PgBackRestStanzaInfo = z.object({
  name: z.string(),
  /** 'none' or the repository cipher (aes-256-cbc). */
  cipher: z.string().optional(),
  /** 0 ok, 1 missing stanza path, 2 no valid backups, 3 missing stanza data, …, 99 other. */
  status: z.object({ code: z.number(), message: z.string() }),
  repo: z
    .array(
      z.object({ key: z.number(), status: z.object({ code: z.number(), message: z.string() }) }),
    )
    .default([]),
  backup: z.array(PgBackRestBackup).default([]),
  archive: z.array(PgBackRestArchive).default([]),
  db: z.array(z.object({ id: z.number(), version: z.string() })).default([]),
});
export type PgBackRestStanzaInfo = z.infer<typeof PgBackRestStanzaInfo>;

export const PgBackRestInfoJson = z.array(PgBackRestStanzaInfo);

/**
 * Parses `pgbackrest info --output=json`. pgBackRest copies the bytes of an info file it could
 * not read into its error message unescaped (with a wrong repository passphrase, the garbage
 * the decryption gave), and JSON.parse refuses raw control characters in a string: without
 * them the answer still parses, and the message still says what happened.
 * @throws SyntaxError when it is not JSON even then.
 */
export function parseInfoOutput(stdout: string): unknown {
  try {
    return JSON.parse(stdout);
  } catch {
    // pgBackRest prints its JSON on one line: no control character in it is whitespace to keep.
    // eslint-disable-next-line no-control-regex
    return JSON.parse(stdout.replace(/[\u0000-\u001f\u007f]/g, ''));
  }
}

/**
 * pgBackRest's repository message made fit for a tile and an alert: an info file that does not
 * parse in an encrypted repository is what a wrong passphrase looks like (pgBackRest itself
 * only says FormatError and asks whether a stanza-create was done), so that is said, with the
 * next step; the undecryptable bytes it quotes are left out.
 */
export function readableRepoMessage(message: string, encrypted: boolean): string {
  const infoFile = /unable to load info file '[^']*?([^/']+\.info)'/.exec(message)?.[1];
  if (encrypted && infoFile && /FormatError|CryptoError/.test(message)) {
    return (
      `pgBackRest cannot read the repository's ${infoFile}: the repository passphrase ` +
      '(repo1-cipher-pass in the pgBackRest settings) does not match the one the repository was ' +
      'created with, or the file is damaged. Compare the passphrase with the recovery kit.'
    );
  }
  // eslint-disable-next-line no-control-regex
  return message.replace(/[\u0000-\u0008\u000b-\u001f\u007f\ufffd]/g, '');
}
