import { describe, expect, it } from 'vitest';
import { kitSections, type KitInput } from '../../electron/services/recovery-kit/kit-content';
import { parseKitText } from '../../electron/services/recovery-kit/kit-parse';
import { renderKitText } from '../../electron/services/recovery-kit/kit-text';
import { KitValues } from '../../shared/contract';

// Issue 19 §1: a fresh console reads the values of a kit back from its text copy, exactly as
// the kit printed them (the longest values a real kit carries, a private CA, the ledger key);
// a value the text lacks is named so it can be typed, never guessed.

const SERVER_ID = '3f2b9c4e-1d7a-4e8b-9c6f-0a1b2c3d4e5f';
const BUCKET = 'acme-production-backups-eu-central-1-kumiko-recovery-archive-01';
const CA =
  '-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIUQx/y+z-Abc\nZm9v/ba+r==\n-----END CERTIFICATE-----\n';
const AGENT_FP = 'SHA256:c5yK8LngHwBPDpuY/yGARzsGvbfvSLsUZaOLhnJyqb8';

function input(over: Partial<KitInput> = {}): KitInput {
  return {
    serverName: 'db1 (Buchhaltung)',
    serverId: SERVER_ID,
    stanza: 'main',
    pgVersion: '15',
    dataDirectory: '/var/lib/postgresql/15/main',
    storage: {
      endpoint: 'https://s3.eu-central-1.amazonaws.com',
      bucket: BUCKET,
      region: 'eu-central-1',
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY+a',
      ownStorage: false,
      caCertificate: CA,
    },
    cipherPass: 'q-3_Zr8-kLm_Xw2-Np9_Vb4-Tc6_Yd1-Hs5_Je7-Gf0_Ua3-Bo',
    resticPassword: "R-7_mK2-pQ9_wX4-zL6_n'B1",
    ledgerKey: 'd28bb49444e28cc63dc0358763c784c14d72d58378a914a8225e852dece1d91f',
    repoPath: `/kumiko/${SERVER_ID}/pgbackrest`,
    resticRepository: `s3:https://s3.eu-central-1.amazonaws.com/${BUCKET}/kumiko/${SERVER_ID}/restic`,
    createdAt: new Date('2026-05-11T12:00:00Z'),
    restore: {
      directory: '/var/lib/postgresql/15/kumiko-restore',
      port: 5499,
      productionPort: 5432,
      pgBin: '/usr/lib/postgresql/15/bin',
      pgBinOther: '/usr/pgsql-15/bin',
    },
    signingKeys: [
      { principal: `kumiko-agent@${SERVER_ID}`, fingerprint: AGENT_FP },
      { principal: 'kumiko-app@laptop', fingerprint: `SHA256:${'B'.repeat(43)}` },
    ],
    ...over,
  };
}

const text = (k: KitInput) => renderKitText('Kumiko Recovery — Recovery kit', kitSections(k));

describe('reading a recovery kit back from its text copy', () => {
  it('finds every value the kit printed, exactly', () => {
    const k = input();
    const { values, missing } = parseKitText(text(k));
    expect(missing).toEqual([]);
    expect(KitValues.parse(values)).toEqual({
      serverId: SERVER_ID,
      serverName: 'db1 (Buchhaltung)',
      pgVersion: '15',
      dataDirectory: '/var/lib/postgresql/15/main',
      stanza: 'main',
      endpoint: k.storage.endpoint,
      bucket: BUCKET,
      region: 'eu-central-1',
      accessKeyId: k.storage.accessKeyId,
      secretAccessKey: k.storage.secretAccessKey,
      caCertificate: CA,
      repoPath: k.repoPath,
      cipherPass: k.cipherPass,
      resticPassword: k.resticPassword,
      ledgerKey: k.ledgerKey,
      // The agent's key, not the app's printed after it.
      agentKeyFingerprint: AGENT_FP,
    });
  });

  it('takes a kit without CA and ledger key, and names what a damaged kit lacks', () => {
    const plain = parseKitText(
      text(input({ ledgerKey: null, storage: { ...input().storage, caCertificate: undefined } })),
    );
    expect(plain.missing).toEqual([]);
    expect(plain.values.caCertificate).toBeUndefined();
    expect(plain.values.ledgerKey).toBeUndefined();
    const damaged = parseKitText(
      text(input({ signingKeys: [] })).replace(/^restic password:$/m, 'restic pass:'),
    );
    expect(damaged.missing.sort()).toEqual(['agentKeyFingerprint', 'resticPassword']);
  });
});
