import type {
  AccountabilityAction,
  AccountabilityFacts,
  CommandName,
  CommandOutput,
  CommandParsedInput,
  RecoveryTarget,
} from '../../../shared/contract';

/** What one command records, worked out from its validated input (and its output). */
export interface Described {
  action: AccountabilityAction;
  serverId: string | null;
  target: AccountabilityFacts;
  params: AccountabilityFacts;
  /** The command returns `{ jobId }`: the outcome is recorded when that job ends. */
  job?: boolean;
}

export interface DescribeTools {
  /** A keyed reference to a value that may be personal (a subject, a record key). */
  ref(value: string): Promise<string>;
}

type Describe<N extends CommandName> = (
  input: CommandParsedInput<N>,
  tools: DescribeTools,
) => Described | null | Promise<Described | null>;

/** Facts from a finished command's output (ids, counts); never values from a database. */
type Outcome<N extends CommandName> = (
  output: CommandOutput<N>,
) => { params?: AccountabilityFacts; failedCode?: string } | undefined;

interface Recorded<N extends CommandName> {
  describe: Describe<N>;
  outcome?: Outcome<N>;
}

type ActionTable = { [N in CommandName]?: Recorded<N> };

function targetFacts(target: RecoveryTarget): AccountabilityFacts {
  if (target.kind === 'time') return { recoveryTime: target.time };
  if (target.kind === 'point') return { recoveryPoint: target.label };
  return { recoveryPoint: 'latest' };
}

const server = (serverId: string, rest: Omit<Described, 'serverId'>): Described => ({
  serverId,
  ...rest,
});

/**
 * The one place that says which commands the accountability log records (issue 17 §5):
 * everything that changes something or reads personal data, from any transport (console,
 * browser mode, CLI). Reading status, catalogs and plans is not recorded: nothing changes and
 * no personal data is shown. Parameters are a safe subset: names, ids, times, flags, never
 * keys, passwords or a subject's values.
 */
