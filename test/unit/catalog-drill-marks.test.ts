import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  buildCatalogModel,
  drillMarks,
  resolveRecoveryTarget,
  type CatalogModel,
  type DrillReportInput,
  type ResolvedRecovery,
} from '../../shared/catalog';
import { openSshPublicKeyLine } from '../../shared/sshsig/sshsig';
import { buildReportBundle } from '../../node/report/write-bundle';
import { generateEd25519KeyPair } from '../../node/signing';
import type { BucketObject, BucketReader } from '../../electron/services/catalog/bucket-lister';
import {
  checkDrillReport,
  syncDrillReports,
} from '../../electron/services/catalog/drill-report-sync';
import { formatCatalog } from '../../electron/cli/catalog-commands';
import { segmentTime, synthBackup, synthListing } from './catalog-fixtures';
import { sampleDrill, sampleEvidence, SERVER_ID } from './report-fixtures';

// The drill mark of each recovery point (issue 14 §2): "proven" only by a passed drill whose
// report verifies against the pinned agent key, "failed drill" by the newest drill of it
// failing, "never drilled" otherwise; and the restore-plan warning that follows from it.

const report = (over: Partial<DrillReportInput> = {}): DrillReportInput => ({
  drillId: 'drill-20261101T100000Z',
  startedAt: '2026-11-01T10:00:00.000Z',
  finishedAt: '2026-11-01T10:05:00.000Z',
  passed: true,
  backupLabel: 'L1',
  failedChecks: [],
  signature: 'valid',
  ...over,
});
const failing = (over: Partial<DrillReportInput> = {}) =>
  report({
    passed: false,
    failedChecks: [
      { id: 'cluster-starts', detail: 'not run: pgbackrest restore exited with code 38' },
      { id: 'pgbackrest-verify', detail: 'invalid checksum\n  20261101-100000F/pg_data/base/1' },
    ],
    ...over,
  });
const later = { drillId: 'drill-20261102T100000Z', startedAt: '2026-11-02T10:00:00.000Z' };

describe('drill marks', () => {
  it('proves a point only by a passed drill whose report verified', () => {
    expect(drillMarks([report()]).get('L1')).toMatchObject({
      mark: 'proven',
      drillId: 'drill-20261101T100000Z',
      verified: true,
    });
    for (const signature of ['no-pinned-key', 'missing', 'invalid'] as const) {
      expect(drillMarks([report({ signature })]).get('L1')).toMatchObject({
        mark: 'never-drilled',
        drillId: null,
        unverifiedPasses: 1,
      });
    }
  });

  it('marks a failed drill, even from a report that does not verify, with its checks', () => {
    const mark = drillMarks([failing()]).get('L1');
    expect(mark).toMatchObject({ mark: 'failed', verified: true });
    expect(mark?.failedChecks.map((c) => c.id)).toEqual(['cluster-starts', 'pgbackrest-verify']);
    expect(mark?.failedChecks[1]?.detail).toBe('invalid checksum 20261101-100000F/pg_data/base/1');
    expect(drillMarks([failing({ signature: 'no-pinned-key' })]).get('L1')).toMatchObject({
      mark: 'failed',
      verified: false,
    });
  });

  it('lets the newest counting drill of a point decide', () => {
    expect(drillMarks([failing(), report(later)]).get('L1')?.mark).toBe('proven');
    expect(drillMarks([report(later), failing()]).get('L1')?.mark).toBe('proven');
    expect(drillMarks([report(), failing(later)]).get('L1')?.mark).toBe('failed');
    // A later pass nobody can verify does not undo a failure.
    const unverified = report({ ...later, signature: 'invalid' });
    expect(drillMarks([failing(), unverified]).get('L1')).toMatchObject({
      mark: 'failed',
      unverifiedPasses: 1,
    });
    // Each point has its own drills.
    const marks = drillMarks([failing(), report({ ...later, backupLabel: 'L2' })]);
    expect([marks.get('L1')?.mark, marks.get('L2')?.mark]).toEqual(['failed', 'proven']);
  });
});

