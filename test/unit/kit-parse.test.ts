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

describe("the earlier agents' keys in the kit", () => {
  // An uninstall destroys the agent's key and a reinstall makes a new one; the points the old
  // key signed stay in the bucket. A console rebuilt from the kit needs the old keys whole.
  const OLD_A = `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${'A'.repeat(43)} kumiko-agent@${SERVER_ID}`;
  const OLD_B = `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${'b'.repeat(43)}`;
  const earlier = [
    { publicKey: OLD_A, retiredAt: '2026-04-02T08:15:00.000Z' },
    { publicKey: OLD_B, retiredAt: '2026-05-01T10:00:00.000Z' },
  ];

  it('prints each whole key with when it stopped signing, and reads them back exactly', () => {
    const printed = text(input({ earlierAgentKeys: earlier }));
    expect(printed).toContain(`Signed until / Signierte bis 2026-04-02T08:15:00.000Z:\n${OLD_A}\n`);
    const { values, missing } = parseKitText(printed);
    expect(missing).toEqual([]);
    expect(KitValues.parse(values).earlierAgentKeys).toEqual(earlier);
    // The current agent's fingerprint is still the one pinned.
    expect(values.agentKeyFingerprint).toBe(AGENT_FP);
  });

  it('has no such section for a server that only ever had one agent', () => {
    const printed = text(input());
    expect(printed).not.toContain('Earlier agent keys');
    expect(parseKitText(printed).values.earlierAgentKeys).toBeUndefined();
  });

  it('refuses a damaged key line rather than trusting it', () => {
    const printed = text(input({ earlierAgentKeys: earlier })).replace(OLD_B, `${OLD_B}$(id)`);
    expect(KitValues.safeParse(parseKitText(printed).values).success).toBe(false);
  });
});
