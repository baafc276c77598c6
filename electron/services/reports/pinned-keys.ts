import fs from 'node:fs';
import path from 'node:path';
import { ReportJson } from '../../../shared/report/report-json';
import type { VerifyTrust } from '../../../shared/report/verify';
import { AgentsRepo } from '../agent-install/agents-repo';
import { openVault } from '../secrets/vault';
import { openDatabase } from '../store/database';
import { appPublicKey } from './app-signing-key';
import { collectBundles, readTree } from './bundle-reader';

/** The report signing keys the app pinned: the verifier's trust anchor. */
export interface PinnedReportKeys {
  /** The agent signing key pinned at install for a server (OpenSSH line), or null. */
  agentKey(serverId: string): string | null;
  /** The app's own report signing key, or null (none made yet, or the vault is not open). */
  appKey: string | null;
}

/**
 * What to trust when verifying `target`: each server whose agent key the app pinned must have
 * signed its own bundles (that key, or the app's); the app's key is trusted for any bundle; the
 * auditor's keys (--key) are expected of the bundles of every other server. A bundle's own
 * allowed_signers is never among them.
 */
export async function pinnedTrust(
  target: string,
  pinned: PinnedReportKeys | null,
  auditorKeys: readonly string[],
): Promise<VerifyTrust> {
  const appKey = pinned?.appKey ?? null;
  return {
    pinnedKeys: auditorKeys,
    serverKeys: pinned ? await serverKeys(target, pinned) : {},
    knownKeys: appKey ? [appKey] : [],
  };
}

/** Pinned keys per server id named by a report.json under `target` (agent key + app key). */
async function serverKeys(
  target: string,
  pinned: PinnedReportKeys,
): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  let tree;
  try {
    tree = await readTree(target);
  } catch {
    return out; // verification reports the read error
  }
  for (const bundle of collectBundles(tree, target).bundles) {
    const serverId = serverIdOf(bundle.files);
    if (!serverId || out[serverId]) continue;
    const agentKey = pinned.agentKey(serverId);
    if (agentKey) out[serverId] = [agentKey, ...(pinned.appKey ? [pinned.appKey] : [])];
  }
  return out;
}

function serverIdOf(files: ReadonlyMap<string, Uint8Array>): string | null {
  const bytes = files.get('report.json');
  if (!bytes) return null;
  try {
    return ReportJson.parse(JSON.parse(Buffer.from(bytes).toString('utf8'))).drill.server.id;
  } catch {
    return null;
  }
}

/** Pinned keys read from a data folder, what could not be read, and how to let go of it. */
export interface StoredReportKeys {
  keys: PinnedReportKeys;
  /** Why part of the trust anchor is missing (e.g. the vault stayed locked). */
  notes: string[];
  close(): void;
}

/**
 * Reads the pinned keys from the app's data folder without creating anything there: agent
 * keys from the SQLite store (public keys, no vault needed), the app's own key from the vault
 * when `passphrase` (asked only when there is a vault) gives one. Null without an app store.
 */
export async function readStoredReportKeys(
  dataDir: string,
  passphrase: () => Promise<string | null>,
): Promise<StoredReportKeys | null> {
  if (!fs.existsSync(path.join(dataDir, 'kumiko.db'))) return null;
  const db = openDatabase(dataDir);
  const agents = new AgentsRepo(db);
  const notes: string[] = [];
  let appKey: string | null = null;
  const vaultFile = path.join(dataDir, 'secrets.vault');
  const secret = fs.existsSync(vaultFile) ? await passphrase() : undefined;
  if (secret === undefined) {
    // No vault, no app key: nothing to note.
  } else if (secret === null) {
    notes.push(
      "the vault is locked (KUMIKO_VAULT_PASSPHRASE not set): the app's own key is not used",
    );
  } else {
    try {
      appKey = await appPublicKey(await openVault(vaultFile, secret));
    } catch (error) {
      notes.push(
        `the vault did not open (${(error as Error).message}): the app's own key is not used`,
      );
    }
  }
  return {
    keys: { agentKey: (id) => agents.get(id)?.publicKey ?? null, appKey },
    notes,
    close: () => db.close(),
  };
}
