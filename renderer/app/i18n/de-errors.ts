import type { enErrors } from './en-errors';

/** Deutsche Texte zu den Fehlercodes von main: Überschrift mit nächstem Schritt, dazu der Grund. */
export const deErrors = {
  'error.INVALID_INPUT':
    'Einige Angaben sind ungültig. Korrigieren Sie die unten genannten Felder und versuchen Sie es erneut.',
  'error.UNKNOWN_COMMAND':
    'Die App kennt diese Aktion nicht. Laden Sie die Seite neu; bleibt es dabei, passen Seite und App nicht zusammen: Aktualisieren Sie die App.',
  'error.UNAUTHORIZED':
    'Diese Seite darf die App nicht verwenden. Öffnen Sie die Konsole erneut über den Link, den `kumiko serve` ausgegeben hat.',
  'error.NOT_FOUND':
    'Das gibt es nicht mehr oder gab es nie. Gehen Sie zurück zur Übersicht und wählen Sie es erneut.',
  'error.CONFLICT':
    'Das geht gerade nicht, weil etwas anderes im Weg ist. Lesen Sie die Einzelheiten und versuchen Sie es dann erneut.',
  'error.HOST_KEY_UNCONFIRMED':
    'Der Host-Schlüssel des Servers ist noch nicht bestätigt. Vergleichen Sie den Fingerabdruck mit dem Server und bestätigen Sie ihn.',
  'error.HOST_KEY_CHANGED':
    'Der Host-Schlüssel des Servers hat sich geändert – möglicherweise ein Man-in-the-Middle-Angriff. Verbindung abgelehnt; fragen Sie den Administrator des Servers, ob der Schlüssel ersetzt wurde.',
  'error.HOST_KEY_MISMATCH':
    'Der Server hat einen anderen Host-Schlüssel gezeigt als den, den Sie bestätigt haben. Prüfen Sie den Fingerabdruck auf dem Server und fügen Sie ihn erneut hinzu.',
  'error.SSH_AUTH_FAILED':
    'Der Server hat die SSH-Anmeldung abgelehnt. Prüfen Sie den SSH-Benutzer und ob der öffentliche Schlüssel in seiner ~/.ssh/authorized_keys steht, und versuchen Sie es erneut.',
  'error.SSH_UNREACHABLE':
    'Der Server ist per SSH nicht erreichbar. Prüfen Sie Hostnamen, SSH-Port und Firewall und versuchen Sie es erneut.',
  'error.SSH_COMMAND_FAILED':
    'Ein Befehl auf dem Server ist fehlgeschlagen. Lesen Sie die Einzelheiten unten, beheben Sie die Ursache auf dem Server und versuchen Sie es erneut.',
  'error.SECRET_STORE_UNAVAILABLE':
    'Der Geheimnisspeicher ist nicht nutzbar, daher kann kein Schlüssel gespeichert oder gelesen werden. Entsperren Sie den Schlüsselbund des Systems und starten Sie die App neu.',
  'error.SECRET_STORE_LOCKED':
    'Der Geheimnistresor ist gesperrt: Die Passphrase ist falsch. Geben Sie die richtige Passphrase ein und versuchen Sie es erneut.',
  'error.JOB_NOT_FOUND':
    'Dieser Auftrag ist (nicht mehr) bekannt. Laden Sie die Auftragsliste neu.',
  'error.CANCELLED':
    'Abgebrochen. Es passiert nichts weiter; starten Sie es erneut, wenn Sie bereit sind.',
  'error.SHUTTING_DOWN':
    'Die App wird beendet. Starten Sie die App erneut und wiederholen Sie die Aktion.',
  'error.STORAGE_NOT_EU':
    'Dieser Bucket liegt nicht in der EU, daher legt Kumiko dort keine Sicherungen ab. Wählen Sie einen EU-Endpunkt oder bestätigen Sie Ihren eigenen Speicher im Haus.',
  'error.STORAGE_TLS_FAILED':
    'Das TLS-Zertifikat des Speichers ließ sich nicht prüfen. Fügen Sie Ihr eigenes CA-Zertifikat hinzu, falls der Speicher eines verwendet, und prüfen Sie erneut.',
  'error.STORAGE_UNREACHABLE':
    'Der Speicher ist nicht erreichbar. Prüfen Sie die Adresse des Endpunkts und das Netzwerk und prüfen Sie erneut.',
  'error.STORAGE_ACCESS_DENIED':
    'Der Speicher hat den Zugriff verweigert. Prüfen Sie die Zugriffsschlüssel und die Bucket-Richtlinie und prüfen Sie erneut.',
  'error.STORAGE_NOT_CONFIGURED':
    'Für diesen Server ist noch kein Speicher eingerichtet. Richten Sie zuerst die Sicherung ein.',
  'error.RESTART_NOT_CONFIRMED':
    'PostgreSQL muss einmal neu starten, damit die Erfassung beginnt, und das wurde nicht bestätigt. Bestätigen Sie den Neustart im Schritt „Prüfen“ und starten Sie erneut.',
  'error.NO_POSTGRES':
    'Dort wurde kein nutzbarer PostgreSQL-Cluster gefunden. Prüfen Sie, ob PostgreSQL auf dem Server läuft, und erkennen Sie erneut.',
  'error.NO_SUDO':
    'Der SSH-Benutzer darf keine Befehle als root ausführen. Melden Sie sich als root an oder erlauben Sie dem Benutzer sudo ohne Passwort und versuchen Sie es erneut.',
  'error.NO_PACKAGE_MANAGER':
    'Auf dem Server wurde kein unterstützter Paketmanager (apt oder dnf) gefunden. Installieren Sie pgBackRest und restic selbst und versuchen Sie es erneut.',
  'error.AGENT_INSTALL_FAILED':
    'Die Einrichtung der Sicherung ist fehlgeschlagen. Der markierte Schritt zeigt, wo; beheben Sie die Ursache und starten Sie die Einrichtung erneut.',
  'error.AGENT_UPDATE_FAILED':
    'Die Aktualisierung des Agenten ist fehlgeschlagen; das bisherige Programm läuft wieder mit unveränderten Einstellungen. Prüfen Sie den markierten Schritt und versuchen Sie es erneut.',
  'error.AGENT_NOT_INSTALLED':
    'Auf diesem Server ist die Sicherung noch nicht eingerichtet. Richten Sie zuerst die Sicherung ein.',
  'error.RESTORE_NOT_COVERED':
    'Keine Sicherung deckt diesen Zeitpunkt ab. Wählen Sie einen Zeitpunkt in einem abgedeckten Bereich der Zeitleiste.',
  'error.RESTORE_FAILED':
    'Die Wiederherstellung ist fehlgeschlagen. Die Produktion wurde nicht verändert; lesen Sie die Einzelheiten und versuchen Sie es erneut oder wählen Sie einen anderen Wiederherstellungspunkt.',
  'error.CONFIRMATION_MISMATCH':
    'Der eingegebene Name ist nicht der verlangte. Es wurde nichts verändert; geben Sie den Namen genau wie angezeigt ein.',
  'error.DRILL_FAILED':
    'Die Wiederherstellungsübung ist fehlgeschlagen. Öffnen Sie ihren Bericht, um zu sehen, welche Prüfung fehlschlug und was zu tun ist.',
  'error.REPORT_UNVERIFIED':
    'Die Signatur dieses Übungsberichts lässt sich nicht bestätigen: Er beweist nichts. Führen Sie eine neue Wiederherstellungsübung aus und bewahren Sie den alten Bericht zur Prüfung auf.',
  'error.AGENT_BUSY':
    'Der Agent ist auf diesem Server mit einer anderen Sicherungsaufgabe beschäftigt. Versuchen Sie es erneut, wenn diese beendet ist.',
  'error.POINT_FAILED':
    'Der Wiederherstellungspunkt konnte nicht erstellt werden. Lesen Sie in den Einzelheiten, welcher Schritt fehlschlug, beheben Sie ihn und erstellen Sie erneut einen.',
  'error.POINT_FILES_MISSING':
    'Der Wiederherstellungspunkt zählt nicht: Seine angehängten Dateien verweisen auf Daten, die im Bucket fehlen. Reparieren Sie ihn: Kumiko baut den Index von restic neu auf, lädt die fehlenden Daten erneut hoch und legt einen neuen Punkt an.',
  'error.KIT_REFUSED':
    'Das Notfallblatt wurde nicht übernommen: Es passt nicht zu den Sicherungen in diesem Bucket. Nichts wurde gespeichert; lesen Sie den Grund, korrigieren Sie den genannten Wert (oder nehmen Sie das Blatt dieses Servers) und übernehmen Sie es erneut.',
  'error.KIT_REFUSED.mixedKits':
    'Die Server-Zeile und der Bucket-Abschnitt stammen aus verschiedenen Notfallblättern. Nehmen Sie ein Blatt und importieren Sie erneut.',
  'error.KIT_REFUSED.noRepository':
    'Im Bucket liegen keine Sicherungen dieses Servers (pgBackRest-Stanza {stanza}): Das ist nicht das Notfallblatt eines Servers, der in diesen Bucket sichert. Prüfen Sie den Bucket-Namen oder nehmen Sie das Blatt dieses Servers.',
  'error.KIT_REFUSED.cipherPass':
    'Die pgBackRest-Passphrase (repo1-cipher-pass) öffnet die Sicherungen in diesem Bucket nicht: ein Tippfehler oder das Blatt eines anderen Servers oder einer älteren Installation. Korrigieren Sie sie nach dem gedruckten Blatt.',
  'error.KIT_REFUSED.resticPassword':
    'Das restic-Passwort öffnet die angehängten Dateien in diesem Bucket nicht: ein Tippfehler oder das Blatt eines anderen Servers. Korrigieren Sie es nach dem gedruckten Blatt.',
  'error.KIT_REFUSED.noAgentKey':
    'Im Bucket liegt kein Agentenschlüssel des Servers {serverId}: Hier wurde nie ein Wiederherstellungspunkt dieses Servers gespeichert. Prüfen Sie den Bucket-Namen oder nehmen Sie das Blatt dieses Servers.',
  'error.KIT_REFUSED.agentKeyDiffers':
    'Der Agentenschlüssel im Bucket ({bucket}) ist nicht der, den das Notfallblatt festlegt ({kit}): Nichts, was damit signiert ist, ist vertrauenswürdig. Prüfen Sie, ob das Blatt zu diesem Server gehört und wer in den Bucket schreiben konnte.',
  'error.KIT_REFUSED.manifestsUnverified':
    '{count, plural, one {# Wiederherstellungspunkt} other {# Wiederherstellungspunkte}} im Bucket {count, plural, one {lässt} other {lassen}} sich nicht mit den Agentenschlüsseln des Notfallblatts prüfen ({labels}). Jemand mit Schreibrecht auf den Bucket hat sie womöglich geändert, oder ein früherer Agent des Servers hat sie signiert: Importieren Sie die Textfassung des Blatts, sie enthält die Schlüssel früherer Agenten. Lassen Sie den Bucket, wie er ist, und vergleichen Sie ihn mit Ihren versionierten Kopien, bevor Sie daraus wiederherstellen.',
  'error.REBUILD_REFUSED':
    'Der neue Server ist noch nicht bereit für den Wiederaufbau: Eine Vorabprüfung ist fehlgeschlagen. Auf dem Server wurde nichts verändert; beheben Sie, was die Prüfung nennt (Speicherplatz, Port, PostgreSQL-Version, Uhrzeit), und prüfen Sie erneut.',
  'error.INTERNAL':
    'In der App ist etwas Unerwartetes schiefgegangen. Versuchen Sie es erneut; passiert es wieder, senden Sie die Einzelheiten unten an den Support.',

  'error.SSH_AUTH_FAILED.keyRefused':
    '{where} hat den SSH-Schlüssel für diesen Benutzer nicht angenommen.',
  'error.SSH_UNREACHABLE.noAnswer': 'Von {where} kam nicht rechtzeitig eine SSH-Antwort.',
  'error.SSH_UNREACHABLE.cannotConnect': 'Zu {where} ließ sich keine Verbindung öffnen.',
  'error.SSH_UNREACHABLE.connectionLost': 'Die SSH-Verbindung zum Server ist abgebrochen.',
  'error.SSH_COMMAND_FAILED.cannotRun': 'Die SSH-Verbindung konnte keinen Befehl starten.',
  'error.HOST_KEY_CHANGED.changed':
    '{where} hat einen anderen als den gespeicherten Host-Schlüssel gezeigt.',
  'error.RESTORE_NOT_COVERED.invalidTime': 'Der Zeitpunkt ist keine gültige Zeit.',
  'error.RESTORE_NOT_COVERED.nothingYet':
    'Noch ist nichts wiederherstellbar: kein Wiederherstellungspunkt mit seinem WAL liegt im Bucket. Warten Sie auf den ersten Wiederherstellungspunkt.',
  'error.RESTORE_NOT_COVERED.notOnTimeline':
    'Auf der Zeitlinie {timeline} ist nichts wiederherstellbar.',
  'error.RESTORE_NOT_COVERED.beforeFirst':
    'Der Zeitpunkt liegt vor dem ersten wiederherstellbaren Zeitpunkt, {first, date, medium} {first, time, medium} (das Ende des ältesten Wiederherstellungspunkts).',
  'error.RESTORE_NOT_COVERED.inGap':
    'Der Zeitpunkt liegt in einer Lücke im WAL ab {from, date, medium} {from, time, medium} (erstes fehlendes Segment {segment}); wiederherstellbar ist wieder ab {again, date, medium} {again, time, medium}.',
  'error.RESTORE_NOT_COVERED.inGapNoLater':
    'Der Zeitpunkt liegt in einer Lücke im WAL ab {from, date, medium} {from, time, medium} (erstes fehlendes Segment {segment}); noch deckt kein späterer Wiederherstellungspunkt sie ab.',
  'error.RESTORE_NOT_COVERED.notCaptured':
    'Der Zeitpunkt ist noch nicht erfasst: WAL ist bis {newest, date, medium} {newest, time, medium} archiviert. Wählen Sie „Den neuesten erfassten Zeitpunkt“, um alles bisher Erfasste zu bekommen.',
  'error.RESTORE_NOT_COVERED.expired':
    'Kein WAL im Bucket reicht bis zu diesem Zeitpunkt: die Aufbewahrung behält nur das eigene WAL älterer Wiederherstellungspunkte. Wiederherstellbare Zeitpunkte in der Nähe enden am {before, date, medium} {before, time, medium} und beginnen wieder am {after, date, medium} {after, time, medium}.',
  'error.RESTORE_NOT_COVERED.noSuchPoint':
    'Einen Wiederherstellungspunkt {label} gibt es im Bucket nicht.',
  'error.RESTORE_NOT_COVERED.pointNotRestorable':
    'Wiederherstellungspunkt {label} lässt sich nicht wiederherstellen: sein WAL ist unvollständig. Wählen Sie einen anderen Wiederherstellungspunkt oder einen Zeitpunkt.',
} as const satisfies { readonly [K in keyof typeof enErrors]: string };
