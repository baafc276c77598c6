import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { ReportVerification, TransferFile } from '../../../shared/contract';
import { BUNDLE_FILES } from '../../../shared/report/bundle-layout';
import { AppError } from '../app-error';
import type { ReportsService } from './reports-service';
import { looksLikeZip } from './zip-reader';

/** Bytes as the contract's TransferFile. */
export function transferFile(fileName: string, bytes: Buffer): TransferFile {
  return {
    fileName,
    base64: bytes.toString('base64'),
    bytes: bytes.length,
    sha256: crypto.createHash('sha256').update(bytes).digest('hex'),
  };
}

/**
 * An archived report for saving from the console: the bundle zip (what `kumiko report export`
 * writes, for one report) or its signed report.json.
 */
export async function reportFile(
  reports: Pick<ReportsService, 'exportOne' | 'list'>,
  input: { serverId: string; drillId: string; format: 'zip' | 'json' },
): Promise<TransferFile> {
  if (input.format === 'zip') {
    const { fileName, zip } = await reports.exportOne(input.serverId, input.drillId);
    return transferFile(fileName, zip);
  }
  const entry = reports.list({ serverId: input.serverId }).find((r) => r.drillId === input.drillId);
  if (!entry) throw new AppError('NOT_FOUND', `No archived report ${input.drillId}.`);
  const bytes = await fs.readFile(path.join(entry.bundlePath, BUNDLE_FILES.reportJson));
  const name = entry.serverName.replace(/[^A-Za-z0-9._-]+/g, '-');
  return transferFile(`kumiko-${name}-${entry.drillId}-report.json`, bytes);
}

/**
 * Verifies a report zip picked in the console: written to a private temporary folder (0700)
 * under the app's data folder, verified there by `reports.verify`'s own code, then deleted. The
 * answer names the file as the user picked it, never the temporary path.
 * @throws AppError INVALID_INPUT when the bytes are not a zip.
 */
export async function verifyReportFile(
  reports: Pick<ReportsService, 'verify'>,
  dataDir: string,
  input: { fileName: string; base64: string; keys?: string },
): Promise<ReportVerification> {
  const bytes = Buffer.from(input.base64, 'base64');
  if (!looksLikeZip(bytes.subarray(0, 4))) {
    throw new AppError(
      'INVALID_INPUT',
      `${input.fileName} is not a zip file. Pick the report bundle's .zip (as "Save bundle" or kumiko report export wrote it).`,
    );
  }
  const parent = path.join(dataDir, 'tmp');
  await fs.mkdir(parent, { recursive: true, mode: 0o700 });
  const dir = await fs.mkdtemp(path.join(parent, 'verify-'));
  const zipPath = path.join(dir, 'bundle.zip');
  try {
    await fs.writeFile(zipPath, bytes, { mode: 0o600 });
    const result = await reports.verify({
      path: zipPath,
      ...(input.keys ? { keys: input.keys } : {}),
    });
    return renamePaths(result, zipPath, input.fileName);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** Every mention of the temporary path in the answer becomes the picked file's name. */
function renamePaths(
  result: ReportVerification,
  tempPath: string,
  fileName: string,
): ReportVerification {
  const inJson = (text: string) => JSON.stringify(text).slice(1, -1);
  const text = JSON.stringify(result).split(inJson(tempPath)).join(inJson(fileName));
  return JSON.parse(text) as ReportVerification;
}
