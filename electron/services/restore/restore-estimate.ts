/**
 * Restore duration estimate. Rates measured on the development machine (2 shared cores, local
 * TLS S3 server, pgBackRest 2.45, zstd-1, AES-256) with `npm run bench -- pitr`: pgbench scale
 * 20 (0.34 GB) plus 0.32 GB of WAL (21 segments, 28 MB in the bucket) restored in 9.4 s —
 * 0.9 s plan, 3.0 s download, 5.4 s replay and promotion, 0.3 s verify. A customer's link to
 * its bucket is usually slower, so the estimate errs long rather than short.
 */
export const RESTORE_RATES = {
  /** `pgbackrest restore` of the base backup, in bytes of cluster size per second. */
  downloadBytesPerSecond: 120e6,
  /** WAL replay including archive-get, in bytes of (uncompressed) WAL per second. */
  replayBytesPerSecond: 80e6,
  /**
   * WAL compresses well (pgbench: 11×); the stored size times this bounds the uncompressed
   * size, so near-empty segments (forced switches when idle) do not count as 16 MB each.
   */
  walCompressionBound: 10,
  /** archive-get's cost per segment, whatever it holds. */
  secondsPerSegment: 0.05,
  /** SSH round trips, folders, configuration, start, promotion and the cluster checks. */
  fixedSeconds: 3,
  /** restic restore of the attached files (runs during replay; small). */
  filesSeconds: 1,
  /** Row counts and checksums of a recovery point, per byte of cluster size. */
  manifestBytesPerSecond: 300e6,
} as const;

const SEGMENT_BYTES = 16 * 1024 * 1024;

/** What the estimate is computed from (the plan's numbers). */
export interface EstimateInput {
  backupBytes: number | null;
  walSegments: number;
  /** Bytes of those segments in the bucket (compressed). */
  walStoredBytes: number;
  attachedFiles: boolean;
  manifestCheck: boolean;
}

/** Estimated seconds from the start of the job to a verified scratch cluster (rounded up). */
export function estimateRestoreSeconds(input: EstimateInput): number {
  const r = RESTORE_RATES;
  const backup = input.backupBytes ?? 0;
  const walBytes = Math.min(
    input.walSegments * SEGMENT_BYTES,
    input.walStoredBytes * r.walCompressionBound,
  );
  const seconds =
    r.fixedSeconds +
    backup / r.downloadBytesPerSecond +
    walBytes / r.replayBytesPerSecond +
    input.walSegments * r.secondsPerSegment +
    (input.attachedFiles ? r.filesSeconds : 0) +
    (input.manifestCheck ? backup / r.manifestBytesPerSecond : 0);
  return Math.ceil(seconds);
}
