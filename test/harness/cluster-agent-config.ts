import type { AgentConfig } from '../../shared/agent/config';
import type { PostgresCluster } from './postgres';

/**
 * An agent config with only its `pg` part, for the code that needs nothing else (the audit
 * trail and record rollback run psql as the cluster's OS user over its socket).
 */
export function clusterOnlyAgentConfig(cluster: PostgresCluster): AgentConfig {
  return {
    pg: {
      version: '15',
      dataDirectory: cluster.dataDir,
      port: cluster.port,
      socketDirectory: cluster.socketDir,
      binDirectory: cluster.binDir,
      osUser: 'postgres',
    },
  } as AgentConfig;
}
