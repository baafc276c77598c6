import path from 'node:path';
import type { AgentConfig } from '../../shared/agent/config';
import { socketFolder } from '../../node/restore/scratch-socket';
import type { ScratchRestorePaths } from '../../shared/restore/restore-args';
import { AgentError } from '../runtime/errors';

/** Marker file: only a folder holding it is ever stopped or deleted as a drill's leftover. */
export const SCRATCH_MARKER = '.kumiko-drill';

/** The throwaway environment of one drill: everything lives below `root`. */
export interface DrillPaths extends ScratchRestorePaths {
  root: string;
  /** The scratch cluster's Unix socket folder (never production's). */
  socket: string;
  /** Its one server log. */
  log: string;
  /** Its own pg_hba.conf, outside the restored data directory. */
  hba: string;
  /** Where restic restores the attached files. */
  files: string;
  /** WAL fetched beside the restore for the recovery (wal-staging.ts). */
  walStaging: string;
}

/** The folders of drill `drillId` under `scratchRoot`. */
export function drillPaths(scratchRoot: string, drillId: string): DrillPaths {
  if (!path.isAbsolute(scratchRoot)) {
    throw new AgentError('prepare', `drill.scratchRoot must be an absolute path: ${scratchRoot}`);
  }
  const root = path.join(scratchRoot, drillId);
  return {
    root,
    data: path.join(root, 'data'),
    socket: socketFolder(root),
    log: path.join(root, 'server.log'),
    hba: path.join(root, 'pg_hba.conf'),
    files: path.join(root, 'files'),
    walStaging: path.join(root, 'wal'),
    lock: path.join(root, 'pgbackrest', 'lock'),
    pgbackrestLog: path.join(root, 'pgbackrest', 'log'),
    spool: path.join(root, 'pgbackrest', 'spool'),
  };
}

export { socketFolder };

const inside = (child: string, parent: string): boolean => {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
};

/**
 * Refuses a scratch folder that overlaps production's data directory or the agent's state
 * folder: the drill deletes its folder at the end, and must never be able to delete those.
 * @throws AgentError
 */
export function assertApartFromProduction(paths: DrillPaths, config: AgentConfig): void {
  const production = path.resolve(config.pg.dataDirectory);
  const root = path.resolve(paths.root);
  if (inside(root, production) || inside(production, root)) {
    throw new AgentError(
      'prepare',
      `drill.scratchRoot ${path.dirname(root)} overlaps the production data directory ${production}`,
    );
  }
  if (inside(path.resolve(config.stateDir), root)) {
    throw new AgentError(
      'prepare',
      `drill.scratchRoot ${path.dirname(root)} would contain the agent's state folder`,
    );
  }
}

/**
 * The agent config as seen from the scratch cluster: same OS user and binaries, but its port
 * and socket. psql, the table checksums and the smoke checks take it unchanged, so they run
 * exactly as they do against production.
 */
export function scratchConfig(
  config: AgentConfig,
  paths: Pick<DrillPaths, 'socket'>,
  port: number,
): AgentConfig {
  return { ...config, pg: { ...config.pg, port, socketDirectory: paths.socket } };
}
