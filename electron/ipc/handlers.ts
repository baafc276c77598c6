import type { JobRunner } from '../jobs/runner';
import type { AccountabilityService } from '../services/accountability/accountability-service';
import { AppError } from '../services/app-error';
import type { AgentInstallService } from '../services/agent-install/agent-install-service';
import type { CatalogService } from '../services/catalog/catalog-service';
import type { DrillService } from '../services/drill/drill-service';
import type { GdprService } from '../services/gdpr/gdpr-service';
import type { GdprRequestsService } from '../services/gdpr/requests-service';
import type { PointService } from '../services/point/point-service';
import type { RollbackService } from '../services/rollback/rollback-service';
import type { SubjectRestoreService } from '../services/rollback/subject-restore-service';
import type { MonitoringService } from '../services/monitoring/monitoring-service';
import type { RecoveryKitService } from '../services/recovery-kit/recovery-kit-service';
import type { KitImportService } from '../services/rebuild/kit-import-service';
import type { RebuildService } from '../services/rebuild/rebuild-service';
import type { ReportsService } from '../services/reports/reports-service';
import { reportFile, transferFile, verifyReportFile } from '../services/reports/report-transfer';
import type { RestoreService } from '../services/restore/restore-service';
import type { ServersService } from '../services/servers/servers-service';
import type { StorageService } from '../services/storage/storage-service';
import type { Handlers } from './router';

export interface HandlerDeps {
  version: string;
  /** The app's data folder (temporary copies of files the user picked to verify). */
  dataDir: string;
  transport: 'electron' | 'web' | 'cli';
  servers: ServersService;
  storage: StorageService;
  agent: AgentInstallService;
  monitoring: MonitoringService;
  recoveryKit: RecoveryKitService;
  kitImport: KitImportService;
  rebuild: RebuildService;
  catalog: CatalogService;
  restore: RestoreService;
  reports: ReportsService;
  drill: DrillService;
  point: PointService;
  gdpr: GdprService;
  gdprRequests: GdprRequestsService;
  rollback: RollbackService;
  subjectRestore: SubjectRestoreService;
  jobs: JobRunner;
  accountability: AccountabilityService;
}

