import type { AgentConfig } from '../../shared/agent/config';
import type { ClusterFacts } from '../../shared/restore/recovery-checks';
import { parseControlData } from '../../shared/restore/scratch-settings';
import { psqlQuery } from '../engines/psql';
import { runTool } from '../runtime/exec';
import { pgBin } from '../drill/scratch-cluster';
import type { DrillPaths } from '../drill/scratch-paths';

const FACTS_SQL = "SELECT pg_is_in_recovery()::text || '|' || current_setting('archive_mode')";

/**
 * What the restored cluster says about itself: pg_control (read by pg_controldata as the
 * cluster's OS user: the data directory is that user's) and its own answer over the scratch
 * socket. A refusal to answer is a fact (`accepts: false`), not an error.
 */
export async function restoredClusterFacts(
  scratch: AgentConfig,
  paths: Pick<DrillPaths, 'data'>,
  signal?: AbortSignal,
): Promise<ClusterFacts> {
  const [control, answer] = await Promise.all([
    runTool(pgBin(scratch, 'pg_controldata'), [paths.data], {
      runAs: scratch.pg.osUser,
      step: 'pg_controldata',
      signal,
      timeoutMs: 60_000,
    }),
    psqlQuery(scratch, FACTS_SQL, 'check the restored cluster', 'postgres', signal).catch(
      (error: unknown) => {
        if (signal?.aborted) throw error;
        return null;
      },
    ),
  ]);
  const data = parseControlData(control.stdout);
  const [recovery, archiveMode] = (answer ?? '').split('|');
  const timeline = Number(data.get("Latest checkpoint's TimeLineID"));
  return {
    controlState: data.get('Database cluster state') ?? null,
    systemIdentifier: data.get('Database system identifier') ?? null,
    timeline: Number.isInteger(timeline) && timeline > 0 ? timeline : null,
    inRecovery: recovery === 'true' ? true : recovery === 'false' ? false : null,
    archiveMode: archiveMode ?? null,
    accepts: answer !== null,
  };
}
