import type { z } from 'zod';
import type { RollbackPreview } from '../../../shared/audit/rollback-plan';
import {
  AuditJobResult,
  RecordHistory,
  RollbackOutcome,
  type AuditInstallInput,
  type AuditRemoveInput,
  type RecordFindInput,
  type RecordRefInput,
  type RollbackApplyInput,
  type RollbackPreviewInput,
} from '../../../shared/contract/rollback';
import { RollbackPreview as RollbackPreviewSchema } from '../../../shared/audit/rollback-plan';
import { RecordMatches } from '../../../shared/audit/rollback-spec';
import type { AgentInstallService } from '../agent-install/agent-install-service';
import { RemoteShell, shq } from '../agent-install/remote-shell';
import { installedAgentCommand } from '../agent-run/installed-command';
import { AppError } from '../app-error';
import { appOsUser } from '../os-user';
import type { ServersService } from '../servers/servers-service';

// Record history, rollback and the audit trail's install/removal, each one agent command over
// SSH (the agent is the only code that touches a server's data, DESIGN.md §3). The agent's
// answer is untrusted input: parsed with the contract's schemas before anyone sees it.

export interface RollbackDeps {
  servers: ServersService;
  agent: AgentInstallService;
  /** Who asks, recorded in the audit trail with a rollback (default: the app's OS user). */
  actor?: () => string;
}

type RecordRef = z.output<typeof RecordRefInput>;

export class RollbackService {
  constructor(private readonly deps: RollbackDeps) {}

  history(input: RecordRef): Promise<RecordHistory> {
    return this.run(
      input.serverId,
      'rollback-history',
      specOf(input),
      RecordHistory,
      'read the record’s history',
    );
  }

  find(input: z.output<typeof RecordFindInput>): Promise<RecordMatches> {
    const { serverId, ...spec } = input;
    return this.run(serverId, 'rollback-find', spec, RecordMatches, 'find the records');
  }

  preview(input: z.output<typeof RollbackPreviewInput>): Promise<RollbackPreview> {
    return this.run(
      input.serverId,
      'rollback-preview',
      { ...specOf(input), target: input.target },
      RollbackPreviewSchema,
      'preview the rollback',
    );
  }

  apply(input: z.output<typeof RollbackApplyInput>): Promise<RollbackOutcome> {
    const actor = (this.deps.actor ?? appOsUser)();
    return this.run(
      input.serverId,
      'rollback-apply',
      { ...specOf(input), preview: input.preview, actor, reason: input.reason },
      RollbackOutcome,
      'apply the rollback',
    );
  }

  auditInstall(input: z.output<typeof AuditInstallInput>): Promise<AuditJobResult> {
    const { serverId, dryRun, ...spec } = input;
    return this.run(
      serverId,
      'audit-install',
      spec,
      AuditJobResult,
      'install the audit trail',
      dryRun,
    );
  }

  auditRemove(input: z.output<typeof AuditRemoveInput>): Promise<AuditJobResult> {
    const { serverId, dryRun, ...spec } = input;
    return this.run(
      serverId,
      'audit-remove',
      spec,
      AuditJobResult,
      'remove the audit trail',
      dryRun,
    );
  }

  private async run<T>(
    serverId: string,
    command: string,
    spec: unknown,
    schema: z.ZodType<T>,
    what: string,
    dryRun = false,
  ): Promise<T> {
    // An unknown server is NOT_FOUND before anything else.
    const isRoot = this.deps.servers.get(serverId).detection?.sudo === 'root';
    const agent = this.deps.agent.installed(serverId);
    if (!agent) {
      throw new AppError(
        'AGENT_NOT_INSTALLED',
        'The agent is not installed on this server. Install it first; record history and rollback run through it.',
      );
    }
    const { node, bundle, config } = installedAgentCommand(agent);
    const ssh = await this.deps.servers.open(serverId);
    try {
      const shell = new RemoteShell(ssh, isRoot);
      const args = [node, bundle, command, '--spec', JSON.stringify(spec), '--config', config];
      if (dryRun) args.push('--dry-run');
      const result = await shell.run(what, args.map(shq).join(' '), { allowFailure: true });
      if (result.code !== 0) {
        const reason = result.stderr.trim().split('\n').pop() ?? `exit code ${result.code}`;
        throw new AppError(
          'SSH_COMMAND_FAILED',
          `The agent could not ${what}: ${reason.replace(/^kumiko-agent [a-z-]+: /, '')}. Check the database, table and key, then try again.`,
        );
      }
      const parsed = schema.safeParse(JSON.parse(result.stdout));
      if (!parsed.success) {
        throw new AppError(
          'SSH_COMMAND_FAILED',
          `The agent's answer to "${what}" is not in the expected form. Update the agent, then try again.`,
        );
      }
      return parsed.data;
    } finally {
      ssh.close();
    }
  }
}

function specOf(input: RecordRef): {
  db: string;
  schema: string;
  table: string;
  key: Record<string, string>;
} {
  return { db: input.db, schema: input.schema, table: input.table, key: input.key };
}
