/**
 * Restore duration estimate. Rates measured with `npm run bench -- pitr` on the development
 * machine (2 shared cores, local TLS S3 server, pgBackRest 2.45, zstd-1, AES-256), through the
 * agent's restore engine: pgbench scale 70 (1.12 GB) plus 1.48 GB of WAL (91 segments, 0.14 GB in
 * the bucket) restored in 13.1 s, of which about 1.2 s base backup, 10 s replay and promotion,
 * the rest SSH, the agent's start, verification and the attached files. The plan promises the
 * time up front, so the rates are what was measured, not a margin on top
 * (`pitr.estimate_ratio`, estimate / measured, is kept within 0.75-1.33); a customer's slower
 * link to its bucket shows as a longer download than estimated.
 */
export const RESTORE_RATES = {
  /** `pgbackrest restore` of the base backup, in bytes of cluster size per second. */
  downloadBytesPerSecond: 800e6,
  /** WAL replay including archive-get, in bytes of (uncompressed) WAL per second. */
  replayBytesPerSecond: 150e6,
  /**
   * WAL compresses well (pgbench: 11×); the stored size times this bounds the uncompressed
   * size, so near-empty segments (forced switches when idle) do not count as 16 MB each.
   */
  walCompressionBound: 10,
  /** archive-get's cost per segment, whatever it holds (fetched ahead asynchronously). */
  secondsPerSegment: 0.01,
  /** SSH round trips, the agent's start, folders, configuration, start, promotion, checks. */
  fixedSeconds: 2.5,
  /** restic restore of the attached files (runs during replay; small). */
  filesSeconds: 0.5,
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
