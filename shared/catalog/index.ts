/**
 * The catalog of recoverable moments (issue 4), pure: WAL names, coverage, gaps and the
 * resolution of a restore target. The app's CatalogService (electron/services/catalog) lists
 * the bucket, caches the listing and feeds it here.
 *
 * For the restore service:
 *   const model = await catalogService.model(serverId);          // CatalogModel, see model.ts
 *   const r = resolveRecoveryTarget(model, request.target);       // RecoveryResolution
 *   if (!r.ok) throw new AppError(r.code, r.reason);              // RESTORE_NOT_COVERED
 *   // r.value: backup (--set), pgbackrestType (--type), targetTime (--target),
 *   // timeline (--target-timeline), wal {segments, bytes}, attachedFiles, warnings
 */
export * from './model';
export * from './wal-name';
export * from './wal-index';
export * from './wal-path';
export * from './label-time';
export * from './archive-listing';
export { DEFAULT_GFS_POLICY, trustedManifest } from './backups';
export { buildCatalogModel } from './build-catalog';
export { resolveRecoveryTarget, type ResolveOptions } from './resolve';
export { eventFromRecord } from './event-records';
export {
  drillEvents,
  drillMarks,
  drillWarning,
  failedChecksText,
  NEVER_DRILLED,
} from './drill-marks';
