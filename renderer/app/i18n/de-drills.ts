import { checkWordMessages } from '../../../shared/report/check-words';
import { deCheckWords } from '../../../shared/report/check-words-de';
import type { enDrills } from './en-drills';

/**
 * Deutsche Texte zu Wiederherstellungsübungen: Seite „Übungen“, Lauf, Verlauf und Trend, der
 * Bericht und der Editor für Zeitplan und Prüfabfragen. In `de` eingemischt; Englisch in en-drills.ts.
 */
export const deDrills = {
  'drills.nav': 'Wiederherstellungsübungen',
  'drills.title': 'Wiederherstellungsübungen: {name}',
  'drills.intro':
    'Eine Übung stellt den neuesten Wiederherstellungspunkt in eine Wegwerfumgebung auf dem Server wieder her, prüft sie, entfernt sie wieder und schreibt einen signierten Bericht für die Prüfer. Der Agent übt nach eigenem Zeitplan, auch wenn diese App geschlossen ist.',
  'drills.reload': 'Neu laden',
  'drills.sync': 'Berichte aus dem Bucket holen',
  'drills.syncDone.none': 'Keine neuen Berichte im Bucket.',
  'drills.syncDone.some':
    '{count, plural, one {# neuer Bericht archiviert.} other {# neue Berichte archiviert.}}',
  'drills.syncPending': 'Lädt der Agent noch hoch: {ids}',
  'drills.refused': 'Bericht {drillId} abgelehnt: {message}',
  'drills.refusedHint':
    'Ein abgelehnter Bericht lässt sich nicht mit dem bei der Installation hinterlegten Agentenschlüssel prüfen oder setzt die Kette der archivierten Berichte nicht fort. Er wird nicht archiviert. Klären Sie, wer ihn verändert hat, bevor Sie etwas danach vertrauen.',
  'drills.backToStatus': 'Sicherungsstatus',

  'drills.schedule.loading': 'Der Agent auf dem Server wird gefragt …',
  'drills.schedule.title': 'Zeitplan',
  'drills.schedule.next': 'Nächste geplante Übung',
  'drills.schedule.nextUnknown': 'noch nicht bekannt',
  'drills.schedule.off': 'aus',
  'drills.schedule.every': 'Abstand',
  'drills.every.days': 'alle {count} Tage',
  'drills.every.day': 'täglich',
  'drills.every.hours': 'alle {count} Stunden',
  'drills.every.hour': 'stündlich',
  'drills.every.minutes': 'alle {count} Minuten',
  'drills.every.minute': 'minütlich',
  'drills.every.seconds': 'alle {count} Sekunden',
  'drills.every.second': 'jede Sekunde',
  'drills.schedule.smokeChecks': 'Prüfabfragen',
  'drills.schedule.smokeChecksValue': '{count} festgelegt',
  'drills.schedule.amcheck': 'Datenbankprüfung',
  'drills.schedule.amcheck.standard': 'pg_amcheck: Tabellen und B-Baum-Indizes',
  'drills.schedule.amcheck.deep': 'pg_amcheck mit tiefer Indexprüfung (--heapallindexed)',
  'drills.schedule.last': 'Letzte Übung',
  'drills.schedule.never': 'noch keine',
  'drills.schedule.source.server': 'wie der Agent es gerade meldet',
  'drills.schedule.source.bucket': 'aus dem letzten Lebenszeichen des Agenten im Bucket',
  'drills.schedule.unreadable':
    'Die Übungseinstellungen konnten nicht vom Server gelesen werden: {reason}',

  'drills.run.title': 'Jetzt üben',
  'drills.run.intro':
    'Stellt den neuesten Wiederherstellungspunkt auf dem Server in einen Wegwerf-Cluster wieder her (anderer Port und Ordner), führt alle Prüfungen aus, entfernt ihn und archiviert den signierten Bericht.',
  'drills.run.button': 'Übung jetzt starten',
  'drills.run.confirmTitle': 'Wiederherstellungsübung auf {name} starten?',
  'drills.run.confirmText':
    'Der Agent stellt den neuesten Wiederherstellungspunkt in einen Wegwerf-PostgreSQL-Cluster auf {name} wieder her, prüft ihn und entfernt ihn wieder. Der Produktionscluster bleibt unberührt, aber die Übung belastet CPU, Festplatte und Netz, solange sie läuft, und braucht freien Platz etwa in der Größe der Datenbank.',
  'drills.run.confirm': 'Übung starten',
  'drills.run.phases': 'Schritte der Übung',
  'drills.run.progress': 'Fortschritt der Übung',
  'drills.run.cancel': 'Übung abbrechen',
  'drills.run.starting': 'Übung wird gestartet …',
  'drills.run.succeeded': 'Die Übung ist bestanden. Ihr signierter Bericht ist archiviert.',
  'drills.run.failed': 'Die Übung ist fehlgeschlagen',
  'drills.run.failedArchived':
    'Der Bericht mit den Nachweisen ist archiviert: Sie öffnen ihn im Verlauf.',
  'drills.run.cancelled':
    'Die Übung wurde abgebrochen. Der Agent hat die Wegwerfumgebung vor dem Beenden entfernt.',
  'drills.run.openReport': 'Bericht öffnen',
  'drills.run.running': 'Auf diesem Server läuft eine Übung.',

  'drills.phase.prepare': 'Wegwerfumgebung vorbereiten',
  'drills.phase.restore': 'Neuesten Wiederherstellungspunkt wiederherstellen',
  'drills.phase.start': 'Wegwerf-Cluster starten',
  'drills.phase.verify': 'Datenbank prüfen',
  'drills.phase.files': 'Angehängte Dateien prüfen (neben der Datenbank wiederhergestellt)',
  'drills.phase.repository': 'Sicherungs-Repository prüfen',
  'drills.phase.cleanup': 'Wegwerfumgebung entfernen',
  'drills.phase.report': 'Bericht schreiben, signieren und hochladen',
  'drills.phase.archive': 'Bericht prüfen und archivieren',

  'drills.history.title': 'Verlauf',
  'drills.history.caption': 'Archivierte Übungsberichte, neueste zuerst',
  'drills.history.empty':
    'Noch keine Übungsberichte. Starten Sie jetzt eine Übung oder warten Sie auf den Zeitplan des Agenten.',
  'drills.col.date': 'Datum',
  'drills.col.result': 'Ergebnis',
  'drills.col.rto': 'RTO',
  'drills.col.rpo': 'RPO',
  'drills.col.signer': 'Signiert von',
  'drills.col.report': 'Bericht',
  'drills.passed': 'bestanden',
  'drills.failed': 'fehlgeschlagen',
  'drills.signer.agent': 'Agentenschlüssel',
  'drills.signer.app': 'App-Schlüssel',
  'drills.countersigned': '+ Gegenzeichnung der App',
  'drills.open': 'Öffnen',
  'drills.openNamed': 'Bericht vom {date} öffnen',

  'drills.trend.title': 'Verlauf von RTO und RPO',
  'drills.trend.rto': 'RTO (Start bis geprüft)',
  'drills.trend.rpo': 'RPO (Alter des neuesten wiederherstellbaren Zeitpunkts)',
  'drills.trend.latest': 'zuletzt {value}',
  'drills.trend.range': '{min} – {max}',
  'drills.trend.summary': '{label} der letzten {count} Übungen, älteste zuerst: {values}',
  'drills.trend.few': 'Ein Verlauf erscheint ab der zweiten Übung.',

  'report.title': 'Übungsbericht {drillId}',
  'report.loading': 'Bericht wird gelesen …',
  'report.summary': 'Zusammenfassung',
  'report.result': 'Ergebnis',
  'report.server': 'Server',
  'report.started': 'Beginn',
  'report.finished': 'Ende',
  'report.rto': 'RTO (Start bis geprüft)',
  'report.rpo': 'RPO (Alter des neuesten wiederherstellbaren Zeitpunkts)',
  'report.newest': 'Neuester wiederherstellbarer Zeitpunkt',
  'report.backup': 'Wiederhergestellt aus Sicherung',
  'report.target': 'Ziel',
  'report.targetLatest': 'der neueste wiederherstellbare Zeitpunkt',
  'report.database': 'Größe der Datenbank',
  'report.files': 'Angehängte Dateien',
  'report.filesNone': 'keine',
  'report.environment': 'Wegwerfumgebung',
  'report.signer': 'Signiert von',
  'report.chain': 'Stelle in der Kette',
  'report.chainValue': 'Bericht Nr. {sequence}',
  'report.checks': 'Prüfungen',
  'report.checksCaption': 'Alle Prüfungen der Übung mit ihrem Befund',
  'report.check': 'Prüfung',
  'report.checkResult': 'Ergebnis',
  'report.detail': 'Befund',
  'report.detailStored':
    'Wortlaut des Berichts (englisch, vor den übersetzten Befunden gespeichert):',
  'report.evidence': 'Nachweise',
  'report.evidenceValue': '{count} Dateien im Bündel',
  'report.pdf': 'PDF herunterladen',
  'report.pdfBusy': 'PDF wird vorbereitet …',
  'report.pdfLanguage': 'Sprache des PDF',
  'report.pdfLanguageHint':
    'Signiert ist das zweisprachige PDF des Bündels. Eine Lesefassung in einer Sprache entsteht aus dem signierten report.json und nennt dessen MANIFEST-Hash.',
  'report.pdfLanguage.signed': 'Deutsch und Englisch (signiert)',
  'report.pdfLanguage.de': 'Deutsch (Lesefassung)',
  'report.pdfLanguage.en': 'Englisch (Lesefassung)',
  'report.countersign': 'Gegenzeichnen',
  'report.countersignBusy': 'Wird gegengezeichnet …',
  'report.verifyHint':
    'Prüfer verifizieren das Bündel offline. Der Befehl prüft gegen die in der App hinterlegten Schlüssel; ohne die App geben Prüfer den Schlüssel mit --key an, nachdem sie seinen SHA256-Fingerabdruck mit dem Notfallblatt verglichen haben. Die Schlüsseldatei im Bündel allein beweist nichts:',
  'report.bundle': 'Ordner des Bündels',

  'drillSettings.title': 'Zeitplan, Datenbankprüfung und Prüfabfragen ändern',
  'drillSettings.intro':
    'Wird in die Konfiguration des Agenten auf dem Server geschrieben. Prüfabfragen sind lesende SQL-Abfragen gegen die wiederhergestellte Datenbank; der erste Wert der ersten Zeile muss die Erwartung erfüllen.',
  'drillSettings.unknown':
    'Die aktuellen Einstellungen konnten nicht vom Server gelesen werden; Speichern schreibt, was Sie hier eingeben.',
  'drillSettings.enabled': 'Übungen nach Zeitplan ausführen',
  'drillSettings.every': 'Alle',
  'drillSettings.unit': 'Einheit',
  'drillSettings.unit.minutes': 'Minuten',
  'drillSettings.unit.hours': 'Stunden',
  'drillSettings.unit.days': 'Tage',
  'drillSettings.intervalHint':
    'Vierteljährlich sind 91 Tage. Mindestens eine Minute, höchstens 400 Tage.',
  'drillSettings.intervalInvalid':
    'Geben Sie eine ganze Zahl ein: mindestens eine Minute, höchstens 400 Tage.',
  'drillSettings.databaseCheck': 'Datenbankprüfung',
  'drillSettings.deepIndexCheck': 'Tiefe Indexprüfung (pg_amcheck --heapallindexed; langsamer)',
  'drillSettings.deepIndexCheckHint':
    'Prüft zusätzlich, dass jede Tabellenzeile in jedem ihrer Indizes gefunden wird. Kostet einige Sekunden je GB Datenbank, und diese Zeit zählt zur gemessenen RTO. Ohne sie liest pg_amcheck trotzdem jede Tabelle und prüft die Struktur jedes B-Baum-Index.',
  'drillSettings.checks': 'Prüfabfragen',
  'drillSettings.none': 'Noch keine Prüfabfragen.',
  'drillSettings.check': 'Prüfabfrage {n}',
  'drillSettings.add': 'Prüfabfrage hinzufügen',
  'drillSettings.remove': 'Entfernen',
  'drillSettings.removeNamed': 'Prüfabfrage {n} entfernen',
  'drillSettings.name': 'Name',
  'drillSettings.nameHint': 'Erscheint im Bericht, z. B. „Offene Rechnungen vorhanden“.',
  'drillSettings.database': 'Datenbank',
  'drillSettings.sql': 'SQL-Abfrage',
  'drillSettings.sqlHint':
    'Eine einzelne lesende Anweisung; verglichen wird die erste Spalte der ersten Zeile. Sie läuft im Wegwerf-Cluster mit einer Rolle, die nur Daten lesen darf, und mit Zeitlimit.',
  'drillSettings.expect': 'Der Wert soll sein',
  'drillSettings.expect.equals': 'gleich',
  'drillSettings.expect.atLeast': 'mindestens',
  'drillSettings.expect.atMost': 'höchstens',
  'drillSettings.value': 'Wert',
  'drillSettings.problem.nameRequired': 'Geben Sie der Prüfabfrage einen Namen.',
  'drillSettings.problem.nameTooLong': 'Höchstens 200 Zeichen.',
  'drillSettings.problem.databaseInvalid': 'Ein Datenbankname mit 1 bis 63 Zeichen.',
  'drillSettings.problem.sqlRequired': 'Geben Sie die Abfrage ein.',
  'drillSettings.problem.sqlTooLong': 'Höchstens 4000 Zeichen.',
  'drillSettings.problem.sqlSeveral':
    'Genau eine SQL-Anweisung pro Prüfabfrage: teilen Sie sie auf mehrere auf (Semikolons trennen Anweisungen).',
  'drillSettings.problem.valueNumber':
    '„Mindestens“ und „höchstens“ vergleichen Zahlen: Geben Sie eine Zahl ein.',
  'drillSettings.problem.valueTooLong': 'Höchstens 1000 Zeichen.',
  'drillSettings.tooMany': 'Höchstens 50 Prüfabfragen.',
  'drillSettings.invalid': 'Korrigieren Sie zuerst die markierten Felder.',
  'drillSettings.save': 'Beim Agenten speichern',
  'drillSettings.saving': 'Wird gespeichert …',
  'drillSettings.saved.restarted':
    'Gespeichert. Der Agent hat seinen Planer neu gestartet: Der neue Zeitplan gilt ab sofort.',
  'drillSettings.saved.deferred':
    'Gespeichert. Der Agent ist beschäftigt (eine Sicherung oder Übung läuft); sein Planer startet mit dem neuen Zeitplan neu, sobald sie fertig ist.',
  'drillSettings.saved.not-running':
    'Gespeichert. Der Planer des Agenten läuft nicht; der Zeitplan gilt, sobald er wieder startet.',
  // Die Befunde der Prüfungen: Texte in shared/report (auch das signierte PDF sagt sie).
  ...checkWordMessages(deCheckWords),
} as const satisfies { readonly [K in keyof typeof enDrills]: string };
