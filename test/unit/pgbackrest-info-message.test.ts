import { describe, expect, it } from 'vitest';
import {
  parseInfoOutput,
  PgBackRestInfoJson,
  readableRepoMessage,
} from '../../agent/engines/pgbackrest-info';

// What pgBackRest 2.45 printed for `info --output=json` with a wrong repo1-cipher-pass (seen in
// test/faults/wrong-passphrase.test.ts): the undecryptable bytes of backup.info are in the
// message, some of them raw control characters.
const garbage = 'X%~\u0001\u0002"\u0008}]}Y\ufffd\ufffd\u001b]Xp';
const message =
  "[FormatError] unable to load info file '/kumiko/s/pgbackrest/backup/main/backup.info' or " +
  "'/kumiko/s/pgbackrest/backup/main/backup.info.copy':\nFormatError: key/value found outside " +
  `of section at line 1: ${garbage}\nHINT: has a stanza-create been performed?`;
const stdout = JSON.stringify([
  {
    archive: [],
    backup: [],
    cipher: 'aes-256-cbc',
    db: [],
    name: 'main',
    repo: [{ cipher: 'aes-256-cbc', key: 1, status: { code: 99, message } }],
    status: { code: 99, lock: { backup: { held: false } }, message: 'other' },
  },
]).replace(/\\u000[128]|\\u001b/g, (escaped) => JSON.parse(`"${escaped}"`) as string);

describe('pgbackrest info with a wrong repository passphrase', () => {
  it('still parses when the message holds raw control characters', () => {
    expect(() => JSON.parse(stdout)).toThrow();
    const [stanza] = PgBackRestInfoJson.parse(parseInfoOutput(stdout));
    expect(stanza).toMatchObject({ name: 'main', cipher: 'aes-256-cbc', status: { code: 99 } });
  });

  it('says the passphrase does not match, with the next step, and quotes no garbage', () => {
    const text = readableRepoMessage(message, true);
    expect(text).toMatch(/cannot read the repository's backup\.info/);
    expect(text).toMatch(/passphrase .* does not match/);
    expect(text).toMatch(/recovery kit/);
    expect(text).not.toContain('X%~');
  });

  it('leaves other messages as they are, without control characters', () => {
    const plain = readableRepoMessage(message, false);
    for (const c of ['\u0001', '\u0002', '\u0008', '\u001b', '\ufffd'])
      expect(plain).not.toContain(c);
    expect(readableRepoMessage('[ServiceError] [500] Internal Server Error', true)).toBe(
      '[ServiceError] [500] Internal Server Error',
    );
  });
});
