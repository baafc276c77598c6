import { z } from 'zod';
import {
  AccountabilityExportInput,
  AccountabilityExportResult,
  AccountabilityFilter,
  AccountabilityList,
  AccountabilityVerdict,
  ActorInfo,
  ActorSetInput,
} from './accountability';
import { KitImportRequest, KitImportResult } from './kit-import';
import { RebuildHandoverFile, RebuildPlan, RebuildRequest } from './rebuild';
import { AgentInstallPlan, AgentInstallRequest, ServerHealth } from './agent';
import { Id, Job, HostKeyProbe, Server, ServerAddressUpdate, ServerDraft } from './domain';
import {
  Catalog,
  ProductionRestorePlan,
  ProductionRestoreRequest,
  ProductionRestoreStart,
  RestorePlan,
  RestoreRequest,
  ScratchEnvironment,
} from './recovery';
import {
  GdprEraseInput,
  GdprEraseResult,
  GdprErasuresInput,
  GdprErasuresResult,
  GdprSubjectInput,
  GdprExportEstimate,
  GdprExportInput,
  GdprExportResult,
  GdprMapInput,
  GdprMapResult,
} from './gdpr';
import {
  GdprRequest,
  GdprRequestAddInput,
  GdprRequestEraseInput,
  GdprRequestEraseResult,
  GdprRequestEvidenceInput,
  GdprRequestExportInput,
  GdprRequestIdInput,
  GdprRequestUpdateInput,
  GdprRequestsList,
  GdprRequestsListInput,
} from './gdpr-requests';
import { StorageCheckReport, StorageTarget, StorageTargetDraft } from './storage';
import {
  DrillReportEntry,
  ReportsExportInput,
  ReportsExportResult,
  ReportsFileInput,
  ReportsListInput,
  ReportsVerifyFileInput,
  ReportsVerifyInput,
  ReportVerification,
  TransferFile,
} from './reports';
import {
  DrillOverview,
  DrillServerInput,
  DrillSettingsInput,
  DrillSettingsResult,
  DrillSyncResult,
  ReportDetail,
  ReportPdf,
  ReportRef,
  ReportPdfInput,
} from './drill';
import { PointCreateInput } from './point';
import { AgentUninstallRequest } from './uninstall';
import { AgentUpdateRequest, AgentUpdateReview } from './agent-update';
import { AlertTestRequest, AlertTestResult } from './alert-test';
import {
  AuditInstallInput,
  AuditJobResult,
  AuditRemoveInput,
  RecordFindInput,
  RecordHistory,
  RecordRefInput,
  RollbackApplyInput,
  RollbackOutcome,
  RollbackPreviewInput,
  SubjectRestoreApplyInput,
  SubjectRestoreInput,
  SubjectRestoreOutcome,
} from './rollback';
import { RollbackPreview } from '../audit/rollback-plan';
import { RecordMatches } from '../audit/rollback-spec';

const Empty = z.object({}).strict();
const ById = z.object({ id: Id }).strict();

/**
 * The one place a command exists. Every transport (Electron IPC, browser-mode WebSocket,
 * CLI) validates input against `input` and answers with a Result of `output`.
 */