describe('catalog with drill reports', () => {
  const minutes = 600;
  const backups = [10, 200, 400].map((m) => synthBackup(m));
  const [b10, b200, b400] = backups.map((b) => b.label) as [string, string, string];
  const build = (drills?: DrillReportInput[]): CatalogModel =>
    buildCatalogModel({
      serverId: 'srv-1',
      now: segmentTime(minutes - 1) + 45_000,
      archive: synthListing({ minutes }),
      backups,
      events: [],
      drills,
      timeZone: 'UTC',
    });
  const warningsOf = (m: CatalogModel, target: Parameters<typeof resolveRecoveryTarget>[1]) => {
    const r = resolveRecoveryTarget(m, target);
    if (!r.ok) throw new Error(r.reason);
    return (r.value as ResolvedRecovery).warnings;
  };

  const model = build([
    failing({ backupLabel: b200 }),
    report({ ...later, backupLabel: b400, finishedAt: '2026-11-02T10:04:00.000Z' }),
  ]);

  it('marks every backup and lists the drills as events', () => {
    expect(model.catalog.backups.map((b) => [b.label, b.drill?.mark])).toEqual([
      [b10, 'never-drilled'],
      [b200, 'failed'],
      [b400, 'proven'],
    ]);
    expect(model.catalog.events.map((e) => [e.kind, e.ok])).toEqual([
      ['drill', false],
      ['drill', true],
    ]);
    expect(model.catalog.events[0]?.title).toContain(`of recovery point ${b200}: FAILED`);
    expect(model.notes.join('\n')).toContain(`backup ${b200}: its last drill`);
  });

  it('warns in every plan that starts from a point whose last drill failed, mildly for one never drilled', () => {
    const failedWarning = `The last drill of recovery point ${b200} (drill-20261101T100000Z, 2026-11-01T10:00:00.000Z) failed: cluster-starts: not run: pgbackrest restore exited with code 38; pgbackrest-verify`;
    expect(warningsOf(model, { kind: 'point', label: b200 })[0]).toContain(failedWarning);
    const inside = new Date(segmentTime(300)).toISOString();
    expect(warningsOf(model, { kind: 'time', time: inside })[0]).toContain(failedWarning);
    expect(warningsOf(model, { kind: 'point', label: b10 })).toContain(
      `Recovery point ${b10} was never drilled: no practised restore has shown that it restores.`,
    );
    const proven = warningsOf(model, { kind: 'latest' });
    expect(proven.some((w) => /drill/.test(w))).toBe(false);
  });

  it('says nothing about drills when no reports were looked up', () => {
    const none = build();
    expect(none.catalog.backups.every((b) => b.drill === undefined)).toBe(true);
    expect(warningsOf(none, { kind: 'point', label: b200 }).some((w) => /drill/.test(w))).toBe(
      false,
    );
  });

  it('no longer calls a point with a failed drill just "manifest valid" on the command line', () => {
    const text = formatCatalog(model.catalog);
    const line = text.split('\n').find((l) => l.includes(b200) && l.includes('manifest'));
    expect(line).toContain('DRILL FAILED (drill-20261101T100000Z)');
    expect(line).not.toMatch(/manifest valid$/);
    expect(text).toContain('cluster-starts: not run: pgbackrest restore exited with code 38');
    expect(text.split('\n').find((l) => l.includes(b400) && l.includes('manifest'))).toContain(
      'proven by drill drill-20261102T100000Z',
    );
    expect(text).toContain(`from ${b200}`);
    expect(text).toMatch(/\(its base backup FAILED its last drill\)/);
  });
});

