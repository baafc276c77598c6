import { AgentConfig } from '../../../shared/agent/config';
import { AppError } from '../app-error';
import { remoteLayout } from '../agent-install/layout';
import type { InstalledAgent } from '../agent-install/agents-repo';
import { RestoreShell, shq } from './restore-shell';

/** The production cluster on the same machine: its directory and port are never used. */
export interface ProductionCluster {
  dataDirectory: string;
  port: number;
  /** Its Unix socket folder, where known (the agent's own cluster: from the agent config). */
  socketDirectory?: string;
}

/** How restic reaches the attached-files repository. Holds S3 keys: memory only, never logged. */
export interface ResticAccess {
  repository: string;
  passwordFile: string;
  caFile: string | null;
  env: Record<string, string>;
}

/**
 * Everything a restore needs to know about the machine it restores onto: who runs
 * PostgreSQL, where its binaries are, which pgBackRest config reaches the repository, where
 * scratch clusters go and which cluster must never be touched.
 */
export interface RestoreSite {
  shell: RestoreShell;
  osUser: string;
  pgVersion: string;
  binDirectory: string;
  pgbackrestConfigPath: string;
  stanza: string;
  /** Parent folder of scratch environments (`<agent state dir>/scratch`). */
  scratchRoot: string;
  /** Clusters on this machine: their directories and ports are never used. */
  production: ProductionCluster[];
  restic: ResticAccess | null;
  /**
   * Writes what this machine needs to reach the repository into the new environment's folder
   * (another host: a temporary pgBackRest config, CA file and restic password). The source
   * server itself uses the agent's files and needs none.
   */
  provision?(signal?: AbortSignal): Promise<void>;
  /** Deletes what provision wrote (it holds the repository keys) once replay and files are done. */
  unprovision?(signal?: AbortSignal): Promise<void>;
}

/** The agent's layout on the server, from the remote root recorded at install. */
export function agentLayoutOf(agent: InstalledAgent) {
  const root = typeof agent.settings.remoteRoot === 'string' ? agent.settings.remoteRoot : '/';
  return remoteLayout(root);
}

/**
 * Reads the agent's config from the server (root-only file: it holds the S3 keys, which stay
 * in memory) and describes the server as a restore site for its own backups.
 */
export async function readAgentSite(
  shell: RestoreShell,
  agent: InstalledAgent,
  signal?: AbortSignal,
): Promise<RestoreSite> {
  const layout = agentLayoutOf(agent);
  const out = await shell.run('read the agent config', `cat ${shq(layout.configPath)}`, {
    signal,
    code: 'AGENT_NOT_INSTALLED',
  });
  let config: AgentConfig;
  try {
    config = AgentConfig.parse(JSON.parse(out.stdout));
  } catch {
    // The parse error could quote the file, keys included: say only what is wrong.
    throw new AppError('RESTORE_FAILED', `The agent config ${layout.configPath} is unreadable.`);
  }
  return {
    shell,
    osUser: config.pg.osUser,
    pgVersion: config.pg.version,
    binDirectory: config.pg.binDirectory,
    pgbackrestConfigPath: config.pgbackrest.configPath,
    stanza: config.stanza,
    scratchRoot: `${config.stateDir}/scratch`,
    production: [
      {
        dataDirectory: config.pg.dataDirectory,
        port: config.pg.port,
        socketDirectory: config.pg.socketDirectory,
      },
    ],
    restic: {
      repository: config.restic.repository,
      passwordFile: config.restic.passwordFile,
      caFile: config.s3.caFile ?? null,
      env: {
        AWS_ACCESS_KEY_ID: config.s3.accessKeyId,
        AWS_SECRET_ACCESS_KEY: config.s3.secretAccessKey,
        AWS_DEFAULT_REGION: config.s3.region,
      },
    },
  };
}