/** Maps each contract command onto the service that does the work. Nothing else lives here. */
export function createHandlers(deps: HandlerDeps): Handlers {
  const { servers, storage, agent, monitoring, recoveryKit, catalog, restore, jobs } = deps;
  const { reports, drill } = deps;
  return {
    'app.info': () => ({
      version: deps.version,
      transport: deps.transport,
      folders: { reports: reports.archiveDir, exports: reports.exportsDir },
    }),
    'servers.list': () => servers.list(),
    'servers.get': ({ id }) => servers.get(id),
    'servers.add': (draft) => servers.add(draft),
    'servers.remove': async ({ id }) => {
      await servers.remove(id);
      return { removed: true as const };
    },
    'servers.update': (input) => servers.update(input),
    'servers.probeHostKey': ({ id }) => servers.probeHostKey(id),
    'servers.trustHostKey': ({ id, fingerprint }) => servers.trustHostKey(id, fingerprint),
    'servers.connect': ({ id }) => ({ jobId: servers.connect(id).id }),
    'storage.check': (draft) => storage.check(draft),
    'storage.save': ({ serverId, target }) => storage.save(serverId, target),
    'storage.get': ({ serverId }) => storage.get(serverId),
    'agent.plan': (request) => agent.plan(request),
    'agent.install': (request) => ({ jobId: agent.install(request).id }),
    'agent.uninstall': (input) => ({ jobId: agent.uninstall(input).id }),
    'agent.updateReview': (input) => agent.updateReview(input),
    'agent.update': (input) => ({ jobId: agent.update(input).id }),
    'alerts.test': (input) => agent.testAlerts(input),
    'status.get': ({ serverId }) => monitoring.get(serverId),
    'status.fleet': () => monitoring.fleet(),
    'recoveryKit.export': ({ serverId, outputDirectory }) =>
      recoveryKit.export(serverId, outputDirectory),
    'recoveryKit.acknowledge': ({ serverId, sha256 }) => recoveryKit.acknowledge(serverId, sha256),
    'recoveryKit.status': ({ serverId }) => recoveryKit.status(serverId),
    'recoveryKit.import': (request) => deps.kitImport.import(request),
    'rebuild.plan': (request) => deps.rebuild.plan(request),
    'rebuild.start': (request) => ({ jobId: deps.rebuild.start(request).id }),
    'rebuild.resume': ({ jobId }) => ({ jobId: deps.rebuild.resume(jobId).id }),
    'rebuild.handover': ({ jobId }) => deps.rebuild.handover(jobId),
    'catalog.get': ({ serverId, refresh }) => catalog.get(serverId, { refresh }),
    'restore.plan': (request) => restore.plan(request),
    'restore.start': (request) => ({ jobId: restore.start(request).id }),
    'restore.production.plan': (request) => restore.planProduction(request),
    'restore.production.start': async (input) => ({
      jobId: (await restore.startProduction(input)).id,
    }),
    'scratch.list': () => restore.listScratch(),
    'scratch.drop': ({ id }) => restore.dropScratch(id),
    'reports.list': (filter) => reports.list(filter),
    'reports.export': (request) => reports.export(request),
    'reports.verify': (request) => reports.verify(request),
    'reports.get': ({ serverId, drillId }) => drill.reportDetail(serverId, drillId),
    'reports.pdf': async ({ serverId, drillId, language }) => {
      if (!language) return drill.reportPdf(serverId, drillId);
      const copy = await reports.readingCopy(serverId, drillId, language);
      return transferFile(copy.fileName, copy.pdf);
    },
    'reports.file': (input) => reportFile(reports, input),
    'reports.verifyFile': (input) => verifyReportFile(reports, deps.dataDir, input),
    'reports.countersign': ({ serverId, drillId }) => reports.countersign(serverId, drillId),
    'drill.start': ({ serverId }) => ({ jobId: drill.start(serverId).id }),
    'drill.overview': ({ serverId }) => drill.overview(serverId),
    'drill.sync': ({ serverId }) => drill.sync(serverId),
    'drill.settings.save': (input) => drill.saveSettings(input),
    'point.create': (input) => ({ jobId: deps.point.create(input).id }),
    'gdpr.map': (input) => deps.gdpr.map(input),
    'gdpr.export': (input) => deps.gdpr.export(input),
    'gdpr.erase': (input) => deps.gdpr.erase(input),
    'gdpr.erasures': (input) => deps.gdpr.erasures(input),
    'gdpr.export.estimate': (input) => deps.gdpr.estimate(input),
    'gdpr.export.start': (input) => ({ jobId: deps.gdpr.startExport(input).id }),
    'gdpr.requests.list': (input) => deps.gdprRequests.list(input),
    'gdpr.requests.add': (input) => deps.gdprRequests.add(input),
    'gdpr.requests.show': ({ id }) => deps.gdprRequests.show(id),
    'gdpr.requests.update': (input) => deps.gdprRequests.update(input),
    'gdpr.requests.export': (input) => deps.gdprRequests.startExport(input),
    'gdpr.requests.erase': (input) => deps.gdprRequests.erase(input),
    'gdpr.requests.evidence': (input) => deps.gdprRequests.evidence(input),
    'audit.install': (input) => deps.rollback.auditInstall(input),
    'audit.remove': (input) => deps.rollback.auditRemove(input),
    'rollback.history': (input) => deps.rollback.history(input),
    'rollback.find': (input) => deps.rollback.find(input),
    'rollback.preview': (input) => deps.rollback.preview(input),
    'rollback.apply': (input) => deps.rollback.apply(input),
    'rollback.subject.start': (input) => ({ jobId: deps.subjectRestore.start(input).id }),
    'rollback.subject.apply': (input) => deps.subjectRestore.apply(input),
    'jobs.list': () => jobs.list(),
    'jobs.get': ({ id }) => {
      const job = jobs.get(id);
      if (!job) throw new AppError('JOB_NOT_FOUND', `No job ${id}.`);
      return job;
    },
    'jobs.cancel': ({ id }) => jobs.cancel(id),
    'jobs.dismiss': ({ id }) => jobs.dismiss(id),
    'accountability.list': (filter) => deps.accountability.list(filter),
    'accountability.verify': () => deps.accountability.verify(),
    'accountability.export': (input) => deps.accountability.export(input),
    'settings.actor.get': () => deps.accountability.actorInfo(),
    'settings.actor.set': ({ actorName }) => deps.accountability.setActor(actorName),
  };
}
