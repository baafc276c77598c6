import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { handoverFile } from '../../electron/services/rebuild/handover-file';
import { writeHandover } from '../../electron/services/rebuild/handover-report';
import type { SecretStore } from '../../electron/services/secrets/secret-store';
import type { RebuildResult } from '../../shared/contract';

// The console's hand-over verdict (issue 19 §3): the report as signed verifies; a report
// changed after signing, or a signature by another key, does not.

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'handover-file-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function memorySecrets(): SecretStore {
  const map = new Map<string, string>();
  return {
    kind: 'memory',
    get: async (k) => map.get(k) ?? null,
    set: async (k, v) => void map.set(k, v),
    delete: async (k) => void map.delete(k),
  };
}

const base: Omit<RebuildResult, 'handover'> = {
  sourceServerId: '7f1c2a57-4d0e-4b8e-9a43-1f0c6b9c2d11',
  serverId: '2b9e4f61-7c3d-4a58-b0e2-9f8d7c6b5a43',
  dataDirectory: '/var/lib/postgresql/15/main',
  port: 5432,
  restoredUpTo: '2026-11-26T14:00:00.000Z',
  baseBackup: '20261126-010000F',
  rtoSeconds: 612.3,
  seconds: {},
  checks: [],
  files: [],
  leftToAdmin: [],
  resumed: false,
};

async function signed(secrets: SecretStore, id: string): Promise<RebuildResult> {
  return { ...base, handover: await writeHandover(dir, secrets, id, base) };
}

describe('rebuild hand-over file', () => {
  it('verifies the report as signed and hands its three files over as one zip', async () => {
    const secrets = memorySecrets();
    const file = await handoverFile(secrets, await signed(secrets, 'r1'));
    expect(file.verdict).toBe('valid');
    const zip = Buffer.from(file.file.base64, 'base64');
    expect(zip.subarray(0, 2).toString()).toBe('PK');
    for (const name of ['handover.json', 'MANIFEST.sha256', 'MANIFEST.sha256.sig']) {
      expect(zip.includes(Buffer.from(name))).toBe(true);
    }
  });

  it('says invalid for a report changed after signing', async () => {
    const secrets = memorySecrets();
    const result = await signed(secrets, 'r2');
    const report = path.join(result.handover.directory, 'handover.json');
    fs.writeFileSync(report, fs.readFileSync(report, 'utf8').replace('612.3', '61.2'));
    expect((await handoverFile(secrets, result)).verdict).toBe('invalid');
  });

  it('says invalid for a report signed by another key than this console’s', async () => {
    const result = await signed(memorySecrets(), 'r3');
    const other = memorySecrets();
    await signed(other, 'r4');
    expect((await handoverFile(other, result)).verdict).toBe('invalid');
  });

  it('refuses a job result that is no hand-over', async () => {
    await expect(handoverFile(memorySecrets(), { rtoSeconds: 1 })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});
