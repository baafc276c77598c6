import crypto from 'node:crypto';
import fs from 'node:fs';
import type { AgentConfig } from '../../shared/agent/config';
import { bucketLayout } from '../../shared/agent/bucket-layout';
import type { PreviousReport } from '../../shared/report/bundle-plan';
import { BUNDLE_FILES } from '../../shared/report/bundle-layout';
import type { DrillResult } from '../../shared/report/drill-result';
import { pgbackrestOption } from '../engines/pgbackrest-conf';
import type { Bucket } from '../engines/s3';
import { buildReportBundle } from '../../node/report/write-bundle';
import { configSecrets } from '../runtime/config-file';
import type { AgentState } from '../runtime/state';

/**
 * The report the next one chains to: the agent's state remembers the last one it uploaded;
 * without that (state lost, a new server install over an old bucket) the newest complete
 * bundle in the bucket, whose MANIFEST.sha256 is hashed as downloaded.
 */
export async function previousReport(
  state: AgentState,
  bucket: Bucket,
  serverId: string,
): Promise<PreviousReport | null> {
  const last = state.lastDrill;
  if (last) {
    return { drillId: last.drillId, manifestSha256: last.manifestSha256, sequence: last.sequence };
  }
  const prefix = bucketLayout.drillsPrefix(serverId);
  const keys = new Set(await bucket.list(prefix));
  const ids = [...new Set([...keys].map((k) => k.slice(prefix.length).split('/')[0] ?? ''))]
    .filter((id) => id !== '')
    .sort()
    .reverse();
  // Drill ids sort by time; the newest bundle whose signature made it up is the chain's end.
  for (const drillId of ids) {
    const at = (file: string): string => `${prefix}${drillId}/${file}`;
    if (
      ![BUNDLE_FILES.signature, BUNDLE_FILES.manifest, BUNDLE_FILES.reportJson].every((f) =>
        keys.has(at(f)),
      )
    ) {
      continue;
    }
    const [manifest, report] = await Promise.all([
      bucket.get(at(BUNDLE_FILES.manifest)),
      bucket.get(at(BUNDLE_FILES.reportJson)),
    ]);
    if (!manifest || !report) continue;
    const sequence = (JSON.parse(report.toString('utf8')) as { chain?: { sequence?: unknown } })
      .chain?.sequence;
    if (typeof sequence !== 'number' || !Number.isInteger(sequence) || sequence < 1) continue;
    return {
      drillId,
      manifestSha256: crypto.createHash('sha256').update(manifest).digest('hex'),
      sequence,
    };
  }
  return null;
}

/**
 * Every secret the agent can reach: the config's keys, the repository cipher passphrase and the
 * restic password. The bundle writer refuses a report that contains any of them.
 */
export function drillSecrets(config: AgentConfig): string[] {
  const secrets = [...configSecrets(config)];
  const read = (get: () => string | undefined): void => {
    try {
      const value = get()?.trim();
      if (value) secrets.push(value);
    } catch {
      // Not readable: then no tool could have printed it either.
    }
  };
  read(() => pgbackrestOption(config.pgbackrest.configPath, config.stanza, 'repo1-cipher-pass'));
  read(() => fs.readFileSync(config.restic.passwordFile, 'utf8'));
  return secrets;
}

const contentType = (file: string): string =>
  file.endsWith('.json')
    ? 'application/json'
    : file.endsWith('.pdf')
      ? 'application/pdf'
      : 'text/plain';

/** What was uploaded. */
export interface PublishedReport {
  bundlePrefix: string;
  manifestSha256: string;
  sequence: number;
}

/**
 * Builds the signed bundle (agent key, chained to `previous`) and uploads every file to
 * `<drillsPrefix><drillId>/…`: the signed files first, then the envelope, the signature last,
 * so a bundle with a signature is complete (the app's sync waits for it).
 */
export async function publishReport(
  config: AgentConfig,
  bucket: Bucket,
  result: DrillResult,
  evidence: ReadonlyMap<string, string>,
  previous: PreviousReport | null,
): Promise<PublishedReport> {
  const built = await buildReportBundle({
    result,
    evidence,
    previous,
    privateKeyPem: fs.readFileSync(config.signingKeyFile, 'utf8'),
    knownSecrets: drillSecrets(config),
  });
  const bundlePrefix = `${bucketLayout.drillsPrefix(config.serverId)}${result.drillId}/`;
  const envelope: string[] = [
    BUNDLE_FILES.manifest,
    BUNDLE_FILES.allowedSigners,
    BUNDLE_FILES.verifyText,
    BUNDLE_FILES.signature,
  ];
  const order = [
    ...[...built.files.keys()].filter((f) => !envelope.includes(f)),
    ...envelope.filter((f) => built.files.has(f)),
  ];
  for (const file of order) {
    await bucket.put(
      `${bundlePrefix}${file}`,
      Buffer.from(built.files.get(file) as Uint8Array),
      contentType(file),
    );
  }
  return {
    bundlePrefix,
    manifestSha256: built.manifestSha256,
    sequence: built.report.chain.sequence,
  };
}
