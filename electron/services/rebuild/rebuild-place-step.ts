import path from 'node:path';
import {
  AgentPlaceResult,
  type AgentPlaceSpec,
  type AgentPlaceTarget,
} from '../../../shared/agent/rebuild';
import type { ScratchEnvironment } from '../../../shared/contract';
import type { JobContext } from '../../jobs/runner';
import { RemoteShell, shq } from '../agent-install/remote-shell';
import { runRemoteAgent, tail } from '../agent-run/remote-agent';
import { AppError } from '../app-error';
import { loadTrustedManifest } from '../restore/manifest-loader';
import type { RebuildServiceDeps } from './rebuild-service';
import { besideConnection } from './side-by-side';

/** What the place step needs from the rebuild service. */
export type PlaceDeps = Pick<
  RebuildServiceDeps,
  'restore' | 'catalog' | 'storage' | 'servers' | 'remoteRoot' | 'pollMs'
>;

/**
 * The attached-file paths the recovery point's verified manifest names (none without files):
 * the place step moves folders only there, as root. Read from the bucket and verified again
 * here; the rebuild starts it beside the restore, so the place step does not wait for it.
 */
export async function trustedFilePaths(
  deps: Pick<PlaceDeps, 'catalog' | 'storage'>,
  serverId: string,
  filesFrom: string | null,
): Promise<string[]> {
  if (!filesFrom) return [];
  // The catalog the plan just built (its signatures verified), without queueing behind the
  // restore's own full listing of the bucket; the manifest itself is pinned by its hash.
  const model = (await deps.catalog.cached(serverId)) ?? (await deps.catalog.model(serverId));
  const trusted = await loadTrustedManifest(deps.storage, serverId, model, filesFrom);
  return trusted?.manifest.restic.paths ?? [];
}

/**
 * Where and how the verified cluster becomes the host's own: the data directory and port the
 * rebuild plan chose, the usual socket folder, and the attached files at their original paths
 * (`files`: only paths a verified manifest names, {@link trustedFilePaths}).
 */
export function placeTarget(
  deps: Pick<PlaceDeps, 'remoteRoot'>,
  input: { dataDirectory: string; port: number; files: string[] },
): AgentPlaceTarget {
  const root = deps.remoteRoot ?? '/';
  return {
    dataDirectory: input.dataDirectory,
    port: input.port,
    socketDirectory: path.posix.join(root, 'var/run/postgresql'),
    files: input.files.length ? { root, paths: input.files } : null,
  };
}

/**
 * The restore's own run put the cluster in place (spec.place): the environment is the host's
 * cluster now, never swept or dropped as scratch.
 */
export function placedByRestore(
  deps: Pick<PlaceDeps, 'restore'>,
  job: JobContext,
  env: ScratchEnvironment,
  placed: AgentPlaceResult,
): AgentPlaceResult {
  deps.restore.handedOver(env.id);
  job.progress('place', 1, 1);
  return placed;
}

/**
 * `rebuild-place` on the host: the verified scratch cluster becomes the host's cluster, the
 * attached files go to their paths (only those the point's verified manifest names: the agent
 * moves folders there as root), and the restore's config folder is removed. Safe to run again
 * after a dropped connection: the agent finds the data directory already moved.
 */
export async function placeOnHost(
  deps: PlaceDeps,
  job: JobContext,
  input: {
    request: { serverId: string; hostId: string; port: number };
    dataDirectory: string;
    env: ScratchEnvironment;
    filesFrom: string | null;
    /** trustedFilePaths of `filesFrom`, when the rebuild started reading it already. */
    filePaths?: Promise<string[]>;
  },
): Promise<AgentPlaceResult> {
  const { request, dataDirectory, env, filesFrom } = input;
  job.progress('place', 0, 1);
  const { agent, configDir } = deps.restore.scratchAgent(env.id);
  // The manifest and the host are reached at the same time.
  const opening = deps.servers.open(request.hostId, job.signal);
  // Read again when the early read failed (the bucket was out of reach then).
  const again = (): Promise<string[]> => trustedFilePaths(deps, request.serverId, filesFrom);
  const reading = env.filesDirectory
    ? (input.filePaths?.catch(again) ?? again())
    : Promise.resolve<string[]>([]);
  // Only paths a verified manifest names: the place step moves folders there as root.
  const [files, ssh] = await besideConnection(reading, opening);
  const spec: AgentPlaceSpec = {
    id: env.id,
    ...placeTarget(deps, { dataDirectory, port: request.port, files }),
  };
  const host = deps.servers.get(request.hostId);
  try {
    const shell = new RemoteShell(ssh, host.detection?.sudo === 'root');
    const outcome = await runRemoteAgent({
      shell,
      agent,
      args: ['rebuild-place', '--spec', JSON.stringify(spec)],
      signal: job.signal,
      what: 'the rebuild',
      code: 'RESTORE_FAILED',
      pollMs: deps.pollMs,
      onLine: () => false,
    });
    if (outcome.exitCode !== 0) {
      throw new AppError(
        'RESTORE_FAILED',
        `The restored cluster could not be put in place on ${host.name}: ${tail(outcome.log.join('\n')) || `exit code ${outcome.exitCode}`}. The verified restore stays in scratch environment ${env.id}; fix the cause and start the rebuild again.`,
      );
    }
    const placed = AgentPlaceResult.parse(JSON.parse(outcome.stdout));
    deps.restore.handedOver(env.id);
    // The restore's config folder (its keys were removed after the restore) goes too.
    if (configDir) await shell.run('remove the restore config', `rm -rf ${shq(configDir)}`);
    job.progress('place', 1, 1);
    return placed;
  } finally {
    ssh.close();
  }
}
