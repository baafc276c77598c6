import fs from 'node:fs';
const MiB = 1024 * 1024;
/** WAL segments on the scratch disk at once during a restore (staged, restored, recycled). */
const WAL_SEGMENTS_IN_FLIGHT = 6;

/** What a restore into a scratch folder needs on its disk, and what the disk has. */
export interface Room {
  ok: boolean;
  freeBytes: number;
  neededBytes: number;
  /** One sentence for the admin (with the numbers) when there is not enough; null otherwise. */
  problem: string | null;
}

/**
 * Whether the disk holding `dir` has room for a restore of a cluster of `clusterBytes` (the
 * backup's size as pgBackRest reports it): the cluster, a few WAL segments staged beside it and
 * in pg_wal while they replay (each is deleted once replayed), plus a tenth for what grows while
 * it starts. Said before anything is restored, so a full disk is a refusal with the numbers,
 * not pgBackRest's "No space left on device" half-way (issue 20, fault 10).
 */
export function roomFor(dir: string, clusterBytes: number, what: string, setting: string): Room {
  const walBytes = WAL_SEGMENTS_IN_FLIGHT * 16 * MiB;
  const neededBytes = Math.ceil((clusterBytes + walBytes) * 1.1);
  let freeBytes: number;
  try {
    const st = fs.statfsSync(dir);
    freeBytes = st.bavail * st.bsize;
  } catch {
    // Unknown (the folder is not there yet): pgBackRest will say it if the disk fills up.
    return { ok: true, freeBytes: Number.NaN, neededBytes, problem: null };
  }
  if (freeBytes >= neededBytes) return { ok: true, freeBytes, neededBytes, problem: null };
  return {
    ok: false,
    freeBytes,
    neededBytes,
    problem:
      `${what} needs about ${size(neededBytes)} (the backup's ${size(clusterBytes)} plus room for WAL), ` +
      `but the disk under ${dir} has ${size(freeBytes)} free: free space there, or point ${setting} to a larger disk`,
  };
}

function size(bytes: number): string {
  return bytes >= 1024 * MiB
    ? `${(bytes / (1024 * MiB)).toFixed(1)} GB`
    : `${Math.ceil(bytes / MiB)} MB`;
}
