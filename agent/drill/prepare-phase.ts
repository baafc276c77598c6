import type { Bucket } from '../engines/s3';
import { repositoryInfo, usableStanza } from '../engines/pgbackrest';
import { readArchiver } from '../heartbeat/archiver';
import type { AgentContext } from '../runtime/context';
import { step } from '../runtime/errors';
import { EVIDENCE } from './checks';
import {
  latestRecoveryPoint,
  listManifestKeys,
  manifestKeyOf,
  type DrillRecoveryPoint,
} from './recovery-point';
import { newestRestorableMoment, type RestorableMoment } from './restorable';
import { sweepLeftovers } from './scratch-env';
import { assertApartFromProduction, drillPaths, type DrillPaths } from './scratch-paths';

/** What the drill restores and the RPO's reference moment. */
export interface PreparedDrill {
  point: DrillRecoveryPoint;
  /**
   * The repository's latest backup: what `pgbackrest restore` without --set restores (the
   * drill starts restoring it before this phase has found the point; see practise.ts).
   */
  latestLabel: string;
  restorable: RestorableMoment;
  /** pgbackrest-info.json and recovery-point.json. */
  evidence: Record<string, string>;
}

/**
 * The drill's folders: a scratch folder that cannot touch production, with the leftovers of a
 * killed drill removed first.
 * @throws AgentError when drill.scratchRoot is unusable.
 */
export async function prepareScratch(ctx: AgentContext, drillId: string): Promise<DrillPaths> {
  const paths = drillPaths(ctx.config.drill.scratchRoot, drillId);
  assertApartFromProduction(paths, ctx.config);
  await sweepLeftovers(ctx.config, ctx.config.drill.scratchRoot, ctx.log);
  return paths;
}

/**
 * The prepare phase: the latest recovery point with its manifest's signature checked, and the
 * newest restorable moment (from production's archiver, confirmed by the repository).
 * @throws AgentError when the repository is unusable or holds no recovery point with a manifest.
 */
export async function prepareDrill(ctx: AgentContext, bucket: Bucket): Promise<PreparedDrill> {
  const { config, signal } = ctx;
  // PostgreSQL down (the drill may be what shows it) only costs the archiver's precision. The
  // archiver and the bucket's manifests are asked beside the repository: the RTO clock runs.
  const archiverRead = readArchiver(config).catch(() => null);
  const manifestKeys = listManifestKeys(bucket, config.serverId);
  // Awaited (and its failure reported) by latestRecoveryPoint; this only keeps an early
  // rejection, while `info` still runs, from counting as unhandled.
  manifestKeys.catch(() => undefined);
  const info = await repositoryInfo(config, { signal });
  const stanza = usableStanza(info, 'prepare');
  const point = await step('prepare', () =>
    latestRecoveryPoint(config.serverId, manifestKeyOf(config), stanza, bucket, manifestKeys),
  );
  const archiver = await archiverRead;
  const newestBackupStop = Math.max(...stanza.backup.map((b) => b.timestamp.stop));
  const restorable = newestRestorableMoment(
    archiver,
    stanza.archive.at(-1)?.max ?? null,
    new Date(newestBackupStop * 1000),
  );
  const recoveryPoint = {
    backup: point.backup.label,
    backupType: point.backup.type,
    backupStop: new Date(point.backup.timestamp.stop * 1000).toISOString(),
    manifest: point.manifestKey,
    manifestSha256: point.manifestSha256,
    signature: point.signature,
    problem: point.problem,
    newestRestorableAt: restorable.at.toISOString(),
    newestRestorableFrom: restorable.source,
    lastArchivedWal: restorable.lastArchivedWal,
    repositoryArchiveMax: restorable.repositoryArchiveMax,
  };
  return {
    point,
    latestLabel: stanza.backup.at(-1)?.label ?? point.backup.label,
    restorable,
    evidence: {
      [EVIDENCE.info]: info.output,
      [EVIDENCE.recoveryPoint]: `${JSON.stringify(recoveryPoint, null, 2)}\n`,
    },
  };
}