export const commands = {
  'app.info': {
    input: Empty,
    output: z.object({
      version: z.string(),
      transport: z.enum(['electron', 'web', 'cli']),
      /** Where the app keeps drill reports and writes report exports (the settings page). */
      folders: z.object({ reports: z.string(), exports: z.string() }).optional(),
    }),
  },
  'servers.list': { input: Empty, output: z.array(Server) },
  'servers.get': { input: ById, output: Server },
  'servers.add': { input: ServerDraft.strict(), output: Server },
  'servers.remove': { input: ById, output: z.object({ removed: z.literal(true) }) },
  /** Connects only far enough to read the host key; never authenticates. */
  'servers.probeHostKey': { input: ById, output: HostKeyProbe },
  /**
   * Changes host, port and user. A changed host unpins the host key (status 'new': the admin
   * confirms the new fingerprint before the next connect); port or user alone keep the pin.
   */
  'servers.update': { input: ServerAddressUpdate, output: Server },
  /** Pins the key the admin saw; refused if the server now presents another one. */
  'servers.trustHostKey': {
    input: z.object({ id: Id, fingerprint: z.string().startsWith('SHA256:') }).strict(),
    output: Server,
  },
  /** Starts a job that connects (pinned key only) and detects OS, sudo, clusters, disk. */
  'servers.connect': { input: ById, output: z.object({ jobId: Id }) },
  /** Checks a bucket (EU, TLS, location, write/read/delete probe, versioning, Object Lock); writes nothing that stays. */
  'storage.check': { input: StorageTargetDraft, output: StorageCheckReport },
  /** Checks, then saves the bucket for a server; refused (STORAGE_NOT_EU …) when a check fails. */
  'storage.save': {
    input: z.object({ serverId: Id, target: StorageTargetDraft }).strict(),
    output: StorageTarget,
  },
  'storage.get': { input: z.object({ serverId: Id }).strict(), output: StorageTarget.nullable() },
  /**
   * What installing the agent will change on the server, for the admin to confirm: with the
   * install request's choices, so the scripts (and their SHA-256) are the ones install sends.
   */
  'agent.plan': {
    input: AgentInstallRequest,
    output: AgentInstallPlan,
  },
  'agent.install': { input: AgentInstallRequest, output: z.object({ jobId: Id }) },
  /** Stops capture and removes the agent; every backup stays in the bucket. */
  'agent.uninstall': {
    input: AgentUninstallRequest,
    output: z.object({ jobId: Id }),
  },
  /** Compares the installed agent program with the app's, over SSH; changes nothing. */
  'agent.updateReview': { input: AgentUpdateRequest, output: AgentUpdateReview },
  /** A test e-mail or webhook message through the server's alert settings, sent by its agent. */
  'alerts.test': { input: AlertTestRequest, output: AlertTestResult },
  /** Replaces the agent program and restarts it; its settings are kept. */
  'agent.update': { input: AgentUpdateRequest, output: z.object({ jobId: Id }) },
  'status.get': { input: z.object({ serverId: Id }).strict(), output: ServerHealth },
  /** All servers, worst first. */
  'status.fleet': { input: Empty, output: z.array(ServerHealth) },
  /**
   * Writes the printable recovery kit (PDF: bucket, keys, repository passphrases and the
   * plain pgBackRest/restic commands to restore without this app) to a file, and the same
   * text as a plain-text file beside it (`textPath`, also embedded in the PDF) to copy long
   * values exactly. The content never crosses to the renderer; only the paths and hash do.
   */
  'recoveryKit.export': {
    input: z.object({ serverId: Id, outputDirectory: z.string().min(1).optional() }).strict(),
    output: z.object({
      path: z.string(),
      textPath: z.string(),
      sha256: z.string(),
      exportedAt: z.string().datetime(),
    }),
  },
  /**
   * The admin confirms the kit with this hash is printed or stored offline, away from the
   * server. Until then the server does not count as protected (a warning tile, issue 15 §3).
   * Stored with the time and the app's OS user who confirmed.
   */
  'recoveryKit.acknowledge': {
    input: z.object({ serverId: Id, sha256: z.string().regex(/^[0-9a-f]{64}$/) }).strict(),
    output: z.object({ acknowledgedAt: z.string().datetime(), acknowledgedBy: z.string() }),
  },
  /**
   * A fresh console starts from the recovery kit alone (issue 19): the kit's values are checked
   * against the bucket (EU storage check, the agent key by the kit's fingerprint, every
   * manifest's signature, both passphrases) and only then the server is added, retired, with
   * its catalog rebuilt from the bucket. Any failed check refuses with the reason; nothing saved.
   */
  'recoveryKit.import': { input: KitImportRequest, output: KitImportResult },
  /**
   * What rebuilding a server that is gone onto a new host means (issue 19 §2): the host's
   * pre-flight checks, the restore and an estimate. Changes nothing.
   */
  'rebuild.plan': { input: RebuildRequest, output: RebuildPlan },
  /**
   * Starts the rebuild job (kind `rebuild.start`, result RebuildResult): restore onto the new
   * host, the cluster put in place and started, capture set up there in the same bucket.
   */
  'rebuild.start': { input: RebuildRequest, output: z.object({ jobId: Id }) },
  /**
   * Resumes the rebuild a failed or interrupted job ran, at the step that was running (a new
   * job; the restore is followed again on the host, never started over).
   */
  'rebuild.resume': { input: z.object({ jobId: Id }).strict(), output: z.object({ jobId: Id }) },
  /** The signed hand-over of the finished rebuild job `jobId`, verified again, as a zip. */
  'rebuild.handover': { input: z.object({ jobId: Id }).strict(), output: RebuildHandoverFile },
  'recoveryKit.status': {
    input: z.object({ serverId: Id }).strict(),
    output: z.object({
      exportedAt: z.string().datetime().nullable(),
      /** The SHA-256 of the newest exported PDF (what an acknowledgement must name). */
      sha256: z.string().nullable(),
      acknowledgedAt: z.string().datetime().nullable(),
      acknowledgedBy: z.string().nullable(),
    }),
  },
  /**
   * Every recoverable moment of a server, built from the bucket alone (works with the server
   * gone); cached, and brought up to date incrementally unless `refresh` rebuilds it.
   */
  'catalog.get': {
    input: z.object({ serverId: Id, refresh: z.boolean().optional() }).strict(),
    output: Catalog,
  },
  /** What restoring a moment means (base backup, WAL to replay, estimate); refused inside a gap. */
  'restore.plan': { input: RestoreRequest, output: RestorePlan },
  /** Starts the restore job into a scratch cluster; never touches the production cluster. */
  'restore.start': {
    input: RestoreRequest.extend({
      /** Scratch environments are removed after this many hours (default 24; 0 = keep). */
      keepHours: z
        .number()
        .int()
        .min(0)
        .max(24 * 90)
        .optional(),
    }).strict(),
    output: z.object({ jobId: Id }),
  },
  /**
   * What restoring over production means: the plan of restore.plan plus the databases that are
   * replaced, the downtime and the name the admin must type to start it.
   */
  'restore.production.plan': { input: ProductionRestoreRequest, output: ProductionRestorePlan },
  /**
   * Restores over the production cluster (job kind `restore.production`, phases
   * PRODUCTION_RESTORE_PHASES; result ProductionRestoreResult): safety snapshot first, then
   * stop, restore, replay, verify, start. CONFIRMATION_MISMATCH (nothing changed) unless
   * `confirmName` equals the plan's; RESTORE_NOT_COVERED like restore.start.
   */
  'restore.production.start': { input: ProductionRestoreStart, output: z.object({ jobId: Id }) },
  'scratch.list': { input: Empty, output: z.array(ScratchEnvironment) },
  /** Stops the scratch cluster and deletes its directories. */
  'scratch.drop': { input: ById, output: ScratchEnvironment },
  /** Archived drill report bundles, newest first (optionally one server, a period). */
  'reports.list': { input: ReportsListInput, output: z.array(DrillReportEntry) },
  /** Writes one zip of a server's report bundles in a period, with a summary, for auditors. */
  'reports.export': { input: ReportsExportInput, output: ReportsExportResult },
  /** Verifies a bundle, a folder of bundles or an export zip: signatures, hashes, chain. */
  'reports.verify': { input: ReportsVerifyInput, output: ReportVerification },
  /** One archived report: its entry and the drill (summary, checks) from its signed report.json. */
  'reports.get': { input: ReportRef, output: ReportDetail },
  /** An archived report's PDF as base64 (the renderer has no file access in browser mode). */
  'reports.pdf': { input: ReportPdfInput, output: ReportPdf },
  /** An archived report's bundle zip (as `kumiko report export` writes it) or report.json. */
  'reports.file': { input: ReportsFileInput, output: TransferFile },
  /** Verifies a report zip the user picked (bytes, not a path), like `reports.verify`. */
  'reports.verifyFile': { input: ReportsVerifyFileInput, output: ReportVerification },
  /**
   * Adds the app's countersignature to an archived agent-signed report (MANIFEST.sha256.app.sig
   * beside the agent's signature; no signed byte changes) and answers the updated entry.
   * NOT_FOUND for an unknown report; CONFLICT when the report does not verify, is signed by the
   * app itself or is already countersigned (nothing is signed twice).
   */
  'reports.countersign': { input: ReportRef, output: DrillReportEntry },
  /**
   * Starts a drill on the server's agent (job kind `drill.start`, phases DRILL_JOB_PHASES); the
   * job's result is the archived DrillReportEntry. A drill whose checks fail ends the job as
   * failed (DRILL_FAILED naming the checks), with its report archived all the same.
   */
  'drill.start': { input: DrillServerInput, output: z.object({ jobId: Id }) },
  /** Archived drill history, the agent's next scheduled drill and its drill settings. */
  'drill.overview': { input: DrillServerInput, output: DrillOverview },
  /** Archives report bundles the agent put in the bucket (verified; refused ones are reported). */
  'drill.sync': { input: DrillServerInput, output: DrillSyncResult },
  /** Writes the drill schedule and smoke checks into the agent's config on the server. */
  'drill.settings.save': { input: DrillSettingsInput, output: DrillSettingsResult },
  /**
   * A recovery point now (job kind `point.create`, phases POINT_JOB_PHASES; result
   * PointCreateResult): the agent's own snapshot, with the admin's note signed into its
   * manifest. AGENT_BUSY, with nothing started, while a snapshot, retention run or drill holds
   * the agent's repository.
   */
  'point.create': { input: PointCreateInput, output: z.object({ jobId: Id }) },
  /** The GDPR subject map from the live schema (saved edits kept), its drift, optionally saved. */
  'gdpr.map': { input: GdprMapInput, output: GdprMapResult },
  /** One subject's access export: a signed zip in the given or the app's folder. */
  'gdpr.export': { input: GdprExportInput, output: GdprExportResult },
  /** One subject's erasure, or its dry run (changes nothing). */
  'gdpr.erase': { input: GdprEraseInput, output: GdprEraseResult },
  /** The server's erasures from its ledger: when each is final in every backup, or that it is. */
  'gdpr.erasures': { input: GdprErasuresInput, output: GdprErasuresResult },
  /** What an access export will hold: rows and bytes per table, read without exporting. */
  'gdpr.export.estimate': { input: GdprSubjectInput, output: GdprExportEstimate },
  /**
   * The access export as a job (kind `gdpr.export`, phases GDPR_EXPORT_PHASES; result
   * GdprExportResult): progress in the jobs panel, cancel before the zip is written.
   */
  'gdpr.export.start': { input: GdprExportInput, output: z.object({ jobId: Id }) },
  /** GDPR requests (issue 17 §4), by deadline; one server's or all. */
  'gdpr.requests.list': { input: GdprRequestsListInput, output: GdprRequestsList },
  /** Records a request: deadline one month after the day received (default today). */
  'gdpr.requests.add': { input: GdprRequestAddInput, output: GdprRequest },
  'gdpr.requests.show': { input: GdprRequestIdInput, output: GdprRequest },
  /** Changes the day received (and so the deadline), the note or the status. */
  'gdpr.requests.update': { input: GdprRequestUpdateInput, output: GdprRequest },
  /** The access export of an access request as a job; its result becomes the evidence. */
  'gdpr.requests.export': { input: GdprRequestExportInput, output: z.object({ jobId: Id }) },
  /** The erasure of an erasure request (or its dry run); writes the signed confirmation. */
  'gdpr.requests.erase': { input: GdprRequestEraseInput, output: GdprRequestEraseResult },
  /** A request's evidence as a file to save: the export zip or the erasure confirmation zip. */
  'gdpr.requests.evidence': { input: GdprRequestEvidenceInput, output: TransferFile },
  /** The audit trail in one database: what installing changes (dryRun, the default), or do it. */
  'audit.install': { input: AuditInstallInput, output: AuditJobResult },
  /** Detach the audit trail; the history stays unless dropHistory. dryRun by default. */
  'audit.remove': { input: AuditRemoveInput, output: AuditJobResult },
  /** One record's versions from the audit trail, oldest first, and its current row. */
  'rollback.history': { input: RecordRefInput, output: RecordHistory },
  /** Records by a column's value: holding it now, or in an earlier version (the audit trail). */
  'rollback.find': { input: RecordFindInput, output: RecordMatches },
  /** The exact statement and field diff of a rollback to a version or moment; changes nothing. */
  'rollback.preview': { input: RollbackPreviewInput, output: RollbackPreview },
  /** Applies a preview in one transaction, or refuses with the reason and changes nothing. */
  'rollback.apply': { input: RollbackApplyInput, output: RollbackOutcome },
  /**
   * One subject's rows as of a moment, as a job (kind `rollback.subject`; result
   * SubjectRestorePreview): a scratch restore to the moment, the subject read there and in
   * production, the changes per table. Takes minutes. Changes nothing in production.
   */
  'rollback.subject.start': { input: SubjectRestoreInput, output: z.object({ jobId: Id }) },
  /** Applies a subject restore's preview in one transaction, or refuses and changes nothing. */
  'rollback.subject.apply': { input: SubjectRestoreApplyInput, output: SubjectRestoreOutcome },
  'jobs.list': { input: Empty, output: z.array(Job) },
  'jobs.get': { input: ById, output: Job },
  'jobs.cancel': { input: ById, output: Job },
  /** Hides a finished job from the history (it stays in the store); CONFLICT while it runs. */
  'jobs.dismiss': { input: ById, output: z.object({ dismissed: z.literal(true) }) },
  /** The accountability log (issue 17 §5), newest first, filtered. */
  'accountability.list': { input: AccountabilityFilter, output: AccountabilityList },
  /** Walks the hash chain; names the first entry that does not match. */
  'accountability.verify': { input: Empty, output: AccountabilityVerdict },
  /** CSV + JSON with a SHA-256 manifest signed like a drill report. */
  'accountability.export': { input: AccountabilityExportInput, output: AccountabilityExportResult },
  /** The name the log records beside the OS user (asked once at first start). */
  'settings.actor.get': { input: Empty, output: ActorInfo },
  'settings.actor.set': { input: ActorSetInput, output: ActorInfo },
} as const;

export type Commands = typeof commands;
export type CommandName = keyof Commands;
export type CommandInput<N extends CommandName> = z.input<Commands[N]['input']>;
export type CommandParsedInput<N extends CommandName> = z.output<Commands[N]['input']>;
export type CommandOutput<N extends CommandName> = z.output<Commands[N]['output']>;

export const commandNames = Object.keys(commands) as CommandName[];

export function isCommandName(name: unknown): name is CommandName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(commands, name);
}
