import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentsRepo } from '../../electron/services/agent-install/agents-repo';
import { reportFile, verifyReportFile } from '../../electron/services/reports/report-transfer';
import { ReportsService } from '../../electron/services/reports/reports-service';
import { readZip } from '../../electron/services/reports/zip-reader';
import { zipArchive } from '../../electron/services/reports/zip-writer';
import { openVault } from '../../electron/services/secrets/vault';
import { openDatabase, type Db } from '../../electron/services/store/database';
import { ServersRepo } from '../../electron/services/store/servers-repo';
import { sha256 } from '../../node/report/node-crypto';
import { writeReportBundle } from '../../node/report/write-bundle';
import { generateEd25519KeyPair } from '../../node/signing';
import type { ReportVerification } from '../../shared/contract';
import { keyFingerprint } from '../../shared/report/keys';
import { openSshPublicKeyLine } from '../../shared/sshsig/sshsig';
import { sampleDrill, sampleEvidence, SERVER_ID } from './report-fixtures';

// Saving a report from the console and verifying a picked zip (issue 16 §5): the bytes travel
// as base64 (browser mode has no paths); the zip is the one `kumiko report export` writes and
// verifies against the pinned agent key, names the file that was changed, and leaves nothing
// behind in the data folder.

const agentKey = generateEd25519KeyPair();
const agentLine = openSshPublicKeyLine(agentKey.publicKey, `kumiko-agent@${SERVER_ID}`);
const DRILL = 'drill-2025-03-31';
let dir: string;
let dataDir: string;
let db: Db;
let reports: ReportsService;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kumiko-report-transfer-'));
  dataDir = path.join(dir, 'data');
  db = openDatabase(dataDir);
  new ServersRepo(db).insert({
    id: SERVER_ID,
    name: 'erp-db-01',
    host: '127.0.0.1',
    port: 22,
    user: 'kumiko',
    authKind: 'generate',
    publicKey: null,
  });
  const agents = new AgentsRepo(db);
  agents.save({
    serverId: SERVER_ID,
    version: '0.1.0',
    stanza: 'main',
    dataDirectory: '/var/lib/postgresql/15/main',
    scheduler: 'systemd',
    publicKey: agentLine,
    settings: {},
    installedAt: '2025-01-01T00:00:00.000Z',
  });
  reports = new ReportsService({
    db,
    dataDir,
    agent: { installed: (id) => agents.get(id) },
    servers: { get: () => ({ name: 'erp-db-01' }) as never },
    secrets: await openVault(path.join(dataDir, 'secrets.vault'), 'transfer-test-passphrase'),
    appVersion: '0.1.0',
  });
  const bundle = path.join(dir, 'from-agent', DRILL);
  await writeReportBundle(bundle, {
    result: sampleDrill(DRILL),
    evidence: sampleEvidence(),
    previous: null,
    privateKeyPem: agentKey.privateKeyPem,
  });
  await reports.archive(bundle);
});

afterAll(() => {
  db?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

async function verifyBytes(fileName: string, bytes: Buffer): Promise<ReportVerification> {
  return verifyReportFile(reports, dataDir, { fileName, base64: bytes.toString('base64') });
}

describe('saving a report from the console', () => {
  it('gives the bundle zip, which verifies against the pinned agent key', async () => {
    const file = await reportFile(reports, { serverId: SERVER_ID, drillId: DRILL, format: 'zip' });
    expect(file.fileName).toBe(`kumiko-erp-db-01-${DRILL}.zip`);
    const zip = Buffer.from(file.base64, 'base64');
    expect(zip.length).toBe(file.bytes);
    expect(file.sha256).toBe(Buffer.from(sha256(zip)).toString('hex'));
    const names = [...readZip(zip).files.keys()];
    expect(names.some((n) => n.endsWith(`/${DRILL}/MANIFEST.sha256`))).toBe(true);
    expect(names.some((n) => n.endsWith('/summary.json'))).toBe(true);

    const result = await verifyBytes(file.fileName, zip);
    expect(result.status).toBe('valid');
    expect(result.path).toBe(file.fileName);
    const [signature] = result.bundles[0]!.signatures;
    expect(signature).toMatchObject({ role: 'primary', valid: true, trust: 'pinned' });
    expect(signature!.fingerprint).toBe(keyFingerprint(agentLine, sha256));
  });

  it('gives the signed report.json', async () => {
    const file = await reportFile(reports, {
      serverId: SERVER_ID,
      drillId: DRILL,
      format: 'json',
    });
    expect(file.fileName).toBe(`kumiko-erp-db-01-${DRILL}-report.json`);
    const report = JSON.parse(Buffer.from(file.base64, 'base64').toString('utf8'));
    expect(report.drill.drillId).toBe(DRILL);
  });

  it('answers NOT_FOUND for a report the archive does not hold', async () => {
    for (const format of ['zip', 'json'] as const) {
      await expect(
        reportFile(reports, { serverId: SERVER_ID, drillId: 'drill-none', format }),
      ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    }
  });
});

describe('verifying a picked file', () => {
  it('names the changed file of a tampered zip, and never the temporary path', async () => {
    const file = await reportFile(reports, { serverId: SERVER_ID, drillId: DRILL, format: 'zip' });
    const entries = [...readZip(Buffer.from(file.base64, 'base64')).files].map(([name, data]) => ({
      name,
      data: name.endsWith('/report.pdf')
        ? Buffer.concat([Buffer.from(data), Buffer.from(' ')])
        : Buffer.from(data),
    }));
    const result = await verifyBytes('tampered.zip', zipArchive(entries, new Date()));
    expect(result.status).toBe('invalid');
    const problems = result.bundles.flatMap((b) => b.problems);
    expect(problems).toContainEqual(
      expect.objectContaining({ code: 'hash-mismatch', file: 'report.pdf' }),
    );
    const text = JSON.stringify(result);
    expect(text).toContain('tampered.zip');
    expect(text).not.toContain(path.join(dataDir, 'tmp'));
    expect(fs.readdirSync(path.join(dataDir, 'tmp'))).toEqual([]);
  });

  it('says a signer the console has no key for is not trusted, and trusts a key the auditor adds', async () => {
    const other = generateEd25519KeyPair();
    const otherLine = openSshPublicKeyLine(other.publicKey, 'kumiko-agent@elsewhere');
    const foreign = path.join(dir, 'foreign', DRILL);
    await writeReportBundle(foreign, {
      result: sampleDrill(DRILL, { server: { id: 'other-server', name: 'elsewhere' } }),
      evidence: sampleEvidence(),
      previous: null,
      privateKeyPem: other.privateKeyPem,
    });
    const files = fs
      .readdirSync(foreign, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => {
        const full = path.join(e.parentPath, e.name);
        return { name: `${DRILL}/${path.relative(foreign, full)}`, data: fs.readFileSync(full) };
      });
    const zip = zipArchive(files, new Date());
    expect((await verifyBytes('foreign.zip', zip)).status).toBe('untrusted-signer');
    const withKey = await verifyReportFile(reports, dataDir, {
      fileName: 'foreign.zip',
      base64: zip.toString('base64'),
      keys: otherLine,
    });
    expect(withKey.status).toBe('valid');
  });

  it('refuses bytes that are not a zip with a sentence that says what to pick', async () => {
    await expect(verifyBytes('report.pdf', Buffer.from('%PDF-1.7\n'))).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('is not a zip file'),
    });
  });
});
