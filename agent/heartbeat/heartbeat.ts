import { bucketLayout } from '../../shared/agent/bucket-layout';
import { Heartbeat } from '../../shared/agent/heartbeat';
import { activeConditions } from '../alerts/conditions';
import { channelIds, deliverOutbox } from '../alerts/deliver';
import {
  readIncidents,
  reconcile,
  writeIncidents,
  type Transitions,
} from '../alerts/incident-store';
import { pingPushMonitor } from '../alerts/webhook';
import { openBucket } from '../engines/s3';
import type { AgentContext } from '../runtime/context';
import { errorMessage } from '../runtime/errors';
import { writeJsonFile } from '../runtime/json-file';
import { acquirePidLock } from '../runtime/pid';
import { checkBucketProtection, storedBucketProtection } from './bucket-protection';
import { collectHeartbeat } from './collect';

/** What one heartbeat run did. */
export interface HeartbeatRun {
  heartbeat: Heartbeat;
  transitions: Transitions;
  /** Steps that failed (upload, push monitor); alerts were still evaluated. */
  problems: string[];
}

/**
 * How long the heartbeat's upload may take. With the network to the bucket cut, a request is
 * never answered, and the S3 client's own timeouts did not end it: a heartbeat hung for
 * minutes (seen in the fault suite's partition, test/faults/s3-slow-partition.test.ts).
 */
export const HEARTBEAT_UPLOAD_TIMEOUT_MS = 20_000;

/**
 * The heartbeat: collect, open/resolve incidents, write stateDir/heartbeat.json, upload it to
 * the bucket while sending queued alert notices, and ping the push monitor when all is well.
 * Every step runs even when an earlier one failed: with S3 down, the upload fails but the
 * alert about it must still go out.
 * Steps that failed are returned in `problems`, not thrown.
 */
export async function runHeartbeat(ctx: AgentContext): Promise<HeartbeatRun> {
  const lock = acquirePidLock(ctx.paths.heartbeatLock, 'a heartbeat');
  const { config, log } = ctx;
  const bucket = openBucket(config.s3);
  const problems: string[] = [];
  try {
    // Beside the collection, so the (6-hourly) probe of the bucket key adds no time.
    const protection = checkBucketProtection(ctx);
    const collected = await collectHeartbeat(ctx, { walCheck: { bucket } });
    const now = ctx.now();
    const stored = readIncidents(ctx.paths.incidents);
    const watchingSince = stored.watchingSince ?? now.toISOString();
    const conditions = activeConditions({ ...collected.facts, watchingSince }, config.alerts, now);
    const { store, transitions } = reconcile(stored, conditions, channelIds(config.alerts), now);
    writeIncidents(ctx.paths.incidents, store);
    for (const kind of transitions.opened)
      log.warn(`incident opened: ${kind}: ${conditions.get(kind)}`);
    for (const kind of transitions.resolved) log.info(`incident resolved: ${kind}`);

    const incidents = Object.fromEntries(Object.entries(store.open).map(([k, v]) => [k, v.since]));
    const bucketProtection = await protection;
    const heartbeat = Heartbeat.parse({ ...collected.heartbeat, bucketProtection, incidents });
    writeJsonFile(ctx.paths.heartbeat, heartbeat);
    // The alerts go out beside the upload, not after it: when the bucket hangs, they are what
    // says so.
    const upload = bucket
      .put(
        bucketLayout.heartbeat(config.serverId),
        `${JSON.stringify(heartbeat, null, 2)}\n`,
        'application/json',
        AbortSignal.timeout(HEARTBEAT_UPLOAD_TIMEOUT_MS),
      )
      .catch((error: unknown) => void problems.push(`upload heartbeat: ${errorMessage(error)}`));

    const outbox = await deliverOutbox(store.outbox, config.alerts, config.serverId, log, now);
    writeIncidents(ctx.paths.incidents, { ...store, outbox });
    await upload;

    const healthy = Object.keys(store.open).length === 0;
    if (healthy && config.alerts.pushMonitorUrl) {
      try {
        await pingPushMonitor(config.alerts.pushMonitorUrl);
      } catch (error) {
        problems.push(`push monitor: ${errorMessage(error)}`);
      }
    }
    for (const problem of problems) log.warn(`heartbeat: ${problem}`);
    return { heartbeat, transitions, problems };
  } finally {
    bucket.close();
    lock.release();
  }
}

/** A fresh heartbeat for `status`: collected now, incidents as last evaluated; writes nothing. */
export async function currentStatus(ctx: AgentContext): Promise<Heartbeat> {
  const collected = await collectHeartbeat(ctx);
  const stored = readIncidents(ctx.paths.incidents);
  const incidents = Object.fromEntries(Object.entries(stored.open).map(([k, v]) => [k, v.since]));
  const bucketProtection = storedBucketProtection(ctx);
  return Heartbeat.parse({ ...collected.heartbeat, bucketProtection, incidents });
}
