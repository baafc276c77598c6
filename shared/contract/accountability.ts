import { z } from 'zod';
import { Id } from './domain';

// The accountability log of admin actions (issue 17 §5): who (OS user and the name entered at
// first start), what, when and with what result, hash-chained so a changed row is found.

/** Every action the log knows, as a stable code the console words from its catalogs. */
export const ACCOUNTABILITY_ACTIONS = [
  'server.add',
  'server.remove',
  'server.address',
  'hostKey.trust',
  'storage.save',
  'agent.install',
  'agent.uninstall',
  'agent.update',
  'kit.export',
  'kit.acknowledge',
  'kit.import',
  'rebuild.start',
  'rebuild.resume',
  'restore.scratch',
  'restore.otherHost',
  'restore.production',
  'scratch.drop',
  'report.export',
  'report.countersign',
  'drill.run',
  'drill.settings',
  'point.create',
  'gdpr.mapSave',
  'gdpr.export',
  'gdpr.eraseDryRun',
  'gdpr.erase',
  'audit.install',
  'audit.remove',
  'record.read',
  'rollback.preview',
  'rollback.apply',
  'rollback.subjectPreview',
  'rollback.subjectApply',
  'job.cancel',
  'settings.actor',
  'log.export',
] as const;
export const AccountabilityAction = z.enum(ACCOUNTABILITY_ACTIONS);
export type AccountabilityAction = z.infer<typeof AccountabilityAction>;

/** 'started' is written when a long job begins, so a crash still leaves a trace. */
export const AccountabilityResult = z.enum(['ok', 'failed', 'started']);
export type AccountabilityResult = z.infer<typeof AccountabilityResult>;

/** Safe facts only: names of databases and tables, ids, keyed hashes of subjects; never values. */
const Facts = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]));
export type AccountabilityFacts = z.infer<typeof Facts>;

export const AccountabilityEntry = z.object({
  seq: z.number().int(),
  at: z.string(),
  osUser: z.string(),
  actorName: z.string(),
  /** A code the log does not know (a newer app wrote it) stays readable as text. */
  action: z.string(),
  serverId: z.string().nullable(),
  target: Facts,
  params: Facts,
  result: AccountabilityResult,
  errorCode: z.string().nullable(),
  prevHash: z.string(),
  hash: z.string(),
});
export type AccountabilityEntry = z.infer<typeof AccountabilityEntry>;

export const AccountabilityFilter = z
  .object({
    serverId: Id.optional(),
    action: z.string().min(1).max(60).optional(),
    /** Matches the OS user or the name, case-insensitively, as a part. */
    who: z.string().min(1).max(200).optional(),
    /** ISO date or time; `to` as a date means the whole day. */
    from: z.string().min(10).max(40).optional(),
    to: z.string().min(10).max(40).optional(),
    result: AccountabilityResult.optional(),
    limit: z.number().int().min(1).max(10_000).optional(),
  })
  .strict();
export type AccountabilityFilter = z.infer<typeof AccountabilityFilter>;

export const AccountabilityList = z.object({
  entries: z.array(AccountabilityEntry),
  /** Entries the filter matched (the list is capped at `limit`, newest first). */
  total: z.number().int(),
});
export type AccountabilityList = z.infer<typeof AccountabilityList>;

export const AccountabilityVerdict = z.object({
  intact: z.boolean(),
  entries: z.number().int(),
  /** The first entry whose hash or link does not match, and why. */
  firstBroken: z
    .object({ seq: z.number().int(), reason: z.enum(['hash', 'link', 'gap']) })
    .nullable(),
  lastHash: z.string().nullable(),
});
export type AccountabilityVerdict = z.infer<typeof AccountabilityVerdict>;

export const AccountabilityExportInput = AccountabilityFilter.extend({
  /** Folder the export's own folder is made in; default `<data folder>/activity-exports`. */
  outputDirectory: z.string().min(1).max(4096).optional(),
}).strict();
export type AccountabilityExportInput = z.infer<typeof AccountabilityExportInput>;

export const AccountabilityExportResult = z.object({
  directory: z.string(),
  files: z.array(z.string()),
  /** SHA-256 of MANIFEST.sha256, which MANIFEST.sha256.sig signs (namespace kumiko-report). */
  sha256: z.string(),
  principal: z.string(),
  publicKey: z.string(),
  entries: z.number().int(),
  verdict: AccountabilityVerdict,
});
export type AccountabilityExportResult = z.infer<typeof AccountabilityExportResult>;

/** Who the log names: the name entered at first start (or KUMIKO_ACTOR / --actor) and the OS user. */
export const ActorInfo = z.object({
  actorName: z.string().nullable(),
  osUser: z.string(),
  source: z.enum(['settings', 'env', 'none']),
});
export type ActorInfo = z.infer<typeof ActorInfo>;

export const ActorSetInput = z.object({ actorName: z.string().trim().min(1).max(100) }).strict();
