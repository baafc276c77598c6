import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { verifySshsig } from '../../../node/signing';
import { SIGNATURE_NAMESPACES } from '../../../shared/agent/bucket-layout';
import { RebuildResult, type RebuildHandoverFile } from '../../../shared/contract';
import { AppError } from '../app-error';
import { appPublicKey } from '../reports/app-signing-key';
import { transferFile } from '../reports/report-transfer';
import { zipArchive } from '../reports/zip-writer';
import type { SecretStore } from '../secrets/secret-store';

const FILES = ['handover.json', 'MANIFEST.sha256', 'MANIFEST.sha256.sig'] as const;

/**
 * The signed hand-over of a finished rebuild job, checked again as an auditor would (the
 * signature of MANIFEST.sha256 by this app's report key, handover.json's hash as listed), and
 * its three files as one zip for saving from the console. The folder comes from the job's
 * stored result, validated; nothing the page sends names a path.
 */
export async function handoverFile(
  secrets: SecretStore,
  jobResult: unknown,
): Promise<RebuildHandoverFile> {
  const parsed = RebuildResult.safeParse(jobResult);
  if (!parsed.success) {
    throw new AppError('NOT_FOUND', 'That job left no rebuild hand-over: open a finished rebuild.');
  }
  const { directory } = parsed.data.handover;
  let bytes: Buffer[];
  try {
    bytes = await Promise.all(FILES.map((f) => fs.readFile(path.join(directory, f))));
  } catch {
    throw new AppError(
      'NOT_FOUND',
      `The hand-over report is gone from ${directory}: it was moved or deleted on this computer.`,
    );
  }
  const [report, manifest, signature] = bytes as [Buffer, Buffer, Buffer];
  const publicKey = await appPublicKey(secrets);
  const signed =
    publicKey !== null &&
    verifySshsig(signature.toString('utf8'), manifest, SIGNATURE_NAMESPACES.report, publicKey);
  const listed = /^([0-9a-f]{64}) {2}handover\.json$/m.exec(manifest.toString('utf8'))?.[1];
  const hashed = crypto.createHash('sha256').update(report).digest('hex');
  const name = `kumiko-handover-${path.basename(directory).replace(/[^A-Za-z0-9._-]+/g, '-')}.zip`;
  return {
    verdict: signed && listed === hashed ? 'valid' : 'invalid',
    principal: parsed.data.handover.principal,
    file: transferFile(
      name,
      zipArchive(
        FILES.map((f, i) => ({ name: f, data: bytes[i] as Buffer })),
        new Date(),
      ),
    ),
  };
}
