import { createHash } from 'node:crypto';
import { SIGNATURE_NAMESPACES } from '../../shared/agent/bucket-layout';
import { signSshsig } from '../signing';
import { rowsCsv, type Row } from './export-rows';
import { tableName } from './schema-graph';
import type { SubjectMap } from './subject-map';

// The access export (Art. 15 GDPR) as files: per mapped table the subject's rows as JSON and
// CSV, a summary in German and English that also says what is NOT in it, the map used, and
// MANIFEST.sha256 (`sha256sum -c` format) signed with SSHSIG in the report namespace, so it
// verifies like a drill report: `ssh-keygen -Y verify -f allowed_signers -I <principal>
// -n kumiko-report -s MANIFEST.sha256.sig < MANIFEST.sha256`.

export interface AccessExportInput {
  exportId: string;
  map: SubjectMap;
  /** The root key value that names the subject. */
  subject: string;
  serverName: string;
  exportedAt: Date;
  rows: ReadonlyMap<string, readonly Row[]>;
  /** Column names per mapped table, in the table's order (the CSV header). */
  columns: ReadonlyMap<string, readonly string[]>;
  /** Attached files by their path on the server. */
  attachedFiles: ReadonlyMap<string, Uint8Array>;
  /** Files the rows name that were not exported, and why. */
  skippedFiles?: readonly { path: string; why: 'outside' | 'missing' | 'too large' }[];
  /** Latest expiry of a retained recovery point holding data from before now, or null if none. */
  backupsExpire: string | null;
  signer: { privateKeyPem: string; principal: string; publicKey: string };
}

export const MANIFEST = 'MANIFEST.sha256';
export const MANIFEST_SIG = 'MANIFEST.sha256.sig';

const fileBase = (name: string) => name.replace(/[^A-Za-z0-9._-]/g, '_');

function summaries(input: AccessExportInput): { de: string; en: string } {
  const counts = input.map.tables.map(
    (t) => [tableName(t), input.rows.get(tableName(t))?.length ?? 0] as const,
  );
  const root = `${tableName(input.map.root)}.${input.map.root.column}`;
  const at = input.exportedAt.toISOString();
  const de = [
    'Auskunft nach Art. 15 DSGVO',
    '',
    `Server: ${input.serverName}   Datenbank: ${input.map.database}`,
    `Betroffene Person: ${root} = ${input.subject}`,
    `Erstellt: ${at} (ein konsistenter Stand, eine Transaktion REPEATABLE READ)`,
    '',
    'Enthaltene Daten (Zeilen je Tabelle, als JSON und CSV unter data/):',
    ...counts.map(([t, n]) => `  ${t}: ${n}`),
    `Angehängte Dateien (files/): ${input.attachedFiles.size}`,
    ...(input.skippedFiles ?? []).map(
      (f) =>
        `  nicht exportiert: ${f.path} (${{ outside: 'außerhalb der gesicherten Dateiordner', missing: 'nicht vorhanden oder keine reguläre Datei', 'too large': 'größer als 100 MB' }[f.why]})`,
    ),
    '',
    'Nicht enthalten:',
    input.backupsExpire
      ? `  Kopien in Sicherungen (Wiederherstellungspunkte). Sie sind verschlüsselt, werden nicht gelesen und laufen spätestens am ${input.backupsExpire} ab.`
      : '  Kopien in Sicherungen: keine Sicherung hält Daten, die hier fehlen.',
    '  Daten in Tabellen, die nicht über Fremdschlüssel oder die Zuordnung mit dieser Person verbunden sind (siehe map.json).',
    '',
    `Prüfen: sha256sum -c ${MANIFEST}; Signatur: ssh-keygen -Y verify -f allowed_signers -I ${input.signer.principal} -n ${SIGNATURE_NAMESPACES.report} -s ${MANIFEST_SIG} < ${MANIFEST}`,
    "CSV: Texte, die mit = + - @ beginnen, stehen dort mit vorangestelltem ' (die JSON-Dateien sind unverändert).",
  ];
  const en = [
    'Access request under Art. 15 GDPR',
    '',
    `Server: ${input.serverName}   Database: ${input.map.database}`,
    `Data subject: ${root} = ${input.subject}`,
    `Made: ${at} (one consistent state, one REPEATABLE READ transaction)`,
    '',
    'Data included (rows per table, as JSON and CSV under data/):',
    ...counts.map(([t, n]) => `  ${t}: ${n}`),
    `Attached files (files/): ${input.attachedFiles.size}`,
    ...(input.skippedFiles ?? []).map(
      (f) =>
        `  not exported: ${f.path} (${{ outside: 'outside the backed-up file folders', missing: 'missing or not a regular file', 'too large': 'larger than 100 MB' }[f.why]})`,
    ),
    '',
    'Not included:',
    input.backupsExpire
      ? `  Copies in backups (recovery points). They are encrypted, are not read, and expire on ${input.backupsExpire} at the latest.`
      : '  Copies in backups: no backup holds data missing here.',
    '  Data in tables not linked to this person by a foreign key or the map (see map.json).',
    '',
    `Verify: sha256sum -c ${MANIFEST}; signature: ssh-keygen -Y verify -f allowed_signers -I ${input.signer.principal} -n ${SIGNATURE_NAMESPACES.report} -s ${MANIFEST_SIG} < ${MANIFEST}`,
    "CSV: text starting with = + - @ has a leading ' there (the JSON files are unchanged).",
  ];
  return { de: `${de.join('\n')}\n`, en: `${en.join('\n')}\n` };
}

