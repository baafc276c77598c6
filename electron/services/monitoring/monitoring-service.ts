import { bucketLayout } from '../../../shared/agent/bucket-layout';
import { evaluateHealth, worst, worstFirst } from '../../../shared/agent/health';
import { Heartbeat as HeartbeatSchema, type Heartbeat } from '../../../shared/agent/heartbeat';
import { recoveryKitTile, type RecoveryKitFacts } from '../../../shared/agent/recovery-kit-gate';
import { clockTile } from '../../../shared/agent/server-clock';
import type { HealthTile, ServerHealth } from '../../../shared/contract';
import type { AgentInstallService } from '../agent-install/agent-install-service';
import type { ServersService } from '../servers/servers-service';
import { readBucketObject } from '../storage/bucket-reader';
import type { StorageService } from '../storage/storage-service';
import type { ServerClocks } from './server-clocks';

export interface MonitoringDeps {
  servers: ServersService;
  storage: StorageService;
  agent: AgentInstallService;
  /** The app's record of each server's recovery kit (RecoveryKitService). */
  recoveryKit: { status(serverId: string): RecoveryKitFacts };
  /** The server's clock against this computer's (absent: not compared). */
  clocks?: Pick<ServerClocks, 'recent' | 'offsetMs'>;
}

/**
 * Per-server health tiles and the worst-first fleet overview. Live from the agent over SSH;
 * when the server cannot be reached, from the heartbeat the agent last put in the bucket,
 * so a dead server shows as such instead of as "unknown".
 */
export class MonitoringService {
  constructor(private readonly deps: MonitoringDeps) {}

  async get(serverId: string): Promise<ServerHealth> {
    const server = this.deps.servers.get(serverId);
    const now = new Date();
    const base = { serverId, serverName: server.name, checkedAt: now.toISOString() };
    if (!this.deps.agent.installed(serverId)) {
      // Not protected is a known, bad state (issue 16 §2): critical, never "unknown".
      return {
        ...base,
        level: 'critical',
        source: 'none',
        tiles: [
          {
            id: 'agent',
            level: 'critical',
            value: 'not set up',
            reason: 'Backups are not set up on this server yet.',
          },
        ],
      };
    }
    let heartbeat: Heartbeat | null = null;
    let source: ServerHealth['source'] = 'server';
    let liveError = '';
    try {
      heartbeat = await this.deps.agent.remoteStatus(serverId);
    } catch (err) {
      liveError = err instanceof Error ? err.message : String(err);
      source = 'bucket';
      heartbeat = await this.bucketHeartbeat(serverId);
    }
    if (!heartbeat) {
      const tile: HealthTile = {
        id: 'agent',
        level: 'critical',
        value: 'unreachable',
        reason: `Neither the server nor the bucket answered: ${liveError}`,
      };
      const tiles = [tile, this.kitTile(serverId)];
      return { ...base, level: worst(tiles.map((t) => t.level)), source: 'none', tiles };
    }
    // Ages are measured on the server's clock, which stamped the heartbeat: a server whose
    // clock is behind must not look as if its agent had stopped (fault 14).
    const clock = source === 'server' ? await this.deps.clocks?.recent(serverId) : null;
    const serverNow = new Date(now.getTime() + (this.deps.clocks?.offsetMs(serverId) ?? 0));
    // The agent's tiles, and the app's own gate: no protection without a confirmed kit.
    const tiles = [
      ...evaluateHealth(heartbeat, serverNow),
      this.kitTile(serverId),
      ...(clock ? [clockTile(clock)] : []),
    ];
    if (source === 'bucket') {
      const agentTile = tiles.find((t) => t.id === 'agent');
      if (agentTile) {
        agentTile.level = 'critical';
        agentTile.reason = `Server unreachable (${liveError}); showing the bucket heartbeat of ${heartbeat.at}.`;
      }
    }
    return { ...base, level: worst(tiles.map((t) => t.level)), source, tiles };
  }

  /** Every server, worst first; one unreachable server never hides the others. */
  async fleet(): Promise<ServerHealth[]> {
    const servers = this.deps.servers.list();
    const results = await Promise.all(servers.map((s) => this.get(s.id)));
    return worstFirst(results);
  }

  private kitTile(serverId: string): HealthTile {
    return recoveryKitTile(this.deps.recoveryKit.status(serverId));
  }

  private async bucketHeartbeat(serverId: string): Promise<Heartbeat | null> {
    try {
      const body = await readBucketObject(
        this.deps.storage,
        serverId,
        bucketLayout.heartbeat(serverId),
      );
      if (!body) return null;
      const parsed = HeartbeatSchema.safeParse(JSON.parse(body.toString('utf8')));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }
}
