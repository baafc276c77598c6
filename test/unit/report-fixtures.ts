import type { DrillResult } from '../../shared/report/drill-result';

// A sample finished drill and its evidence, shared by the report unit and integration tests.

export const SERVER_ID = '6f1c2a1e-3b9d-4a53-9d2e-0c8f5e7a1b24';

/** A passed drill with every known check; `overrides` change top-level fields. */
export function sampleDrill(
  drillId = 'drill-2025-03-31',
  overrides: Partial<DrillResult> = {},
): DrillResult {
  const check = (id: string, title: string, evidence: string[], detail: string) => ({
    id,
    title,
    passed: true,
    detail,
    evidence,
  });
  return {
    drillId,
    server: { id: SERVER_ID, name: 'erp-db-01' },
    startedAt: '2025-03-31T02:30:00.000Z',
    finishedAt: '2025-03-31T02:34:31.000Z',
    passed: true,
    rtoSeconds: 252,
    rpoSeconds: 47,
    newestRestorableAt: '2025-03-31T02:29:13.000Z',
    restored: {
      backupLabel: '20250331-020000F',
      targetTime: null,
      resticSnapshotId: '3f9a1c7e',
      databaseBytes: 1_610_612_736,
      attachedFilesBytes: 52_428_800,
    },
    environment: 'erp-db-01, scratch cluster on port 55432',
    checks: [
      check(
        'cluster-starts',
        'Cluster starts and accepts connections',
        ['cluster-start.log'],
        'pg_isready answered after 3.1 s; promoted at 02:33:12.',
      ),
      check(
        'amcheck',
        'pg_amcheck: no corruption',
        ['amcheck.txt'],
        '412 relations checked, 0 corrupt.',
      ),
      check(
        'manifest-match',
        'Row counts and checksums match the manifest',
        ['manifest-compare.json'],
        '58 tables, 1 204 331 rows: all equal.',
      ),
      check(
        'files-hash',
        'Attached files match the restic snapshot',
        ['files-hash.txt'],
        '1 530 files, 50 MiB: all hashes equal.',
      ),
      check(
        'restic-check',
        'restic check --read-data-subset 5%',
        ['restic-check.txt'],
        'no errors were found',
      ),
      check(
        'pgbackrest-verify',
        'pgbackrest verify is clean',
        ['pgbackrest-verify.txt', 'pgbackrest-info.json'],
        'status ok, 0 invalid files.',
      ),
      check(
        'smoke-checks',
        'Smoke checks (3 queries)',
        ['smoke-checks.json'],
        '3 of 3 queries returned the expected result.',
      ),
      check(
        'gdpr-ledger-replay',
        'GDPR erasure ledger replayed',
        ['gdpr-replay.txt'],
        '2 erasures re-applied.',
      ),
    ],
    signer: 'agent',
    software: { app: null, agent: '0.1.0' },
    ...overrides,
  };
}

/** Evidence files for {@link sampleDrill}. */
export function sampleEvidence(): Record<string, string> {
  const amcheck = Array.from(
    { length: 40 },
    (_, i) => `btree index "public.idx_${i}": checked, 0 errors`,
  ).join('\n');
  return {
    'cluster-start.log':
      '2025-03-31 02:33:09 UTC LOG:  database system is ready to accept connections\n',
    'amcheck.txt': `${amcheck}\n412 relations checked, 0 corrupt\n`,
    'manifest-compare.json': '{\n  "tables": 58,\n  "rows": 1204331,\n  "mismatches": []\n}\n',
    'files-hash.txt': '1530 files, 52428800 bytes, 0 mismatches\n',
    'restic-check.txt': 'using temporary cache\nread 5% of data packs\nno errors were found\n',
    'pgbackrest-verify.txt':
      'P00   INFO: verify command begin 2.45\nP00   INFO: stanza: main\n    status: ok\n',
    'pgbackrest-info.json':
      '[{"name":"main","status":{"code":0,"message":"ok"},"backup":[{"label":"20250331-020000F"}]}]\n',
    'smoke-checks.json':
      '[{"sql":"select count(*) from invoices","expected":"1042","actual":"1042"}]\n',
    'gdpr-replay.txt': 'replayed 2 erasures (ledger head 7c1e…)\n',
  };
}
