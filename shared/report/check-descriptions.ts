import type { KnownCheckId } from './drill-result';
import type { Bilingual } from './i18n';

/** What each known check establishes, printed under its title in the PDF. */
export const CHECK_DESCRIPTIONS: Record<KnownCheckId, Bilingual> = {
  'cluster-starts': {
    de: 'Der wiederhergestellte Cluster startet und nimmt Verbindungen an.',
    en: 'The restored cluster starts and accepts connections.',
  },
  amcheck: {
    de: 'pg_amcheck findet keine Beschädigung in Tabellen und Indizes.',
    en: 'pg_amcheck finds no corruption in tables and indexes.',
  },
  'manifest-match': {
    de: 'Zeilenzahlen und Prüfsummen je Tabelle stimmen mit dem signierten Manifest der Sicherung überein.',
    en: "Row counts and per-table checksums equal the backup's signed manifest.",
  },
  'files-hash': {
    de: 'Die Hashes der wiederhergestellten Dateien stimmen mit dem restic-Snapshot überein.',
    en: 'The hashes of the restored files equal the restic snapshot.',
  },
  'restic-check': {
    de: 'restic check --read-data-subset liest eine Stichprobe der Dateidaten fehlerfrei.',
    en: 'restic check --read-data-subset reads a sample of the file data without error.',
  },
  'pgbackrest-verify': {
    de: 'pgbackrest verify findet Sicherungen und WAL im Repository konsistent.',
    en: 'pgbackrest verify finds the backups and WAL in the repository consistent.',
  },
  'smoke-checks': {
    de: 'Die vom Administrator festgelegten SQL-Prüfabfragen liefern die erwarteten Ergebnisse.',
    en: "The administrator's SQL smoke checks return the expected results.",
  },
  'gdpr-ledger-replay': {
    de: 'Das DSGVO-Löschprotokoll wurde nach der Wiederherstellung erneut angewendet.',
    en: 'The GDPR erasure ledger was replayed after the restore.',
  },
  'bucket-protection': {
    de: 'Der Bucket-Schlüssel des Agenten kann keine alte Version löschen, der Bucket ist versioniert und mit Object Lock für die ganze Aufbewahrungszeit geschützt. Wird berichtet, entscheidet die Übung nicht.',
    en: "The agent's bucket key cannot delete an old version, and the bucket is versioned and Object-Locked for the whole retention. Reported; it does not decide the drill.",
  },
};

/** The description of a check id, if it is a known one. */
export function checkDescription(id: string): Bilingual | null {
  return Object.prototype.hasOwnProperty.call(CHECK_DESCRIPTIONS, id)
    ? CHECK_DESCRIPTIONS[id as KnownCheckId]
    : null;
}

/**
 * The headings of the known checks in the PDF, German and English (the console says the same in
 * its catalogs as `check.<id>`); a check this build does not know keeps the report's own title.
 */
const CHECK_HEADINGS: Record<KnownCheckId, Bilingual> = {
  'cluster-starts': {
    de: 'Wiederhergestellter Cluster startet und nimmt Verbindungen an',
    en: 'Restored cluster starts and accepts connections',
  },
  amcheck: { de: 'pg_amcheck findet keine Beschädigung', en: 'pg_amcheck finds no corruption' },
  'manifest-match': {
    de: 'Zeilenzahlen und Prüfsummen stimmen mit dem Manifest überein',
    en: 'Row counts and checksums match the manifest',
  },
  'smoke-checks': {
    de: 'Prüfabfragen liefern die erwarteten Ergebnisse',
    en: 'Smoke checks return the expected results',
  },
  'gdpr-ledger-replay': {
    de: 'DSGVO-Löschprotokoll erneut angewendet',
    en: 'GDPR erasure ledger replayed',
  },
  'files-hash': {
    de: 'Angehängte Dateien stimmen mit dem restic-Snapshot überein',
    en: 'Attached files match the restic snapshot',
  },
  'restic-check': {
    de: 'restic check liest eine Stichprobe der Dateidaten',
    en: 'restic check reads a sample of the file data',
  },
  'pgbackrest-verify': {
    de: 'pgbackrest verify findet das Repository konsistent',
    en: 'pgbackrest verify finds the repository consistent',
  },
  'bucket-protection': {
    de: 'Bucket-Schlüssel kann keine Sicherungen zerstören (Hinweis)',
    en: 'Bucket key cannot destroy backups (advisory)',
  },
};

/**
 * A check's heading in both languages: in English the report's own (signed) title, in German
 * the known check's German heading (a check this build does not know keeps its title).
 */
export function checkHeading(check: { id: string; title: string }): Bilingual {
  const known = Object.prototype.hasOwnProperty.call(CHECK_HEADINGS, check.id)
    ? CHECK_HEADINGS[check.id as KnownCheckId]
    : null;
  return { de: known?.de ?? check.title, en: check.title };
}
