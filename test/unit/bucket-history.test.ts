import { describe, expect, it } from 'vitest';
import {
  bucketAsOf,
  findDamage,
  safeRelativePath,
  type ObjectVersion,
} from '../../shared/agent/bucket-history';
import { AgentRestoreSpec } from '../../shared/agent/restore';
import { posixRepoConfig } from '../../agent/restore/bucket-history-source';
import { parseIni } from '../../agent/engines/pgbackrest-conf';

const P = 'kumiko/srv/';
const t = (s: number) => new Date(Date.UTC(2026, 11, 6, 9, 0, s));
const v = (key: string, s: number, id: string, deleteMarker = false): ObjectVersion => ({
  key: `${P}${key}`,
  versionId: id,
  lastModified: t(s),
  size: deleteMarker ? 0 : 10,
  etag: '',
  deleteMarker,
});

describe('bucket as of a moment', () => {
  // Newest first per key, as ListObjectVersions lists them.
  const listing = [
    v('pgbackrest/archive/main/15-1/0000/seg1', 40, 'm1', true),
    v('pgbackrest/archive/main/15-1/0000/seg1', 10, 'a'),
    v('pgbackrest/backup/main/backup.info', 41, 'b3'),
    v('pgbackrest/backup/main/backup.info', 20, 'b2'),
    v('pgbackrest/backup/main/backup.info', 5, 'b1'),
    v('pgbackrest/archive/main/15-1/0000/seg2', 42, 'x2'),
    v('pgbackrest/archive/main/15-1/0000/seg2', 30, 'x1'),
    v('pgbackrest/archive/main/15-1/0000/seg3', 50, 'n1'),
  ];

  it('takes the newest version at or before the moment, leaves out later and deleted keys', () => {
    const asOf = bucketAsOf(listing, t(35));
    expect(asOf.objects.map((o) => [o.key.slice(P.length), o.versionId])).toEqual([
      ['pgbackrest/archive/main/15-1/0000/seg1', 'a'],
      ['pgbackrest/archive/main/15-1/0000/seg2', 'x1'],
      ['pgbackrest/backup/main/backup.info', 'b2'],
    ]);
    expect(bucketAsOf(listing, t(45)).objects.map((o) => o.versionId)).toEqual(['x2', 'b3']);
    expect(asOf.unversioned).toBe(0);
    expect(bucketAsOf([v('a', 1, 'null')], t(2)).unversioned).toBe(1);
  });

  it('names the first damage of a write-once object, not a rewritten info file', () => {
    const damage = findDamage(listing);
    expect(damage.firstDamageAt).toEqual(t(40));
    expect(damage.intactUntil).toEqual(t(39));
    expect(damage.firstKey).toBe(`${P}pgbackrest/archive/main/15-1/0000/seg1`);
    expect(damage).toMatchObject({ deleted: 1, overwritten: 1 });
    // Only info files rewritten: no damage.
    expect(findDamage(listing.filter((e) => e.key.endsWith('backup.info'))).firstDamageAt).toBe(
      null,
    );
  });

  it('takes the newest burst: a retention run hours earlier is not the attack', () => {
    const hours = 3600;
    const damage = findDamage([
      v('pgbackrest/archive/main/15-1/0000/old', 2 * hours, 'dm', true),
      v('pgbackrest/archive/main/15-1/0000/old', 0, 'o'),
      ...listing,
    ]);
    // A burst after the listing's: that one is the newest.
    expect(damage.firstDamageAt).toEqual(t(2 * hours));
    const attack = findDamage([
      v('pgbackrest/archive/main/15-1/0000/old', -2 * hours, 'dm', true),
      v('pgbackrest/archive/main/15-1/0000/old', -3 * hours, 'o'),
      ...listing,
    ]);
    expect(attack.firstDamageAt).toEqual(t(40));
  });

  it('never maps a key outside the copy', () => {
    expect(safeRelativePath(`${P}pgbackrest/x`, P)).toBe(`${P}pgbackrest/x`);
    for (const bad of [`${P}../x`, `${P}a//b`, `${P}./x`, `${P}a/`, 'other/x', `${P}a\\b`])
      expect(safeRelativePath(bad, P)).toBeNull();
  });

  it('the restore spec takes bucketAsOf strictly', () => {
    const base = {
      id: '6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f',
      restore: { type: 'time', backupLabel: '20261206-090000F', targetTime: null, timeline: 1 },
      check: { kind: 'latest' },
      filesFrom: null,
    };
    const time = '2026-12-06T09:00:00Z';
    expect(AgentRestoreSpec.safeParse({ ...base, bucketAsOf: { time } }).success).toBe(true);
    expect(
      AgentRestoreSpec.safeParse({ ...base, bucketAsOf: { time, keyFile: '/etc/k.json' } }).success,
    ).toBe(true);
    expect(
      AgentRestoreSpec.safeParse({ ...base, bucketAsOf: { time, keyFile: 'k.json' } }).success,
    ).toBe(false);
    expect(
      AgentRestoreSpec.safeParse({ ...base, bucketAsOf: { time, secretAccessKey: 'x' } }).success,
    ).toBe(false);
    expect(AgentRestoreSpec.safeParse({ ...base, bucketAsOf: { time: 'soon' } }).success).toBe(
      false,
    );
  });
});

describe('the local copy as a pgBackRest repository', () => {
  it('drops every S3 and storage option and keeps the cipher and the stanza', () => {
    const original = parseIni(
      [
        '[global]',
        'repo1-type=s3',
        'repo1-path=/kumiko/srv/pgbackrest',
        'repo1-s3-bucket=kumiko',
        'repo1-s3-key=AKIA',
        'repo1-s3-key-secret=SECRET',
        'repo1-storage-ca-file=/etc/ca.pem',
        'repo1-cipher-type=aes-256-cbc',
        'repo1-cipher-pass=PASS',
        'process-max=2',
        '',
        '[main]',
        'pg1-path=/var/lib/postgresql/15/main',
      ].join('\n'),
    );
    const text = posixRepoConfig(
      original,
      '/var/lib/kumiko-agent/scratch/x.history/bucket/kumiko/srv/pgbackrest',
    );
    expect(text).not.toMatch(/s3|storage|AKIA|SECRET/);
    expect(text).toContain('repo1-type=posix\n');
    expect(text).toContain(
      'repo1-path=/var/lib/kumiko-agent/scratch/x.history/bucket/kumiko/srv/pgbackrest\n',
    );
    expect(text).toContain('repo1-cipher-pass=PASS\n');
    expect(text).toContain('[main]\npg1-path=/var/lib/postgresql/15/main\n');
    expect(parseIni(text).get('global')?.get('repo1-type')).toBe('posix');
  });
});
