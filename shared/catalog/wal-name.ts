import type { SegmentRef } from './model';

/**
 * WAL file names as PostgreSQL and pgBackRest write them (16 MB segments, the default and the
 * only size our agent installs). A segment name is 24 hex digits: timeline (8), log (8) and
 * segment within the log (8, 00..FF for 16 MB). Positions number segments across logs as
 * `log * 256 + seg`, so consecutive segments have consecutive positions; LSN = position × 16 MB.
 *
 * pgBackRest stores a segment as `<name>-<sha1>[.gz|.zst|…]`, a backup history file as
 * `<name>.<offset 8 hex>.backup`, a timeline history file as `<timeline 8 hex>.history`, and
 * the unfinished last segment of a timeline (left at a promotion) as `<name>.partial-<sha1>…`.
 */

export const WAL_SEGMENT_BYTES = 16 * 1024 * 1024;
/** Segments per 4 GB log at 16 MB: the seg part of a name runs 00..FF. */
export const SEGMENTS_PER_LOG = 0x1_0000_0000 / WAL_SEGMENT_BYTES;

const SEGMENT_NAME = /^[0-9A-F]{24}$/;
const SEGMENT_FILE = /^([0-9A-F]{24})(\.partial)?-([0-9a-f]{40})(\.[a-z0-9]+)?$/;
const BACKUP_FILE = /^([0-9A-F]{24})\.([0-9A-F]{8})\.backup$/;
const HISTORY_FILE = /^([0-9A-F]{8})\.history$/;

/** What one file of the archive folder is. */
export type ArchiveFile =
  | {
      kind: 'segment';
      name: string;
      timeline: number;
      segment: number;
      sha1: string;
      /** `.partial`: not a complete segment, not counted as one. */
      partial: boolean;
    }
  | { kind: 'backup-history'; name: string; timeline: number; segment: number; offset: number }
  | { kind: 'timeline-history'; timeline: number };

/** True for a plain 24-hex segment name. */
export function isSegmentName(name: string): boolean {
  return SEGMENT_NAME.test(name);
}

/**
 * Timeline and position of a 24-hex segment name.
 * @throws Error when `name` is not a segment name (or its seg part exceeds FF).
 */
export function parseSegmentName(name: string): SegmentRef {
  if (!SEGMENT_NAME.test(name)) throw new Error(`not a WAL segment name: ${name}`);
  const seg = parseInt(name.slice(16, 24), 16);
  if (seg >= SEGMENTS_PER_LOG) throw new Error(`not a 16 MB WAL segment name: ${name}`);
  return {
    timeline: parseInt(name.slice(0, 8), 16),
    segment: parseInt(name.slice(8, 16), 16) * SEGMENTS_PER_LOG + seg,
  };
}

const hex8 = (n: number): string => n.toString(16).toUpperCase().padStart(8, '0');

/** The 24-hex name of a segment. */
export function segmentName(timeline: number, segment: number): string {
  return (
    hex8(timeline) + hex8(Math.floor(segment / SEGMENTS_PER_LOG)) + hex8(segment % SEGMENTS_PER_LOG)
  );
}

/** The name of the segment after `name` on the same timeline (FF wraps into the next log). */
export function nextSegment(name: string): string {
  const { timeline, segment } = parseSegmentName(name);
  return segmentName(timeline, segment + 1);
}

/** The name of the segment before `name` on the same timeline; null for the very first. */
export function previousSegment(name: string): string | null {
  const { timeline, segment } = parseSegmentName(name);
  return segment === 0 ? null : segmentName(timeline, segment - 1);
}

/**
 * An LSN (`16/B374D848`) as a number of bytes. Exact below 2^53 (8 PB of WAL).
 * @throws Error when `lsn` is not an LSN.
 */
export function parseLsn(lsn: string): number {
  const m = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/.exec(lsn);
  if (!m) throw new Error(`not an LSN: ${lsn}`);
  return parseInt(m[1] as string, 16) * 0x1_0000_0000 + parseInt(m[2] as string, 16);
}

/** A byte position as an LSN string (upper-case hex, like PostgreSQL prints it). */
export function formatLsn(bytes: number): string {
  const hi = Math.floor(bytes / 0x1_0000_0000);
  const lo = bytes - hi * 0x1_0000_0000;
  return `${hi.toString(16).toUpperCase()}/${lo.toString(16).toUpperCase()}`;
}

/** The position of the segment that holds `lsn`. */
export function lsnToSegment(lsn: string): number {
  return Math.floor(parseLsn(lsn) / WAL_SEGMENT_BYTES);
}

/** The LSN where segment position `segment` begins. */
export function segmentStartLsn(segment: number): string {
  return formatLsn(segment * WAL_SEGMENT_BYTES);
}

/**
 * Classifies one file name of the archive folder (no folder part); null for anything else
 * (archive.info, unknown files). Cheap on the common case: segment files are tested first.
 */
export function parseArchiveFileName(file: string): ArchiveFile | null {
  let m = SEGMENT_FILE.exec(file);
  if (m) {
    const name = m[1] as string;
    const ref = safeSegment(name);
    if (!ref) return null;
    return { kind: 'segment', name, ...ref, sha1: m[3] as string, partial: m[2] !== undefined };
  }
  m = BACKUP_FILE.exec(file);
  if (m) {
    const name = m[1] as string;
    const ref = safeSegment(name);
    if (!ref) return null;
    return { kind: 'backup-history', name, ...ref, offset: parseInt(m[2] as string, 16) };
  }
  m = HISTORY_FILE.exec(file);
  if (m) return { kind: 'timeline-history', timeline: parseInt(m[1] as string, 16) };
  return null;
}

function safeSegment(name: string): SegmentRef | null {
  try {
    return parseSegmentName(name);
  } catch {
    return null;
  }
}

/**
 * Splits an S3 key below `…/archive/<stanza>/` into archive id and file name:
 * `15-1/0000000100000000/0000000100000000000000A3-<sha1>.zst` → `15-1`, `0000…A3-<sha1>.zst`;
 * `15-1/00000002.history` → `15-1`, `00000002.history`. Null for other keys (archive.info).
 */
export function splitArchiveKey(relativeKey: string): { archiveId: string; file: string } | null {
  const slash = relativeKey.indexOf('/');
  if (slash <= 0) return null;
  const archiveId = relativeKey.slice(0, slash);
  if (!/^\d+-\d+$/.test(archiveId)) return null;
  const file = relativeKey.slice(relativeKey.lastIndexOf('/') + 1);
  return file ? { archiveId, file } : null;
}

/** Orders archive ids (`<pg version>-<db id>`) by db id: pgBackRest counts it up at stanza-upgrade. */
export function compareArchiveIds(a: string, b: string): number {
  const id = (s: string) => Number(s.slice(s.indexOf('-') + 1));
  return id(a) - id(b) || (a < b ? -1 : a > b ? 1 : 0);
}
