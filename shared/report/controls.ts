import type { DrillResult } from './drill-result';
import { formatSeconds, formatUtc, type Bilingual } from './i18n';

/**
 * What a drill proves for the frameworks auditors ask about (DESIGN.md §1). Each row names the
 * control and says, with this drill's own figures, what the report is evidence of. A failed
 * drill is still evidence that the control operates (the test ran); its result shows a finding.
 */
export interface ControlRow {
  framework: string;
  control: string;
  title: Bilingual;
  proves: Bilingual;
}

function verdict(drill: DrillResult): Bilingual {
  return drill.passed
    ? { de: 'Ergebnis: bestanden.', en: 'Result: passed.' }
    : {
        de: 'Ergebnis: nicht bestanden; die fehlgeschlagenen Prüfungen sind ein Befund.',
        en: 'Result: failed; the failed checks are a finding.',
      };
}

/** The control mapping table of one drill. */
export function controlRows(drill: DrillResult): ControlRow[] {
  const when = formatUtc(drill.startedAt);
  const rto = drill.rtoSeconds === null ? null : formatSeconds(drill.rtoSeconds);
  const rpo = formatSeconds(drill.rpoSeconds);
  const label = drill.restored.backupLabel;
  const n = drill.checks.length;
  const v = verdict(drill);
  const rtoDe = rto ? `in ${rto} wiederhergestellt und verifiziert` : 'nicht verifiziert';
  const rtoEn = rto ? `restored and verified in ${rto}` : 'not verified';
  return [
    {
      framework: 'ISO/IEC 27001:2022',
      control: 'A.8.13',
      title: { de: 'Sicherung von Information', en: 'Information backup' },
      proves: {
        de: `Die Sicherung ${label} wurde am ${when} in eine Wegwerfumgebung zurückgespielt und mit ${n} Prüfungen getestet (${rtoDe}). ${v.de}`,
        en: `Backup ${label} was restored into a throwaway environment on ${when} and tested with ${n} checks (${rtoEn}). ${v.en}`,
      },
    },
    {
      framework: 'SOC 2 (TSC)',
      control: 'A1.2',
      title: {
        de: 'Datensicherungsprozesse und Wiederherstellungsinfrastruktur',
        en: 'Data backup processes and recovery infrastructure',
      },
      proves: {
        de: `Die Sicherung läuft und ist aktuell: neuester wiederherstellbarer Zeitpunkt ${formatUtc(drill.newestRestorableAt)}, RPO ${rpo}; Repository und Dateisicherung wurden auf Integrität geprüft.`,
        en: `Backups operate and are current: newest restorable moment ${formatUtc(drill.newestRestorableAt)}, RPO ${rpo}; the repository and the file backup were checked for integrity.`,
      },
    },
    {
      framework: 'SOC 2 (TSC)',
      control: 'A1.3',
      title: { de: 'Test der Wiederherstellungsverfahren', en: 'Recovery plan procedures tested' },
      proves: {
        de: `Das Wiederherstellungsverfahren wurde vollständig durchgeführt (${rtoDe}), gemessen und dokumentiert. ${v.de}`,
        en: `The recovery procedure was carried out end to end (${rtoEn}), measured and documented. ${v.en}`,
      },
    },
    {
      framework: 'BSI IT-Grundschutz',
      control: 'CON.3.A15',
      title: {
        de: 'Regelmäßiges Testen der Datensicherungen',
        en: 'Regular testing of backups',
      },
      proves: {
        de: `Es wurde getestet, ob gesicherte Daten einwandfrei und in angemessener Zeit zurückgespielt werden können: ${rtoDe}, Integrität per pg_amcheck, Prüfsummen und Dateihashes. ${v.de}`,
        en: `It was tested whether backed-up data can be restored correctly and in reasonable time: ${rtoEn}, integrity by pg_amcheck, checksums and file hashes. ${v.en}`,
      },
    },
    {
      framework: 'BSI IT-Grundschutz',
      control: 'CON.3.A5',
      title: { de: 'Regelmäßige Datensicherung', en: 'Regular data backup' },
      proves: {
        de: `Zum Testzeitpunkt lag der neueste wiederherstellbare Zeitpunkt ${rpo} zurück (RPO).`,
        en: `At drill time the newest restorable moment was ${rpo} old (RPO).`,
      },
    },
  ];
}
