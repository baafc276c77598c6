import type { CheckWordCatalog } from './check-words';

const deepDe =
  '{deep, select, yes {Tabellen und B-Baum-Indizes mit --heapallindexed: jede Zeile in jedem Index gefunden} other {Tabellen und Struktur der B-Baum-Indizes, ohne --heapallindexed}}';

/**
 * Die Einzelheiten der Prüfungen eines Wiederherstellungstests auf Deutsch (check-words.ts),
 * für die Berichtsseite der Konsole und das signierte PDF. Englisch in check-words-en.ts.
 */
export const deCheckWords: CheckWordCatalog = {
  'notRun.clusterDidNotStart':
    'Nicht ausgeführt: Der wiederhergestellte Cluster ist nicht gestartet.',
  'notRun.clusterNotChecked':
    'Nicht ausgeführt: Der wiederhergestellte Cluster konnte nicht geprüft werden.',
  couldNotRun: 'Konnte nicht ausgeführt werden: {detail}',
  'clusterStarts.notRestored':
    'Die Sicherung wurde nicht wiederhergestellt oder der Cluster ist nicht gestartet: {detail}',
  'clusterStarts.notChecked':
    'Der wiederhergestellte Cluster konnte nicht geprüft werden: {detail}',
  'clusterStarts.accepts': 'PostgreSQL {version} nimmt Verbindungen auf Port {port} an.',
  'clusterStarts.promoted': 'Auf Zeitlinie {timeline} hochgestuft.',
  'clusterStarts.stillInRecovery': 'Noch in der Wiederherstellung.',
  'clusterStarts.stoppedBeforeLsn':
    'Die Wiederherstellung der Sicherung {label} hielt vor WAL-Position {lsn} an, wo die Zahlen des Wiederherstellungspunkts erhoben wurden.',
  'clusterStarts.stoppedAtConsistency':
    'Die Wiederherstellung hielt an, wo die Sicherung {label} konsistent wurde.',
  'clusterStarts.noRecoveryEnd':
    'Das Protokoll zeigt nicht, dass die Wiederherstellung am Ende der Sicherung {label} anhielt.',
  'clusterStarts.archiveMode': 'archive_mode ist {mode}.',
  'amcheck.passed': `{relations, number} Relationen und {pages, number} Seiten geprüft (${deepDe}), keine Beschädigung.`,
  'amcheck.passedUncounted': `Alle Relationen geprüft (${deepDe}), keine Beschädigung.`,
  'amcheck.corruption': `pg_amcheck meldet Beschädigungen ({lines, plural, one {# Zeile} other {# Zeilen}}; ${deepDe}): {detail}`,
  'amcheck.couldNotCheck': `pg_amcheck konnte nicht prüfen (Exit-Code {code}; ${deepDe}): {detail}`,
  'manifest.unusable': 'Das Manifest ist nicht verwendbar: {detail}',
  'manifest.countFailed': 'Die wiederhergestellten Tabellen konnten nicht gezählt werden: {detail}',
  'manifest.matches':
    '{tables, plural, one {# Tabelle} other {# Tabellen}} in {databases, plural, one {# Datenbank} other {# Datenbanken}} stimmen mit Manifest {label} überein (Zeilenzahlen und Prüfsummen).',
  'manifest.differs':
    '{count, number} von {tables, plural, one {# Tabelle} other {# Tabellen}} weichen von Manifest {label} ab:',
  'manifest.tableMissing': '{table} fehlt.',
  'manifest.rowsDiffer': '{table} hat {rows, number} Zeilen, das Manifest {expected, number}.',
  'manifest.checksumDiffers': 'Die Prüfsumme von {table} weicht ab.',
  'manifest.tableNotInManifest': '{table} steht nicht im Manifest.',
  'manifest.databaseNotRestored': 'Datenbank {database} fehlt im wiederhergestellten Cluster.',
  'manifest.databaseNotInManifest': 'Datenbank {database} steht nicht im Manifest.',
  'manifest.moreDifferences':
    '{count, plural, one {# weitere Abweichung} other {# weitere Abweichungen}} im Nachweis.',
  'smoke.none': 'Keine Prüfabfragen festgelegt.',
  'smoke.allPassed':
    '{count, plural, one {Die Abfrage lieferte} other {Alle # Abfragen lieferten}} das erwartete Ergebnis.',
  'smoke.someFailed': '{failed, number} von {count, number} Abfragen fehlgeschlagen:',
  'smoke.roleFailed':
    '„{name}“ nicht ausgeführt: Die Nur-Lese-Rolle für Prüfabfragen konnte nicht angelegt werden ({detail}).',
  'smoke.noRow': '„{name}“ lieferte keine Zeile.',
  'smoke.notEqual': '„{name}“ lieferte „{actual}“, erwartet „{expected}“.',
  'smoke.boundNotNumber': '„{name}“: Der erwartete Wert „{expected}“ ist keine Zahl.',
  'smoke.notNumber': '„{name}“ lieferte „{actual}“, das ist keine Zahl.',
  'smoke.outOfBound':
    '„{name}“ lieferte {actual}, erwartet {relation, select, atLeast {mindestens} other {höchstens}} {bound}.',
  'smoke.multipleStatements':
    '„{name}“ abgelehnt: Sie enthält mehr als eine SQL-Anweisung; eine Prüfabfrage führt genau eine aus.',
  'smoke.rowSecurity':
    '„{name}“ abgelehnt: Eine gelesene Tabelle hat Sicherheit auf Zeilenebene, die Prüfabfragen nicht umgehen ({detail}).',
  'smoke.permissionDenied':
    '„{name}“ abgelehnt: Zugriff verweigert, denn Prüfabfragen laufen unter einer Rolle, die nur Daten lesen darf ({detail}).',
  'smoke.triedToWrite':
    '„{name}“ abgelehnt: Sie wollte schreiben, Prüfabfragen laufen nur lesend ({detail}).',
  'smoke.timedOut':
    '„{name}“ abgebrochen: Sie lief länger als die Zeitgrenze für Prüfabfragen von {seconds, number} s.',
  'smoke.notConnected': '„{name}“ nicht ausgeführt: {detail}',
  'smoke.noAnswer':
    '„{name}“ abgebrochen: keine Antwort innerhalb der Zeitgrenze für Prüfabfragen von {seconds, number} s.',
  'smoke.queryFailed': '„{name}“: Die Abfrage schlug fehl: {detail}',
  'gdpr.none': 'Das DSGVO-Löschprotokoll enthält keine Löschung, es gab also keine nachzuspielen.',
  'gdpr.replayed':
    '{erasures, plural, one {# Löschung} other {# Löschungen}} nachgespielt: {rows, plural, one {# Zeile} other {# Zeilen}} in {tables, plural, one {# Tabelle} other {# Tabellen}} gelöscht; keine Zeile einer gelöschten Person ist übrig.',
  'gdpr.refused':
    'Das Objekt {key} im Löschprotokoll wurde abgelehnt ({detail}) und hat nichts gelöscht.',
  'gdpr.replayFailed': 'Das Nachspielen in Datenbank {database} schlug fehl: {detail}',
  'gdpr.rowsRemain':
    '{rows, plural, one {# Zeile} other {# Zeilen}} gelöschter Personen {rows, plural, one {bleibt} other {bleiben}} in {table}.',
  'gdpr.mayHoldErased': 'Die wiederhergestellten Daten können noch gelöschte Personen enthalten.',
  'gdpr.couldNotReplay': 'Das DSGVO-Löschprotokoll konnte nicht nachgespielt werden: {detail}',
  'files.manifestUntrusted':
    'Dem Manifest war nicht zu trauen, daher ist der Snapshot der angehängten Dateien unbekannt.',
  'files.none': 'Keine angehängten Dateien eingerichtet.',
  'files.noSnapshot':
    'Pfade für angehängte Dateien sind eingerichtet, aber der Wiederherstellungspunkt hat keinen restic-Snapshot.',
  'files.refused': 'Die angehängten Dateien wurden nicht wiederhergestellt: {detail}',
  'files.verifyFailed': 'restic restore --verify schlug fehl (Exit-Code {code}): {detail}',
  'files.matches':
    '{files, plural, one {# Datei} other {# Dateien}} ({bytes, number} Bytes) aus Snapshot {snapshot} wiederhergestellt; restic hat jede Datei gegen die Hashes des Snapshots geprüft; das Manifest verzeichnet {manifestFiles, number} Dateien, {manifestBytes, number} Bytes.',
  'files.differs':
    '{files, plural, one {# Datei} other {# Dateien}} ({bytes, number} Bytes) aus Snapshot {snapshot} wiederhergestellt, aber das Manifest verzeichnet {manifestFiles, number} Dateien, {manifestBytes, number} Bytes.',
  'restic.passed': 'restic check las {percent, number} % der Datenpakete: keine Fehler gefunden.',
  'restic.failed':
    'restic check --read-data-subset={percent}% schlug fehl (Exit-Code {code}). Zur Behebung den Index von restic neu aufbauen (restic rebuild-index mit den Repository-Einstellungen des Agenten), die als beschädigt genannten Snapshots mit restic forget entfernen und dann einen neuen Wiederherstellungspunkt anlegen: {detail}',
  'verify.passed':
    'Status ok: Jede Sicherungsdatei und jedes WAL-Segment im Repository hat die verzeichnete Größe und Prüfsumme.',
  'verify.problems': 'Status {status}: {detail}',
  'verify.failed': 'Status {status} (Exit-Code {code}): {detail}',
  'bucket.level':
    '{level, select, protected {Der Bucket ist geschützt: Der Schlüssel des Agenten kann keine Sicherung zerstören.} warning {Der Bucket braucht Aufmerksamkeit.} exposed {Der Schlüssel des Agenten kann Sicherungen zerstören.} other {Der Schutz des Buckets ist unbekannt.}}',
  'bucket.finding':
    '{finding, select, history {Verlauf} versioning {Versionierung} objectLock {Object Lock} lifecycle {Lebenszyklus} other {{finding}}}: {level, select, ok {in Ordnung} warning {Warnung} exposed {gefährdet} other {unbekannt}}.',
  more: '{count, plural, one {# weiterer Befund} other {# weitere Befunde}} im Nachweis.',
};