/** An in-memory bucket: list by prefix, get by key, ETags from the content. */
class MemoryBucket implements BucketReader {
  readonly objects = new Map<string, Buffer>();
  gets = 0;
  put(key: string, body: Uint8Array | string): void {
    this.objects.set(key, Buffer.from(body));
  }
  async list(prefix: string): Promise<BucketObject[]> {
    return [...this.objects]
      .filter(([k]) => k.startsWith(prefix))
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([key, body]) => ({
        key,
        time: 0,
        size: body.length,
        etag: crypto.createHash('md5').update(body).digest('hex'),
      }));
  }
  async folders(): Promise<{ folders: string[]; objects: BucketObject[] }> {
    return { folders: [], objects: [] };
  }
  async get(key: string): Promise<Buffer | null> {
    this.gets++;
    return this.objects.get(key) ?? null;
  }
}

describe('drill reports from the bucket', () => {
  it('trusts a report only when its signed manifest covers it and the pinned key signed it', async () => {
    const agent = generateEd25519KeyPair();
    const pinned = openSshPublicKeyLine(agent.publicKey);
    const other = openSshPublicKeyLine(generateEd25519KeyPair().publicKey);
    const drill = sampleDrill('drill-20250331T023000Z', { passed: true });
    const built = await buildReportBundle({
      result: drill,
      evidence: sampleEvidence(),
      previous: null,
      privateKeyPem: agent.privateKeyPem,
    });
    const file = (name: string) => Buffer.from(built.files.get(name) as Uint8Array);
    const files: Parameters<typeof checkDrillReport>[2] = {
      report: file('report.json'),
      manifest: file('MANIFEST.sha256'),
      signature: file('MANIFEST.sha256.sig'),
    };
    const signature = file('MANIFEST.sha256.sig');
    const check = (f: typeof files, key: string | null, serverId = SERVER_ID) =>
      checkDrillReport(serverId, drill.drillId, f, { current: key, retired: [] });
    expect(check(files, pinned)).toMatchObject({
      drillId: drill.drillId,
      passed: true,
      backupLabel: '20250331-020000F',
      signature: 'valid',
    });
    expect(check(files, other)?.signature).toBe('invalid');
    expect(check(files, null)?.signature).toBe('no-pinned-key');
    expect(check({ ...files, signature: null }, pinned)?.signature).toBe('missing');
    // report.json changed after signing (a better RPO): no longer the bytes the manifest lists.
    const json = JSON.parse(files.report.toString('utf8'));
    const forged = Buffer.from(
      JSON.stringify({ ...json, drill: { ...json.drill, rpoSeconds: 1 } }),
    );
    expect(check({ ...files, report: forged }, pinned)?.signature).toBe('invalid');
    // Another server's report under this server's prefix is no report of this server.
    expect(check(files, pinned, 'another-server')).toBeNull();

    const bucket = new MemoryBucket();
    const prefix = `kumiko/${SERVER_ID}/drills/${drill.drillId}/`;
    for (const [name, bytes] of built.files) {
      if (name !== 'MANIFEST.sha256.sig') bucket.put(`${prefix}${name}`, bytes);
    }
    // Mid-upload (no signature yet): read, not trusted; read again once the signature is there.
    const first = await syncDrillReports(bucket, SERVER_ID, { current: pinned, retired: [] }, {});
    expect(first[drill.drillId]?.report?.signature).toBe('missing');
    bucket.put(`${prefix}MANIFEST.sha256.sig`, signature);
    const second = await syncDrillReports(
      bucket,
      SERVER_ID,
      { current: pinned, retired: [] },
      first,
    );
    expect(second[drill.drillId]?.report?.signature).toBe('valid');
    const gets = bucket.gets;
    const third = await syncDrillReports(
      bucket,
      SERVER_ID,
      { current: pinned, retired: [] },
      second,
    );
    expect(bucket.gets).toBe(gets); // unchanged: nothing read again
    expect(third).toEqual(second);
    // A new pinned key: checked again.
    const fourth = await syncDrillReports(
      bucket,
      SERVER_ID,
      { current: other, retired: [] },
      third,
    );
    expect(fourth[drill.drillId]?.report?.signature).toBe('invalid');
  });
});
