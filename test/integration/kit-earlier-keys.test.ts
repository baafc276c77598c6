import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Catalog, KitImportResult, Result } from '../../shared/contract';
import { createAppCore, type AppCore } from '../../electron/ipc/app-core';
import { parseKitText } from '../../electron/services/recovery-kit/kit-parse';
import { openVault } from '../../electron/services/secrets/vault';
import { KIT_FIELDS, kitImportRequest } from '../../renderer/stores/rebuild-model';
import { openSshPublicKeyLine } from '../../shared/sshsig/sshsig';
import { AGENT_BUNDLE } from '../harness/agent-env';
import { startInstalledAgent, type InstalledAgent } from '../harness/installed-agent';
import { NODE_RUNTIME_CACHE } from '../harness/node-runtime';
import { startWriteLoad, type WriteLoad } from '../harness/write-load';

// Day two, then the worst day: the agent is uninstalled (its signing key destroyed) and
// installed again with a new key, while the recovery points the old key signed stay in the
// bucket for their retention. Then the laptop is gone too, and a fresh console starts from the
// kit printed after the reinstall. Without the earlier key in the kit, the import refused the
// whole bucket ("do not verify against the agent key the kit pins") and three months of
// history were unrestorable from the console.

const HEADING = 'Earlier agent keys / Frühere Agentenschlüssel';

let fx: InstalledAgent;
let load: WriteLoad | undefined;
let fresh: AppCore | undefined;
let typedConsole: AppCore | undefined;
let kitText = '';
/** The first agent's public key (its base64 part). */
let firstKeyLine = '';

/** The base64 of the agent's public key, from its signing key on the "server". */
function agentKeyBlob(): string {
  const pem = fs.readFileSync(path.join(fx.remoteRoot, 'etc/kumiko-agent/agent-signing.key'));
  const jwk = crypto.createPublicKey(pem).export({ format: 'jwk' });
  return openSshPublicKeyLine(Buffer.from(jwk.x as string, 'base64url'), '').split(' ')[1]!;
}

const importKit = async (text: string) =>
  (await fresh!.dispatch('recoveryKit.import', {
    text,
    ownStorage: true,
  })) as Result<KitImportResult>;

beforeAll(async () => {
  fx = await startInstalledAgent({ chinook: false });
  load = await startWriteLoad(fx.pg, { pgbenchDb: null });
  firstKeyLine = agentKeyBlob();
  // A second point signed by the first key, with the writer committing.
  const point = await fx.runJob('point.create', { serverId: fx.serverId });
  if (point.state !== 'succeeded') throw new Error(`point: ${JSON.stringify(point.error)}`);

  const removed = await fx.runJob('agent.uninstall', { serverId: fx.serverId });
  if (removed.state !== 'succeeded') throw new Error(`uninstall: ${JSON.stringify(removed.error)}`);
  const again = await fx.runJob('agent.install', {
    serverId: fx.serverId,
    dataDirectory: fx.pg.dataDir,
    attachedPaths: fx.attachedDir ? [fx.attachedDir] : [],
    confirmRestart: true,
  });
  if (again.state !== 'succeeded') throw new Error(`reinstall: ${JSON.stringify(again.error)}`);

  const kit = await fx.call<{ textPath: string }>('recoveryKit.export', {
    serverId: fx.serverId,
    outputDirectory: path.join(fx.dir, 'kit'),
  });
  kitText = fs.readFileSync(kit.textPath, 'utf8');
  fresh = await freshConsole('fresh-console');
}, 600_000);

/** A console on a new laptop: its own data folder and vault, nothing imported yet. */
async function freshConsole(name: string): Promise<AppCore> {
  const dir = path.join(fx.dir, name);
  return createAppCore({
    dataDir: dir,
    secrets: await openVault(path.join(dir, 'secrets.vault'), name),
    transport: 'cli',
    agentBundlePath: AGENT_BUNDLE,
    nodeRuntimeCacheDir: NODE_RUNTIME_CACHE,
  });
}

