import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { signSshsig } from '../../../node/signing';
import { SIGNATURE_NAMESPACES } from '../../../shared/agent/bucket-layout';
import type {
  AccountabilityEntry,
  AccountabilityExportResult,
  AccountabilityFilter,
  AccountabilityVerdict,
} from '../../../shared/contract';
import { appSigningKey } from '../reports/app-signing-key';
import type { SecretStore } from '../secrets/secret-store';
import { canonicalJson } from './chain';

// The log's export, signed like a drill report: activity-log.csv and activity-log.json, their
// hashes in MANIFEST.sha256 (sha256sum format) and its SSHSIG by the app's report key,
// namespace kumiko-report. Offline: ssh-keygen -Y verify -f allowed_signers -I <principal>
// -n kumiko-report -s MANIFEST.sha256.sig < MANIFEST.sha256, then sha256sum -c MANIFEST.sha256.
// The JSON carries every entry's prevHash and hash, so the chain re-checks outside the app.

const COLUMNS = [
  'seq',
  'at',
  'osUser',
  'actorName',
  'action',
  'serverId',
  'target',
  'params',
  'result',
  'errorCode',
  'prevHash',
  'hash',
] as const;

export interface LogExportInput {
  directory: string;
  entries: AccountabilityEntry[];
  filter: AccountabilityFilter;
  verdict: AccountabilityVerdict;
  exportedBy: { osUser: string; actorName: string };
}

export async function writeLogExport(
  secrets: SecretStore,
  input: LogExportInput,
): Promise<AccountabilityExportResult> {
  const key = await appSigningKey(secrets);
  await fs.mkdir(input.directory, { recursive: true, mode: 0o700 });
  // Oldest first in the files: the order the chain is checked in.
  const entries = [...input.entries].sort((a, b) => a.seq - b.seq);
  const files: Record<string, string> = {
    'activity-log.csv': csvOf(entries),
    'activity-log.json': `${JSON.stringify(
      {
        kind: 'kumiko-activity-log',
        version: 1,
        exportedAt: new Date().toISOString(),
        exportedBy: input.exportedBy,
        filter: input.filter,
        verdict: input.verdict,
        hashRule: 'hash = sha256(prevHash + canonical JSON of the entry without hash, keys sorted)',
        entries,
      },
      null,
      2,
    )}\n`,
  };
  let manifest = '';
  for (const [name, text] of Object.entries(files)) {
    await fs.writeFile(path.join(input.directory, name), text, { mode: 0o600 });
    manifest += `${crypto.createHash('sha256').update(text).digest('hex')}  ${name}\n`;
  }
  await fs.writeFile(path.join(input.directory, 'MANIFEST.sha256'), manifest, { mode: 0o600 });
  await fs.writeFile(
    path.join(input.directory, 'MANIFEST.sha256.sig'),
    signSshsig(key.privateKeyPem, Buffer.from(manifest), SIGNATURE_NAMESPACES.report),
    { mode: 0o600 },
  );
  return {
    directory: input.directory,
    files: [...Object.keys(files), 'MANIFEST.sha256', 'MANIFEST.sha256.sig'],
    sha256: crypto.createHash('sha256').update(manifest).digest('hex'),
    principal: key.principal,
    publicKey: key.publicKey,
    entries: entries.length,
    verdict: input.verdict,
  };
}

function csvOf(entries: AccountabilityEntry[]): string {
  const lines = [COLUMNS.join(',')];
  for (const entry of entries) {
    lines.push(
      COLUMNS.map((column) => {
        const value = entry[column];
        return csvCell(typeof value === 'object' && value !== null ? canonicalJson(value) : value);
      }).join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

/**
 * RFC 4180 quoting; a cell a spreadsheet would run as a formula (a server name from an
 * untrusted host starting with '=') gets a leading apostrophe.
 */
function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text) && typeof value === 'string') text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