export const ACTION_TABLE: ActionTable = {
  'servers.add': {
    describe: (input) => ({
      action: 'server.add',
      serverId: null,
      target: { name: input.name, host: input.host },
      params: { port: input.port, user: input.user, auth: input.auth.kind },
    }),
    outcome: (server) => ({ params: { serverId: server.id } }),
  },
  'servers.remove': {
    describe: ({ id }) => server(id, { action: 'server.remove', target: {}, params: {} }),
  },
  'servers.update': {
    describe: (input) =>
      server(input.id, {
        action: 'server.address',
        target: { host: input.host },
        params: { port: input.port, user: input.user },
      }),
  },
  'servers.trustHostKey': {
    describe: ({ id, fingerprint }) =>
      server(id, { action: 'hostKey.trust', target: { fingerprint }, params: {} }),
  },
  'storage.save': {
    describe: ({ serverId, target }) =>
      server(serverId, {
        action: 'storage.save',
        target: { endpoint: target.endpoint, bucket: target.bucket },
        params: { region: target.region, ownStorage: target.ownStorage ?? false },
      }),
  },
  'agent.install': {
    describe: (input) =>
      server(input.serverId, {
        action: 'agent.install',
        target: { dataDirectory: input.dataDirectory },
        params: { attachedPaths: input.attachedPaths.length },
        job: true,
      }),
  },
  'agent.uninstall': {
    describe: (input) =>
      server(input.serverId, { action: 'agent.uninstall', target: {}, params: {}, job: true }),
  },
  'agent.update': {
    describe: (input) =>
      server(input.serverId, { action: 'agent.update', target: {}, params: {}, job: true }),
  },
  'recoveryKit.export': {
    describe: ({ serverId }) => server(serverId, { action: 'kit.export', target: {}, params: {} }),
  },
  'recoveryKit.acknowledge': {
    describe: ({ serverId, sha256 }) =>
      server(serverId, { action: 'kit.acknowledge', target: { sha256 }, params: {} }),
  },
  'recoveryKit.import': {
    describe: () => ({ action: 'kit.import', serverId: null, target: {}, params: {} }),
    outcome: (result) => ({ params: { serverId: result.serverId } }),
  },
  'rebuild.start': {
    describe: (input) =>
      server(input.serverId, {
        action: 'rebuild.start',
        target: { hostId: input.hostId, ...targetFacts(input.target) },
        params: {},
        job: true,
      }),
  },
  'rebuild.resume': {
    describe: ({ jobId }) => ({
      action: 'rebuild.resume',
      serverId: null,
      target: { jobId },
      params: {},
      job: true,
    }),
  },
  'restore.start': {
    describe: ({ serverId, target, destination }) =>
      server(serverId, {
        action: destination.kind === 'scratch' ? 'restore.scratch' : 'restore.otherHost',
        target: {
          ...targetFacts(target),
          ...(destination.kind === 'host' ? { hostId: destination.serverId } : {}),
        },
        params: {},
        job: true,
      }),
  },
  'restore.production.start': {
    describe: ({ serverId, target }) =>
      server(serverId, {
        action: 'restore.production',
        target: targetFacts(target),
        params: {},
        job: true,
      }),
  },
  'scratch.drop': {
    describe: ({ id }) => ({
      action: 'scratch.drop',
      serverId: null,
      target: { scratchId: id },
      params: {},
    }),
  },
  'reports.export': {
    describe: ({ serverId, from, to }) =>
      server(serverId, { action: 'report.export', target: {}, params: { from, to } }),
  },
  'reports.countersign': {
    describe: ({ serverId, drillId }) =>
      server(serverId, { action: 'report.countersign', target: { drillId }, params: {} }),
  },
  'drill.start': {
    describe: ({ serverId }) =>
      server(serverId, { action: 'drill.run', target: {}, params: {}, job: true }),
  },
  'drill.settings.save': {
    describe: (input) =>
      server(input.serverId, {
        action: 'drill.settings',
        target: {},
        params: {
          intervalSeconds: input.intervalSeconds,
          smokeChecks: input.smokeChecks.length,
          deepIndexCheck: input.amcheckHeapAllIndexed ?? null,
        },
      }),
  },
  'point.create': {
    describe: (input) =>
      server(input.serverId, {
        action: 'point.create',
        target: {},
        params: { heal: input.heal ?? false },
        job: true,
      }),
  },
  'gdpr.map': {
    // Reading the map shows the schema, not personal data; saving it changes what is exported.
    describe: (input) =>
      input.save
        ? server(input.serverId, {
            action: 'gdpr.mapSave',
            target: { database: input.database, root: input.root ?? null },
            params: {},
          })
        : null,
    outcome: (result) => ({ params: { version: result.version } }),
  },
  'gdpr.export': {
    describe: async (input, { ref }) =>
      server(input.serverId, {
        action: 'gdpr.export',
        target: { database: input.database, subject: await ref(input.subject) },
        params: {},
      }),
    outcome: (result) => ({ params: { exportId: result.exportId, sha256: result.sha256 } }),
  },
  'gdpr.export.start': {
    describe: async (input, { ref }) =>
      server(input.serverId, {
        action: 'gdpr.export',
        target: { database: input.database, subject: await ref(input.subject) },
        params: {},
        job: true,
      }),
  },
  'gdpr.erase': {
    // A dry run reads which rows hold the subject: personal data is read, so it is recorded too.
    describe: async (input, { ref }) =>
      server(input.serverId, {
        action: input.dryRun ? 'gdpr.eraseDryRun' : 'gdpr.erase',
        target: { database: input.database, subject: await ref(input.subject) },
        params: {},
      }),
    outcome: (result) => ({
      params: {
        erasureId: result.erasureId,
        rows: result.tables.reduce((sum, t) => sum + t.rows, 0),
        hardDeleteDue: result.hardDeleteDue,
      },
    }),
  },
  // From a DPO request (issue 17 §4): the request id names the subject without its value.
  'gdpr.requests.export': {
    describe: (input) => ({
      action: 'gdpr.export',
      serverId: null,
      target: { request: input.id },
      params: {},
      job: true,
    }),
  },
  'gdpr.requests.erase': {
    describe: (input) => ({
      action: input.dryRun ? 'gdpr.eraseDryRun' : 'gdpr.erase',
      serverId: null,
      target: { request: input.id },
      params: {},
    }),
    outcome: ({ request, erasure }) => ({
      params: {
        serverId: request.serverId,
        erasureId: erasure.erasureId,
        rows: erasure.tables.reduce((sum, t) => sum + t.rows, 0),
        hardDeleteDue: erasure.hardDeleteDue,
      },
    }),
  },
  'audit.install': {
    describe: (input) =>
      input.dryRun
        ? null
        : server(input.serverId, {
            action: 'audit.install',
            target: { database: input.db },
            params: { schemas: input.schemas?.join(',') ?? null },
          }),
  },
  'audit.remove': {
    describe: (input) =>
      input.dryRun
        ? null
        : server(input.serverId, {
            action: 'audit.remove',
            target: { database: input.db },
            params: { dropHistory: input.dropHistory },
          }),
  },
  // A record's history shows its values at every version: reading personal data.
  'rollback.history': {
    describe: async (input, { ref }) =>
      server(input.serverId, {
        action: 'record.read',
        target: recordTarget(input, await ref(JSON.stringify(input.key))),
        params: {},
      }),
  },
  'rollback.find': {
    describe: async (input, { ref }) =>
      server(input.serverId, {
        action: 'record.read',
        target: {
          database: input.db,
          table: `${input.schema}.${input.table}`,
          column: input.column,
          value: await ref(input.value),
        },
        params: {},
      }),
  },
  'rollback.preview': {
    describe: async (input, { ref }) =>
      server(input.serverId, {
        action: 'rollback.preview',
        target: recordTarget(input, await ref(JSON.stringify(input.key))),
        params: {},
      }),
  },
  'rollback.apply': {
    describe: async (input, { ref }) =>
      server(input.serverId, {
        action: 'rollback.apply',
        target: recordTarget(input, await ref(JSON.stringify(input.key))),
        params: { change: input.preview.action },
      }),
    outcome: (result) =>
      result.applied
        ? { params: { historyIds: result.historyIds.length } }
        : { failedCode: `ROLLBACK_REFUSED:${result.refusal.code}` },
  },
  // One subject as of a moment: the preview reads the subject's rows then and now.
  'rollback.subject.start': {
    describe: async (input, { ref }) =>
      server(input.serverId, {
        action: 'rollback.subjectPreview',
        target: {
          database: input.database,
          root: input.root ?? 'subject map',
          value: await ref(input.value),
        },
        params: { at: input.at, keepScratch: input.keepScratch },
        job: true,
      }),
  },
  'rollback.subject.apply': {
    describe: (input) =>
      server(input.serverId, {
        action: 'rollback.subjectApply',
        target: { previewId: input.previewId },
        params: {},
      }),
    outcome: (result) =>
      result.applied
        ? {
            params: { inserted: result.inserted, updated: result.updated, deleted: result.deleted },
          }
        : { failedCode: `ROLLBACK_REFUSED:${result.refusal.code}` },
  },
  'jobs.cancel': {
    describe: ({ id }) => ({
      action: 'job.cancel',
      serverId: null,
      target: { jobId: id },
      params: {},
    }),
  },
  'settings.actor.set': {
    describe: () => ({ action: 'settings.actor', serverId: null, target: {}, params: {} }),
  },
  'accountability.export': {
    describe: (input) => ({
      action: 'log.export',
      serverId: input.serverId ?? null,
      target: {},
      params: { from: input.from ?? null, to: input.to ?? null, action: input.action ?? null },
    }),
    outcome: (result) => ({ params: { entries: result.entries, sha256: result.sha256 } }),
  },
};

function recordTarget(
  input: { db: string; schema: string; table: string },
  key: string,
): AccountabilityFacts {
  return { database: input.db, table: `${input.schema}.${input.table}`, key };
}
