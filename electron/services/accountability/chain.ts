import crypto from 'node:crypto';
import type { AccountabilityEntry } from '../../../shared/contract';

/** The hash before the first entry: 64 zeros, so every entry has a predecessor to name. */
export const GENESIS_HASH = '0'.repeat(64);

export type UnhashedEntry = Omit<AccountabilityEntry, 'hash'>;

/** JSON with object keys sorted at every level: the same entry always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record)
    .filter((key) => record[key] !== undefined)
    .sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`).join(',')}}`;
}

/** sha256(prevHash + canonical JSON of the entry without its own hash). */
export function entryHash(entry: UnhashedEntry): string {
  return crypto
    .createHash('sha256')
    .update(entry.prevHash)
    .update(canonicalJson(entry))
    .digest('hex');
}

export interface ChainBreak {
  seq: number;
  reason: 'hash' | 'link' | 'gap';
}

/**
 * Checks entries in sequence order: each links to the one before (prevHash), its hash matches
 * its content, and no sequence number is missing (a deleted row). Returns the first break.
 */
export function firstBreak(entries: Iterable<AccountabilityEntry>): ChainBreak | null {
  let prev = GENESIS_HASH;
  let expectedSeq = 1;
  for (const entry of entries) {
    if (entry.seq !== expectedSeq) return { seq: entry.seq, reason: 'gap' };
    if (entry.prevHash !== prev) return { seq: entry.seq, reason: 'link' };
    const { hash, ...rest } = entry;
    if (entryHash(rest) !== hash) return { seq: entry.seq, reason: 'hash' };
    prev = hash;
    expectedSeq += 1;
  }
  return null;
}