afterAll(async () => {
  await load?.stop();
  await fresh?.close();
  await typedConsole?.close();
  await fx?.stop();
}, 120_000);

describe('a recovery kit printed after the agent was reinstalled', () => {
  it('carries the first agent key whole, with when it stopped signing', () => {
    const lines = kitText.split('\n');
    const section = lines.indexOf(HEADING);
    expect(section).toBeGreaterThan(0);
    const at = lines.findIndex((l, i) => i > section && l.startsWith('Signed until'));
    expect(lines[at + 1]?.split(' ')[1]).toBe(firstKeyLine);
    const until = Date.parse(/bis (\S+):$/.exec(lines[at] as string)?.[1] ?? '');
    expect(until).toBeLessThanOrEqual(Date.now());
    // The agent signs with another key since the reinstall.
    expect(agentKeyBlob()).not.toBe(firstKeyLine);
  });

  it('is refused without that section: the earlier points do not verify, and it says why', async () => {
    const start = kitText.indexOf(HEADING);
    const without = kitText.slice(0, start);
    const result = await importKit(without);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('KIT_REFUSED');
    expect(result.error.message).toMatch(/earlier agent of the server/);
    // Worded from the catalogs; the first agent signed the install's point and one more.
    expect(result.error.reason?.key).toBe('manifestsUnverified');
    expect(result.error.reason?.params?.count).toBeGreaterThanOrEqual(2);
  });

  it('imports into a fresh console with every point verified, old and new', async () => {
    const result = await importKit(kitText);
    expect(result.ok, JSON.stringify(!result.ok && result.error)).toBe(true);
    if (!result.ok) return;
    const catalog = (await fresh!.dispatch('catalog.get', {
      serverId: fx.serverId,
    })) as Result<Catalog>;
    if (!catalog.ok) throw new Error(catalog.error.message);
    const backups = catalog.value.backups;
    // Two points of the first agent (install, point.create) and the reinstall's own.
    expect(backups.length).toBeGreaterThanOrEqual(3);
    expect(result.value.verifiedManifests).toBe(backups.length);
    expect(backups.map((b) => b.manifest?.signature)).toEqual(backups.map(() => 'valid'));
  });

  it('imports from values typed off the printed sheet, the earlier key and the CA as printed', async () => {
    // What an admin with the paper alone types: each value of the sheet into its field, and
    // the "Earlier agent keys" section's lines as they stand, into the wizard's text area.
    const sheet = parseKitText(kitText).values;
    const typed = Object.fromEntries(
      KIT_FIELDS.flatMap((f) => (sheet[f] === undefined ? [] : [[f, String(sheet[f])]])),
    );
    const lines = kitText.split('\n');
    const section = lines.indexOf(HEADING);
    const earlierKeys = lines
      .slice(section + 1)
      .filter((l) => l.startsWith('Signed until') || l.startsWith('ssh-ed25519 '))
      .join('\n');
    // The test's S3 has a CA of its own: pasted into its field, as the sheet prints it.
    const request = kitImportRequest({
      text: '',
      typed,
      earlierKeys,
      caCertificate: sheet.caCertificate,
      ownStorage: true,
    });
    expect(request?.text).toBeUndefined();
    expect(request?.values?.earlierAgentKeys?.[0]?.publicKey.split(' ')[1]).toBe(firstKeyLine);
    typedConsole = await freshConsole('typed-console');
    const result = (await typedConsole.dispatch(
      'recoveryKit.import',
      request,
    )) as Result<KitImportResult>;
    expect(result.ok, JSON.stringify(!result.ok && result.error)).toBe(true);
    if (!result.ok) return;
    expect(result.value.verifiedManifests).toBe(result.value.recoveryPoints);
    expect(result.value.recoveryPoints).toBeGreaterThanOrEqual(3);
  });
});
