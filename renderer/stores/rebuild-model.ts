import type { Job, Server } from '../../shared/contract/domain';
import {
  ED25519_KEY_LINE,
  type KitImportRequest,
  type KitValues,
} from '../../shared/contract/kit-import';
import type { RebuildRequest, RebuildResult } from '../../shared/contract/rebuild';
import { toRecoveryTarget, type TargetDraft } from './restore-model';

// The disaster-recovery wizard's pure parts (issue 19): its steps, what the admin chose turned
// into the contract's requests, and which rebuild job the console should show on opening.

export const REBUILD_STEPS = ['kit', 'target', 'host', 'plan', 'run', 'handover'] as const;
export type RebuildStep = (typeof REBUILD_STEPS)[number];

export const REBUILD_JOB_KIND = 'rebuild.start';

/** A server known only from its kit has this host name (kit-import-service.ts RETIRED_HOST). */
export const RETIRED_HOST = 'retired.invalid';

/** What to restore, as chosen: the restore wizard's draft (a moment, a point, the latest). */
export type RebuildTargetDraft = TargetDraft;

/** The kit's values the admin can type from the printed sheet, in the sheet's order. */
export const KIT_FIELDS = [
  'serverId',
  'serverName',
  'pgVersion',
  'dataDirectory',
  'stanza',
  'endpoint',
  'bucket',
  'region',
  'accessKeyId',
  'secretAccessKey',
  'repoPath',
  'cipherPass',
  'resticPassword',
  'ledgerKey',
  'agentKeyFingerprint',
] as const satisfies readonly (keyof KitValues)[];
export type KitField = (typeof KIT_FIELDS)[number];

/** Secrets among the typed values: shown as password fields, never echoed. */
export const SECRET_KIT_FIELDS: ReadonlySet<KitField> = new Set([
  'secretAccessKey',
  'cipherPass',
  'resticPassword',
  'ledgerKey',
]);

export interface KitDraft {
  text: string;
  typed: Partial<Record<KitField, string>>;
  /** The sheet's "Earlier agent keys" section as typed (see parseTypedEarlierKeys). */
  earlierKeys?: string;
  /** The storage's own CA certificate (PEM), pasted or typed: storage with a private CA. */
  caCertificate?: string;
  ownStorage: boolean;
}

type EarlierAgentKey = NonNullable<KitValues['earlierAgentKeys']>[number];

const ISO_MOMENT = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z/;
const ED25519_KEY = new RegExp(ED25519_KEY_LINE);

/**
 * The earlier agents' keys typed from the sheet, as it prints them: a "Signed until /
 * Signierte bis <moment>:" line, then the key line (`ssh-ed25519 …`); both on one line works
 * too. A server whose agent was reinstalled has recovery points signed by the earlier key: a
 * kit typed without it cannot verify them. Lines that pair up with nothing are `unreadable`
 * (1-based), so the form names them instead of importing without those keys.
 */
export function parseTypedEarlierKeys(text: string): {
  keys: EarlierAgentKey[];
  unreadable: number[];
} {
  const keys: EarlierAgentKey[] = [];
  const unreadable: number[] = [];
  let pending: { retiredAt: string; line: number } | null = null;
  const lines = text.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const line = (lines[index] as string).trim();
    if (!line) continue;
    const moment = ISO_MOMENT.exec(line)?.[0];
    const key = ED25519_KEY.exec(line)?.[0];
    if (key) {
      const retiredAt = moment ?? pending?.retiredAt;
      if (retiredAt) keys.push({ publicKey: key, retiredAt });
      else unreadable.push(index + 1);
      if (moment && pending) unreadable.push(pending.line);
      pending = null;
    } else if (moment) {
      if (pending) unreadable.push(pending.line);
      pending = { retiredAt: moment, line: index + 1 };
    } else {
      unreadable.push(index + 1);
    }
  }
  if (pending) unreadable.push(pending.line);
  return { keys, unreadable: unreadable.sort((a, b) => a - b) };
}

/** The import request: the text copy when there is one, typed values (trimmed) on top. */
export function kitImportRequest(draft: KitDraft): KitImportRequest | null {
  const values: Partial<KitValues> = {};
  for (const field of KIT_FIELDS) {
    const value = draft.typed[field]?.trim();
    if (value) values[field] = value;
  }
  const earlier = parseTypedEarlierKeys(draft.earlierKeys ?? '').keys;
  if (earlier.length > 0) values.earlierAgentKeys = earlier;
  const ca = draft.caCertificate?.trim();
  if (ca) values.caCertificate = `${ca}\n`;
  const text = draft.text.trim();
  if (!text && Object.keys(values).length === 0) return null;
  return {
    ...(text ? { text } : {}),
    ...(Object.keys(values).length > 0 ? { values } : {}),
    ownStorage: draft.ownStorage,
  };
}

/** A port as typed: a whole number 1–65535, else null. */
export function parsePort(text: string): number | null {
  if (!/^\d{1,5}$/.test(text.trim())) return null;
  const port = Number(text);
  return port >= 1 && port <= 65535 ? port : null;
}

export function rebuildRequest(
  sourceId: string | null,
  target: RebuildTargetDraft,
  hostId: string | null,
  port: string,
): RebuildRequest | null {
  const recovery = toRecoveryTarget(target);
  const portNumber = parsePort(port);
  if (!sourceId || !hostId || !recovery || portNumber === null) return null;
  return { serverId: sourceId, target: recovery, hostId, port: portNumber };
}

/** Servers imported from their kit: the ones a rebuild restores. */
export function retiredServers(servers: readonly Server[]): Server[] {
  return servers.filter((s) => s.host === RETIRED_HOST);
}

/** Hosts a rebuild can go to: connected (detected) servers that are not retired. */
export function hostCandidates(servers: readonly Server[]): Server[] {
  return servers.filter((s) => s.host !== RETIRED_HOST && s.detection !== null);
}

/**
 * The rebuild the console shows on opening: the newest rebuild job, when it still runs or
 * ended unfinished (failed or interrupted: `rebuild.resume` goes on where it stopped). A
 * cancelled or finished one is not offered again.
 */
export function unfinishedRebuild(jobs: readonly Job[]): Job | null {
  const rebuilds = jobs
    .filter((j) => j.kind === REBUILD_JOB_KIND)
    .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
  const newest = rebuilds[0];
  if (!newest) return null;
  return ['queued', 'running', 'failed', 'interrupted'].includes(newest.state) ? newest : null;
}

/** A finished rebuild job's result, when it has the contract's shape. */
export function rebuildResultOf(job: Pick<Job, 'result'>): RebuildResult | null {
  const r = job.result as Partial<RebuildResult> | null;
  return r && typeof r.rtoSeconds === 'number' && r.handover ? (r as RebuildResult) : null;
}
