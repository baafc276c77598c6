import crypto from 'node:crypto';
import { subjectKeyHash, type ErasureLedgerEntry } from '../../shared/agent/erasure-ledger';

/** One table's rows of the erased subject, by the text of `column`'s values. */
export interface ErasedRows {
  table: string;
  column: string;
  values: string[];
  schema?: string;
}

/**
 * A GDPR erasure ledger entry as the erasure writes it (a fresh salt; each value only as its
 * salted hash), for tests that put one into the bucket before a restore or drill.
 */
export function erasureEntry(
  erasureId: string,
  database: string,
  rows: readonly ErasedRows[],
): ErasureLedgerEntry {
  const salt = crypto.randomBytes(16).toString('hex');
  const sha256 = (bytes: Uint8Array) => crypto.createHash('sha256').update(bytes).digest('hex');
  return {
    format: 'kumiko-erasure-1',
    erasureId,
    erasedAt: new Date().toISOString(),
    state: 'soft-deleted',
    database,
    salt,
    targets: rows.map((r) => ({
      schema: r.schema ?? 'public',
      table: r.table,
      column: r.column,
      keyHashes: r.values.map((v) => subjectKeyHash(salt, v, sha256)),
    })),
  };
}