/** The export's files (paths relative to its folder), manifest and signature included. */
export function buildAccessExport(input: AccessExportInput): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  const put = (name: string, text: string | Uint8Array) =>
    files.set(name, typeof text === 'string' ? Buffer.from(text, 'utf8') : text);
  const { de, en } = summaries(input);
  put('ZUSAMMENFASSUNG.txt', de);
  put('SUMMARY.txt', en);
  put('map.json', `${JSON.stringify(input.map, null, 2)}\n`);
  const tables = input.map.tables.map((t) => {
    const name = tableName(t);
    const rows = input.rows.get(name) ?? [];
    const base = `data/${fileBase(name)}`;
    put(`${base}.json`, `${JSON.stringify(rows, null, 2)}\n`);
    put(`${base}.csv`, rowsCsv(input.columns.get(name) ?? Object.keys(rows[0] ?? {}), rows));
    return { table: name, rows: rows.length, json: `${base}.json`, csv: `${base}.csv` };
  });
  const attached = [...input.attachedFiles].map(([serverPath, bytes], i) => {
    const name = `files/${i + 1}-${fileBase(serverPath.split('/').pop() ?? 'file')}`;
    put(name, bytes);
    return { serverPath, file: name };
  });
  put(
    'summary.json',
    `${JSON.stringify(
      {
        format: 'kumiko-access-export-1',
        exportId: input.exportId,
        server: input.serverName,
        database: input.map.database,
        root: input.map.root,
        subject: input.subject,
        exportedAt: input.exportedAt.toISOString(),
        tables,
        attachedFiles: attached,
        skippedFiles: input.skippedFiles ?? [],
        notIncluded: { backupsExpire: input.backupsExpire },
        signer: { principal: input.signer.principal, publicKey: input.signer.publicKey },
      },
      null,
      2,
    )}\n`,
  );
  put('signer.pub', `${input.signer.principal} ${input.signer.publicKey}\n`);
  const manifest = [...files]
    .map(([name, bytes]) => `${createHash('sha256').update(bytes).digest('hex')}  ${name}`)
    .join('\n');
  put(MANIFEST, `${manifest}\n`);
  put(
    MANIFEST_SIG,
    signSshsig(
      input.signer.privateKeyPem,
      Buffer.from(`${manifest}\n`),
      SIGNATURE_NAMESPACES.report,
    ),
  );
  return files;
}
