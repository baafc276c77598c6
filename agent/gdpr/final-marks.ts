import fs from 'node:fs';
import { openFinalMark, signFinalMark } from '../../node/gdpr/final-mark';
import { ed25519PublicKeyFromPrivate } from '../../node/signing';
import { bucketLayout } from '../../shared/agent/bucket-layout';
import {
  erasureIsFinal,
  oldestRetained,
  type RetainedPoint,
} from '../../shared/agent/erasure-final';
import type { AgentConfig } from '../../shared/agent/config';
import { openSshPublicKeyLine } from '../../shared/sshsig/sshsig';
import type { Bucket } from '../engines/s3';
import { loadLedger } from './ledger-replay';

/**
 * Hard delete on rollover (issue 17 §3), the agent's part of its retention run: every verified
 * erasure that no retained recovery point predates gets a final mark signed with the agent's
 * key (shared/agent/erasure-final.ts), once. Entries refused by the ledger check are never
 * marked; a mark already there that is not the agent's own (planted) is replaced. Returns the
 * erasure ids marked now.
 */
export async function markFinalErasures(
  config: AgentConfig,
  bucket: Bucket,
  retained: readonly RetainedPoint[],
  now: Date,
): Promise<string[]> {
  const { entries } = await loadLedger(bucket, config);
  if (entries.length === 0) return [];
  const prefix = bucketLayout.gdprFinalPrefix(config.serverId);
  const marked = new Set(await bucket.list(prefix));
  const oldest = oldestRetained(retained);
  const privateKeyPem = fs.readFileSync(config.signingKeyFile, 'utf8');
  const ownKey = openSshPublicKeyLine(ed25519PublicKeyFromPrivate(privateKeyPem));
  const done: string[] = [];
  for (const entry of entries) {
    const key = `${prefix}${entry.erasureId}.json`;
    if (!erasureIsFinal(entry.erasedAt, retained)) continue;
    if (marked.has(key)) {
      const existing = await bucket.get(key);
      if (
        existing &&
        openFinalMark(existing, ownKey, config.serverId)?.erasureId === entry.erasureId
      )
        continue;
    }
    const body = signFinalMark(
      {
        format: 'kumiko-erasure-final-1',
        serverId: config.serverId,
        erasureId: entry.erasureId,
        erasedAt: entry.erasedAt,
        finalAt: now.toISOString(),
        oldestRetained: oldest
          ? { label: oldest.label, startedAt: new Date(oldest.startedMs).toISOString() }
          : null,
      },
      privateKeyPem,
    );
    await bucket.put(key, body, 'application/json');
    done.push(entry.erasureId);
  }
  return done;
}
