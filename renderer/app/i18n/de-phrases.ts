import type { enPhrases } from './en-phrases';

/**
 * Deutsche Wörter für die Phrasen aus main (shared/contract/phrases.ts): Werte und Gründe der
 * Statuskacheln, Befunde zum Bucket. Englisch in en-phrases.ts.
 */
export const dePhrases = {
  'phrase.value.none': '–',
  'phrase.value.duration': '{valueSeconds}',
  'phrase.value.count': '{count, number}',
  'phrase.value.percentFree': '{percent, number} % frei',
  'phrase.value.signedSeconds': '{seconds, number, ::sign-always} s',
  'phrase.value.agent': 'v{version} ({mode})',
  'phrase.value.repositoryStatus': 'Status {code}',
  'phrase.value.repositoryUnreachable': 'nicht erreichbar',
  'phrase.value.notChecked': 'nicht geprüft',
  'phrase.value.drillFailed': 'fehlgeschlagen',
  'phrase.value.drillOverdue': 'überfällig',
  'phrase.value.drillCouldNotRun': 'konnte nicht laufen',
  'phrase.value.drillOff': 'aus',
  'phrase.value.drillPassedAgo': 'bestanden vor {agoSeconds}',
  'phrase.value.drillNoneYet': 'noch keine',
  'phrase.value.canDestroyHistory': 'kann Verlauf zerstören',
  'phrase.value.needsAttention': 'braucht Aufmerksamkeit',
  'phrase.value.cannotDestroyHistory': 'kann Verlauf nicht zerstören',
  'phrase.value.unknown': 'unbekannt',
  'phrase.value.walNoneWaiting': 'keine wartet',
  'phrase.value.walWaiting':
    '{count, plural, one {# WAL-Datei wartet} other {# WAL-Dateien warten}}',
  'phrase.detail': '{detail}',
  'phrase.rollback.refusal.noHistory':
    'Die Änderungsspur enthält keine Änderung dieses Datensatzes: es gibt nichts, wohin er zurückkann. Prüfen Sie Tabelle und Schlüssel oder stellen Sie einen Zeitpunkt in eine Testumgebung wieder her.',
  'phrase.rollback.refusal.noPrimaryKey':
    'Die Tabelle hat keinen Primärschlüssel, die Änderungsspur kann sie daher nicht erfassen. Stellen Sie den Zeitpunkt stattdessen in eine Testumgebung wieder her.',
  'phrase.rollback.refusal.tableMissing': 'Die Tabelle gibt es nicht. Prüfen Sie ihren Namen.',
  'phrase.rollback.refusal.versionUnknown':
    'Diese Version steht nicht im Verlauf des Datensatzes. Wählen Sie eine der angezeigten Versionen.',
  'phrase.rollback.refusal.columnsChanged':
    'Die Spalten der Tabelle haben sich seit dieser Version geändert (hinzugekommen: {added}; entfernt: {removed}). Es wurde nichts geändert; stellen Sie den Zeitpunkt stattdessen in eine Testumgebung wieder her.',
  'phrase.rollback.refusal.columnTypesChanged':
    'Spaltentypen haben sich seit dieser Version geändert ({columns}). Es wurde nichts geändert; stellen Sie den Zeitpunkt stattdessen in eine Testumgebung wieder her.',
  'phrase.rollback.refusal.historyGap':
    'Die Änderungsspur hat bis {gapEndAt}, nach diesem Zeitpunkt, eine Weile keine Änderungen aufgezeichnet (der Server wurde wiederhergestellt oder ihr Replikationsslot ging verloren): sie kann nicht sagen, wie der Datensatz war. Es wurde nichts geändert; stellen Sie den Zeitpunkt stattdessen in eine Testumgebung wieder her.',
  'phrase.rollback.refusal.truncated':
    'Die Tabelle wurde am {truncatedAt}, nach diesem Zeitpunkt, mit TRUNCATE geleert: die Änderungsspur kann nicht sagen, wie der Datensatz war. Es wurde nichts geändert; stellen Sie den Zeitpunkt stattdessen in eine Testumgebung wieder her.',
  'phrase.rollback.refusal.changedAfterPreview':
    'Der Datensatz hat sich nach der Vorschau geändert. Es wurde nichts geändert; sehen Sie sich die Vorschau erneut an.',
  'phrase.rollback.refusal.foreignKey':
    'Das Zurücksetzen würde den Fremdschlüssel {constraint} auf {table} verletzen. Es wurde nichts geändert; bringen Sie zuerst die abhängigen Zeilen in Ordnung und sehen Sie sich dann die Vorschau erneut an.',
  'phrase.rollback.refusal.unique':
    'Das Zurücksetzen würde den eindeutigen Schlüssel {constraint} auf {table} verletzen. Es wurde nichts geändert; ändern Sie zuerst die Zeile, die den Wert trägt, und sehen Sie sich dann die Vorschau erneut an.',
  'phrase.rollback.refusal.constraint':
    'Das Zurücksetzen würde die Bedingung {constraint} auf {table} verletzen. Es wurde nichts geändert; bringen Sie zuerst die geprüften Daten in Ordnung und sehen Sie sich dann die Vorschau erneut an.',
  'phrase.rollback.refusal.otherRowsChanged':
    'Das Zurücksetzen würde auch Zeilen von {tables} ändern (ein kaskadierender Fremdschlüssel oder ein Trigger). Es wurde nichts geändert; setzen Sie diese Zeilen einzeln zurück oder stellen Sie einen Zeitpunkt in eine Testumgebung wieder her.',
  'phrase.rollback.refusal.notExact':
    'Der Datensatz wäre danach nicht genau wie damals (ein Trigger ändert ihn). Es wurde nichts geändert; prüfen Sie die Trigger der Tabelle.',
  'phrase.tile.captureLag.failing':
    'Die Erfassung schlägt fehl: WAL {wal} konnte nicht archiviert werden (letzter Versuch {lastAt}). Prüfen Sie den Bucket und die Kachel Repository.',
  'phrase.tile.captureLag.noWal': 'Noch kein WAL archiviert.',
  'phrase.tile.captureLag.ok': 'Änderungen erreichen den Bucket innerhalb einer Minute.',
  'phrase.tile.captureLag.late': 'Letztes WAL vor {lagSeconds} archiviert (Grenze {limitSeconds}).',
  'phrase.tile.archiveFailures.failingNow': 'Der letzte Archivierungsversuch ist fehlgeschlagen.',
  'phrase.tile.archiveFailures.recovered':
    'Frühere Fehler sind behoben; die Archivierung funktioniert wieder.',
  'phrase.tile.archiveFailures.none': 'Keine Archivierungsfehler.',
  'phrase.tile.recoveryPoint.failed':
    'Der Wiederherstellungspunkt ist fehlgeschlagen: {detail}. Beheben Sie die Ursache; der nächste planmäßige Lauf versucht es erneut.',
  'phrase.tile.recoveryPoint.none': 'Noch kein Wiederherstellungspunkt.',
  'phrase.tile.recoveryPoint.dailyFailed':
    'Der letzte tägliche Wiederherstellungspunkt ist fehlgeschlagen: {detail}. Beheben Sie die Ursache; der nächste planmäßige Lauf versucht es erneut.',
  'phrase.tile.recoveryPoint.failedStep':
    'Der Wiederherstellungspunkt ist beim Schritt „{step, select, backup {Basissicherung mit pgBackRest} backupInfo {Sicherung im Repository finden} files {zugehörige Dateien mit restic sichern} filesIndex {restic-Index reparieren} filesCheck {zugehörige Dateien prüfen} checksums {Tabellenprüfsummen} clusterFacts {Angaben zum Cluster lesen} exactPoint {genauen Wiederherstellungspunkt festhalten} manifestUpload {Manifest hochladen} manifest {Manifest erstellen} lock {Sperre} other {{step}}}“ fehlgeschlagen: {detail}. Beheben Sie die Ursache; der nächste planmäßige Lauf versucht es erneut.',
  'phrase.tile.recoveryPoint.dailyFailedStep':
    'Der letzte tägliche Wiederherstellungspunkt ist beim Schritt „{step, select, backup {Basissicherung mit pgBackRest} backupInfo {Sicherung im Repository finden} files {zugehörige Dateien mit restic sichern} filesIndex {restic-Index reparieren} filesCheck {zugehörige Dateien prüfen} checksums {Tabellenprüfsummen} clusterFacts {Angaben zum Cluster lesen} exactPoint {genauen Wiederherstellungspunkt festhalten} manifestUpload {Manifest hochladen} manifest {Manifest erstellen} lock {Sperre} other {{step}}}“ fehlgeschlagen: {detail}. Beheben Sie die Ursache; der nächste planmäßige Lauf versucht es erneut.',
  'phrase.tile.recoveryPoint.ok': 'Wiederherstellungspunkt {label}.',
  'phrase.tile.recoveryPoint.late':
    'Seit {ageSeconds} kein Wiederherstellungspunkt (Grenze {limitSeconds}).',
  'phrase.tile.drill.failed':
    'Die letzte Übung {drillId} am {startedAt} ist fehlgeschlagen: {checkCount, plural, =0 {eine Prüfung} other {{checks}}}.',
  'phrase.tile.drill.failedOfPoint':
    'Die letzte Übung {drillId} mit Wiederherstellungspunkt {label} am {startedAt} ist fehlgeschlagen: {checkCount, plural, =0 {eine Prüfung} other {{checks}}}.',
  'phrase.tile.drill.overdueSince':
    'Überfällig: keine Übung seit {sinceAt}; die nächste war vor {lateSeconds} fällig (alle {intervalSeconds}).',
  'phrase.tile.drill.overdueFirst':
    'Überfällig: noch keine Übung; die erste war vor {lateSeconds} fällig (alle {intervalSeconds}, geplant seit {sinceAt}).',
  'phrase.tile.drill.couldNotRun': 'Die letzte Übung ({attemptAt}) konnte nicht laufen: {detail}.',
  'phrase.tile.drill.beforePassed': 'Die vorige hat vor {agoSeconds} bestanden.',
  'phrase.tile.drill.passed': 'Übung {drillId} hat vor {agoSeconds} bestanden.',
  'phrase.tile.drill.passedOfPoint':
    'Übung {drillId} mit Wiederherstellungspunkt {label} hat vor {agoSeconds} bestanden.',
  'phrase.tile.drill.off':
    'Geplante Übungen sind ausgeschaltet. Starten Sie eine oder legen Sie einen Abstand fest.',
  'phrase.tile.drill.noneRun': 'Bisher lief keine Übung.',
  'phrase.tile.drill.nextDue': 'Nächste fällig am {dueAt}.',
  'phrase.tile.drill.firstDue': 'Noch keine Übung; die erste ist am {dueAt} fällig.',
  'phrase.tile.drill.notReported': 'Diese Agent-Version meldet ihren Übungsplan nicht.',
  'phrase.tile.drill.notPlanned': 'Noch keine Übung, und der Planer hat keine vorgesehen.',
  'phrase.tile.bucket.notChecked':
    'Dieser Agent hat noch nicht geprüft, ob sein Schlüssel Sicherungen löschen kann.',
  'phrase.tile.bucket.checkedAt': '(geprüft {checkedAt})',
  'phrase.tile.repository.reachable': 'Repository erreichbar.',
  'phrase.tile.repository.unreachable':
    'Repository nicht erreichbar. Prüfen Sie Adresse und Schlüssel des Buckets in den Speichereinstellungen.',
  'phrase.tile.spool.none': 'Kein WAL wartet auf das Hochladen.',
  'phrase.tile.spool.behind':
    '{count, plural, one {# WAL-Datei wartet} other {# WAL-Dateien warten}} auf das Hochladen (mehr als {limit, number}): die Archivierung fällt zurück.',
  'phrase.tile.spool.usual':
    '{count, plural, one {# WAL-Datei wartet} other {# WAL-Dateien warten}} auf das Hochladen, wie üblich, während pgBackRest hochlädt (Warnung ab mehr als {limit, number}).',
  'phrase.tile.disk.low':
    'Nur {percent, number} % frei auf {path}. Schaffen Sie Platz oder vergrößern Sie die Platte.',
  'phrase.tile.disk.enough': 'Genug freier Speicherplatz.',
  'phrase.tile.clock.agrees':
    'Die Uhr des Servers stimmt mit der dieses Computers überein (auf {within, number} s genau).',
  'phrase.tile.clock.off':
    'Die Uhr des Servers geht {seconds, number} s {direction, select, ahead {vor} other {nach}} gegenüber diesem Computer. Zeiten von Commits, Sicherungen und Wiederherstellungen gelten nach der Uhr des Servers; schalten Sie auf dem Server die Zeitsynchronisation ein (timedatectl set-ntp true oder chrony), damit beide übereinstimmen.',
  'phrase.tile.agent.stale':
    'Seit {ageSeconds} kein Lebenszeichen: der Agent oder der Server ist ausgefallen. Prüfen Sie den Server und den Dienst kumiko-agent.',
  'phrase.tile.agent.running': 'Der Agent läuft nach Plan.',
  'phrase.tile.agent.notRunning':
    'Der Planer des Agenten läuft nicht. Starten Sie den Dienst kumiko-agent auf dem Server.',
  'phrase.bucket.history.allowed':
    'Der Schlüssel hat eine alte Version eines Testobjekts gelöscht: wer ihn hat (der Datenbankserver und damit jeder Datenbank-Superuser), kann jede Sicherung samt Verlauf zerstören. Verweigern Sie diesem Schlüssel s3:DeleteObjectVersion und s3:BypassGovernanceRetention (siehe die Bucket-Richtlinie in docs/security.md) oder schalten Sie Object Lock im Modus COMPLIANCE ein.',
  'phrase.bucket.history.locked':
    'Object Lock bewahrt jedes hochgeladene Objekt für seine Aufbewahrungszeit.',
  'phrase.bucket.history.noVersion':
    'Die Versionierung ist aus: Löschen oder Überschreiben mit diesem Schlüssel zerstört Sicherungen endgültig, und der Schlüssel darf löschen. Schalten Sie die Versionierung des Buckets ein (besser: Object Lock) und verweigern Sie dem Schlüssel s3:DeleteObjectVersion.',
  'phrase.bucket.history.denied':
    'Der Schlüssel konnte keine alte Version löschen: er kann den Verlauf des Buckets nicht zerstören.',
  'phrase.bucket.history.unknown':
    'Es ließ sich nicht prüfen, ob der Schlüssel alte Versionen löschen kann ({detail}).',
  'phrase.bucket.versioning.enabled':
    'Die Versionierung ist eingeschaltet: überschriebene oder gelöschte Objekte bleiben wiederherstellbar.',
  'phrase.bucket.versioning.onByUpload':
    'Die Versionierung ist eingeschaltet (das Testobjekt bekam eine Versions-ID); der Schlüssel darf die Einstellung nicht lesen.',
  'phrase.bucket.versioning.notReported':
    'Der Speicher meldet keine Versionierung ({detail}): gehen Sie davon aus, dass gelöschte Objekte verloren sind. Schalten Sie die Versionierung des Buckets ein.',
  'phrase.bucket.versioning.suspended':
    'Die Versionierung ist ausgesetzt: ein überschriebenes oder gelöschtes Objekt lässt sich aus dem Bucket nicht wiederherstellen. Schalten Sie die Versionierung ein.',
  'phrase.bucket.versioning.off':
    'Die Versionierung ist aus: ein überschriebenes oder gelöschtes Objekt lässt sich aus dem Bucket nicht wiederherstellen. Schalten Sie die Versionierung ein.',
  'phrase.bucket.objectLock.notReported': 'Der Speicher meldet kein Object Lock ({detail}).',
  'phrase.bucket.objectLock.notEnabled':
    'Object Lock ist nicht eingeschaltet: ein Schlüssel, der Versionierung, Lebenszyklus oder Richtlinie des Buckets ändern darf, kann den Verlauf weiterhin zerstören.',
  'phrase.bucket.objectLock.noRetention':
    'Object Lock ist eingeschaltet, hat aber keine Standard-Aufbewahrung; hochgeladene Objekte sind also nicht gesperrt.',
  'phrase.bucket.objectLock.tooShort':
    'Object Lock bewahrt Objekte {days, number} Tage, kürzer als die Aufbewahrung ({requiredDays, number} Tage: 30 Tage WAL, monatliche Sicherungen für 3 Monate).',
  'phrase.bucket.objectLock.advice':
    'Schalten Sie Object Lock mit einer Standard-Aufbewahrung von mindestens {requiredDays, number} Tagen ein (Modus COMPLIANCE), damit kein Schlüssel, auch kein gestohlener Admin-Schlüssel, Sicherungen vor ihrem Ablauf löschen kann.',
  'phrase.bucket.objectLock.ok':
    'Object Lock bewahrt jedes Objekt {days, number} Tage ({mode}), mindestens die Aufbewahrung von {requiredDays, number} Tagen.',
  'phrase.bucket.objectLock.governance':
    'Modus GOVERNANCE: Schlüssel mit s3:BypassGovernanceRetention können trotzdem löschen; COMPLIANCE ist strenger.',
  'phrase.bucket.lifecycle.unknown': 'Die Lebenszyklus-Regeln ließen sich nicht lesen ({detail}).',
  'phrase.bucket.lifecycle.none': 'Keine Lebenszyklus-Regel löscht Objekte.',
  'phrase.bucket.lifecycle.expiresEarly':
    'Lebenszyklus: eine Regel lässt Objekte nach {days, number} Tagen ablaufen, bevor die Aufbewahrung von {requiredDays, number} Tagen endet.',
  'phrase.bucket.lifecycle.noncurrentShort':
    'Lebenszyklus: alte Versionen werden {days, number} Tage nach dem Ersetzen gelöscht; ein Angriff muss also binnen {days, number} Tagen bemerkt werden.',
  'phrase.bucket.lifecycle.lengthen': 'Verlängern Sie die Regel.',
  'phrase.bucket.lifecycle.keepsVersions':
    'Die Lebenszyklus-Regeln bewahren alte Versionen {days, number} Tage nach dem Ersetzen.',
  'phrase.bucket.lifecycle.ok':
    'Die Lebenszyklus-Regeln löschen nichts, was die Aufbewahrung noch braucht.',
  'phrase.storage.notRun': 'Nicht ausgeführt: eine frühere Prüfung ist fehlgeschlagen.',
  'phrase.storage.endpoint.eu': '{host} ist {provider}-Region {region} ({place}), in der EU.',
  'phrase.storage.endpoint.ownMarkIgnored':
    'Die Angabe „eigener Speicher“ gilt nicht für eine öffentliche Cloud: der EU-Standort des Buckets wird wie bei jedem Bucket von {provider} geprüft.',
  'phrase.storage.endpoint.own':
    '{host} steht nicht auf der EU-Positivliste; zugelassen nur, weil Sie ihn als eigenen Speicher angegeben haben: Sie stehen dafür ein, dass er in der EU steht. Die Region „{region}“ bestimmt nur die Signatur der Anfragen, nicht den Ort der Daten. Halten Sie fest, wo der Speicher steht.',
  'phrase.storage.endpoint.refused':
    'Abgelehnt, nichts wurde hochgeladen: {host} ist kein EU-Endpunkt der Positivliste. Wählen Sie eine EU-Region eines zugelassenen Anbieters oder geben Sie selbst betriebenen Speicher als eigenen Speicher an.',
  'phrase.storage.endpoint.regionMismatch':
    'Die Region {region} passt nicht zur Region des Endpunkts {endpointRegion}. Tragen Sie {endpointRegion} als Region ein.',
  'phrase.storage.tls.verified': 'Das TLS-Zertifikat von {host} wurde geprüft.',
  'phrase.storage.tls.verifiedWithCa':
    'Das TLS-Zertifikat von {host} wurde geprüft (mit dem angegebenen CA-Zertifikat).',
  'phrase.storage.tls.failed': 'Das TLS-Zertifikat von {host} ließ sich nicht prüfen ({detail}).',
  'phrase.storage.tls.notByCa': 'Es ist nicht vom angegebenen CA-Zertifikat signiert.',
  'phrase.storage.tls.addCa':
    'Nutzt der Speicher eine eigene CA, fügen Sie deren CA-Zertifikat hinzu. Die Prüfung wird nie abgeschaltet.',
  'phrase.storage.unreachable':
    '{endpoint} ist nicht erreichbar ({detail}). Prüfen Sie die Adresse und ob dieser Computer sie erreicht.',
  'phrase.storage.keysRejected':
    'Der Speicher {host} hat die Schlüssel abgelehnt ({detail}): prüfen Sie Zugriffsschlüssel-ID und geheimen Zugriffsschlüssel.',
  'phrase.storage.noSuchBucket':
    'Den Bucket „{bucket}“ gibt es auf {host} nicht. Prüfen Sie den Namen.',
  'phrase.storage.location.denied':
    'Die Schlüssel dürfen den Standort des Buckets „{bucket}“ nicht lesen ({detail}); er wird gebraucht, um zu prüfen, dass der Bucket in der EU liegt. Erlauben Sie s3:GetBucketLocation.',
  'phrase.storage.location.notReportedOwn':
    'Der Speicher meldet keinen Standort ({detail}). Eigener Speicher: Sie stehen dafür ein, wo er steht.',
  'phrase.storage.location.unverifiable':
    'Abgelehnt, nichts wurde hochgeladen: der Standort des Buckets „{bucket}“ auf {host} lässt sich nicht prüfen ({detail}).',
  'phrase.storage.location.unreadable':
    'Der Standort des Buckets auf {host} ließ sich nicht lesen ({detail}).',
  'phrase.storage.location.own':
    'Der Bucket meldet den Standort {location}. Eigener Speicher: Sie stehen dafür ein, wo er steht.',
  'phrase.storage.location.ownNone':
    'Der Bucket meldet keinen Standort. Eigener Speicher: Sie stehen dafür ein, wo er steht.',
  'phrase.storage.location.eu': 'Der Bucket liegt in {location} ({place}), in der EU.',
  'phrase.storage.location.usEast':
    'Der Bucket meldet den Standort {location} (USA), keinen EU-Standort. Abgelehnt: legen Sie den Bucket in einer EU-Region an.',
  'phrase.storage.location.noneUsEast':
    'Der Bucket meldet keinen Standort, was bei S3 us-east-1 (USA) bedeutet, keinen EU-Standort. Abgelehnt: legen Sie den Bucket in einer EU-Region an.',
  'phrase.storage.location.notEu':
    'Der Bucket meldet den Standort {location}, keinen bekannten EU-Standort von {provider}. Abgelehnt: legen Sie den Bucket in einer EU-Region an.',
  'phrase.storage.location.unknownProvider':
    'Der Anbieter steht nicht auf der EU-Positivliste; kein Standort gilt daher als EU.',
  'phrase.storage.action.denied':
    'Die Schlüssel dürfen im Bucket „{bucket}“ auf {host} keine Objekte {action, select, write {schreiben} read {lesen} other {löschen}} ({detail}). Geben Sie dem Schlüssel dieses Recht.',
  'phrase.storage.action.tls':
    'TLS ist beim {action, select, write {Schreiben} read {Lesen} other {Löschen}} von Objekten auf {host} fehlgeschlagen ({detail}).',
  'phrase.storage.action.failed':
    'Objekte im Bucket „{bucket}“ auf {host} ließen sich nicht {action, select, write {schreiben} read {lesen} other {löschen}} ({detail}).',
  'phrase.storage.write.ok': 'Testobjekt {key} mit {bytes, number} Byte geschrieben.',
  'phrase.storage.read.ok': 'Testobjekt zurückgelesen: {bytes, number} identische Byte.',
  'phrase.storage.read.differs':
    'Der Speicher {host} hat andere Bytes zurückgegeben als geschrieben ({read, number} Byte gelesen, {written, number} geschrieben).',
  'phrase.storage.delete.ok': 'Testobjekt gelöscht; es ist weg.',
  'phrase.storage.delete.versionKept':
    'Seine alte Version bleibt im Bucket: die Schlüssel dürfen keine Versionen löschen (oder Object Lock bewahrt sie).',
  'phrase.storage.delete.versionDeleted':
    'Die Schlüssel haben auch seine alte Version gelöscht (siehe die Prüfung des Verlaufs).',
  'phrase.storage.delete.mayRemain': 'Das Testobjekt {key} kann übrig bleiben.',
  'phrase.storage.delete.unconfirmed':
    'Es ließ sich nicht bestätigen, dass das Testobjekt {key} gelöscht wurde ({detail}).',
  'phrase.storage.delete.stillThere':
    'Der Speicher {host} hat das Löschen von {key} angenommen, aber das Objekt ist noch da.',
  'phrase.storage.restoreKey.notGiven':
    'Kein Nur-Lese-Schlüssel für Wiederherstellungen gespeichert: eine Wiederherstellung auf einen anderen Host bekommt den Erfassungsschlüssel, der in den Bucket schreiben darf. Fügen Sie einen Schlüssel hinzu, der nur lesen und auflisten darf (docs/security.md, „Bucket keys“).',
  'phrase.storage.restoreKey.readOnly':
    'Der Wiederherstellungsschlüssel liest und listet die Sicherungen, und der Speicher hat ihm das Schreiben verweigert: er ist nur lesend.',
  'phrase.storage.restoreKey.writes':
    'Der Wiederherstellungsschlüssel darf in den Bucket schreiben: er ist nicht nur lesend, ein Host, der ihn bekommt, könnte also die Sicherungen ändern. Geben Sie ihm nur s3:GetObject, s3:ListBucket und s3:GetBucketLocation.',
  'phrase.storage.restoreKey.cannot':
    'Der Wiederherstellungsschlüssel kann im Bucket „{bucket}“ auf {host} keine Objekte {action, select, list {auflisten} other {lesen}}: eine Wiederherstellung damit würde scheitern. Prüfen Sie Schlüssel-ID und Geheimnis und dass er Objekte lesen und auflisten darf.',
  'phrase.storage.restoreKey.prepareFailed':
    'Die Prüfung des Wiederherstellungsschlüssels auf {host} ließ sich nicht vorbereiten ({detail}).',
  'phrase.storage.restoreKey.finishFailed':
    'Die Prüfung des Wiederherstellungsschlüssels auf {host} ließ sich nicht abschließen ({detail}).',
  'phrase.gap.missing':
    'WAL-Segment {segment} fehlt im Bucket ({count, plural, one {# Segment} other {# Segmente}})',
  'phrase.gap.missingInBackups':
    'WAL-Segment {segment} fehlt im Bucket ({count, plural, one {# Segment} other {# Segmente}}); {backupCount, plural, one {Sicherung {backups} liegt darin und lässt sich nicht wiederherstellen} other {die Sicherungen {backups} liegen darin und lassen sich nicht wiederherstellen}}',
  'phrase.plan.drillFailed':
    'Die letzte Übung mit Wiederherstellungspunkt {label} ({drillId}, {startedAt}) ist fehlgeschlagen{checkCount, plural, =0 {} other {: {checks}}}. Die Wiederherstellung kann scheitern oder falsche Daten zurückbringen: Lesen Sie zuerst den Übungsbericht.',
  'phrase.plan.drillFailedUnverified':
    'Die letzte Übung mit Wiederherstellungspunkt {label} ({drillId}, {startedAt}) ist fehlgeschlagen{checkCount, plural, =0 {} other {: {checks}}}; ihr Bericht lässt sich mit dem hinterlegten Agent-Schlüssel nicht bestätigen, prüfen Sie ihn. Die Wiederherstellung kann scheitern oder falsche Daten zurückbringen: Lesen Sie zuerst den Übungsbericht.',
  'phrase.plan.neverDrilled':
    'Mit Wiederherstellungspunkt {label} lief noch keine Übung: Keine geübte Wiederherstellung hat gezeigt, dass er sich wiederherstellen lässt.',
  'phrase.plan.neverDrilledUnverified':
    'Mit Wiederherstellungspunkt {label} lief noch keine gültige Übung: {count, plural, one {# bestandener Übungsbericht lässt} other {# bestandene Übungsberichte lassen}} sich mit dem hinterlegten Agent-Schlüssel nicht bestätigen.',
  'phrase.plan.derivedBackup':
    'Die Basissicherung {label} hat kein vertrauenswürdiges Manifest: Ihre Angaben stammen allein von pgBackRest.',
  'phrase.plan.otherTimeline':
    'Diesen Zeitpunkt gibt es auch auf Zeitlinie {timelines}; wiederhergestellt wird Zeitlinie {timeline}.',
  'phrase.plan.targetInNewestWal':
    'Der Zeitpunkt liegt im neuesten archivierten WAL: Wurde danach noch nichts festgeschrieben, beendet PostgreSQL die Wiederherstellung am Ende des Archivs, ohne ihn zu erreichen. Wählen Sie stattdessen „Den neuesten erfassten Zeitpunkt“.',
  'phrase.plan.targetBeforeGap':
    'Der Zeitpunkt liegt in WAL-Segment {segment}, dem letzten vor einer Lücke im Archiv: Wurde danach in diesem Segment nichts mehr festgeschrieben, endet die Wiederherstellung dort, ohne ihn zu erreichen. Ein etwas früherer Zeitpunkt vermeidet das.',
  'phrase.plan.noFilesBefore':
    'Kein Wiederherstellungspunkt vor diesem Zeitpunkt hat zugehörige Dateien: Nur die Datenbank wird wiederhergestellt.',
  'phrase.plan.noFilesOfPoint':
    'Wiederherstellungspunkt {label} hat keinen vertrauenswürdigen restic-Snapshot der zugehörigen Dateien: Nur die Datenbank wird wiederhergestellt.',
  'phrase.plan.latestEndsAtGap':
    'WAL nach {fromAt} lässt sich nicht wiederherstellen (Segment {segment}{count, plural, one {} other { und weitere, # insgesamt,}} fehlt im Bucket): Eine Wiederherstellung auf den neuesten erfassten Zeitpunkt endet dort, nicht beim neuesten archivierten WAL.',
  'phrase.plan.latestIncludes':
    'Enthält WAL, das bis {newestAt} archiviert wurde (Erfassungsrückstand {lagSeconds}).',
  'phrase.plan.latestIncludesNoLag': 'Enthält WAL, das bis {newestAt} archiviert wurde.',
  'phrase.plan.noFiles':
    'Kein Wiederherstellungspunkt hat zugehörige Dateien: Nur die Datenbank wird wiederhergestellt.',
  'phrase.plan.filesUnverified':
    'Zugehörige Dateien werden nicht wiederhergestellt: Wiederherstellungspunkt {label} enthält sie, aber {why, select, missing {sein Manifest im Bucket ist nicht signiert} invalid {die Signatur seines Manifests passt nicht zum bei der Installation hinterlegten Agent-Schlüssel} other {es ist kein Agent-Schlüssel hinterlegt, mit dem sich sein Manifest prüfen ließe}}.',
  'phrase.plan.clockOff':
    'Die Uhr des Servers geht gegenüber diesem Computer {seconds, number} s {direction, select, ahead {vor} other {nach}}: Der Zeitpunkt der Wiederherstellung gilt nach der Uhr des Servers, mit der seine Transaktionen aufgezeichnet wurden (die Zeitleiste zeigt diese Uhr). Prüfen Sie den Zeitpunkt an den eigenen Aufzeichnungen des Servers.',
  'phrase.plan.scratchHost':
    'Die Testumgebung entsteht auf {host}: Dort werden pgBackRest und PostgreSQL {pgMajor} gebraucht (geprüft beim Start); das Agent-Programm wird dorthin gebracht, und die Repository-Schlüssel liegen dort nur während der Wiederherstellung und werden danach gelöscht.',
  'phrase.plan.scratchHostRestoreKey':
    'Dieser Host erhält den Nur-Lese-Wiederherstellungsschlüssel: Er kann die Sicherungen lesen, nicht ändern.',
  'phrase.plan.scratchHostCaptureKey':
    'Es ist kein Nur-Lese-Wiederherstellungsschlüssel gespeichert, daher erhält {host} den Erfassungsschlüssel, der in den Bucket schreiben kann. Hinterlegen Sie einen Wiederherstellungsschlüssel in den Speichereinstellungen.',
  'phrase.plan.productionFilesUntouched':
    'Zugehörige Dateien bleiben unverändert. Stellen Sie sie aus Wiederherstellungspunkt {label} in einen Testordner wieder her, wenn Sie sie im damaligen Stand brauchen.',
  'phrase.plan.productionLatestUnarchived':
    'WAL, das beim Anhalten von PostgreSQL noch nicht archiviert ist, wird nicht eingespielt.',
  'phrase.plan.productionTypeServerName':
    'Kein Manifest mit gültiger Signatur nennt die Datenbanken der Produktion, daher geben Sie stattdessen den Servernamen ein.',
} as const satisfies Record<keyof typeof enPhrases, string>;
