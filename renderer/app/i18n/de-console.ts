import type { enConsole } from './en-console';

/**
 * Deutsche Texte der Konsolenseiten zur Verbindung eines Servers (Hinweis bei einem nicht
 * erreichbaren Server, Bearbeiten der Adresse). Englisch in en-console.ts.
 */
export const deConsole = {
  'address.hint.title': 'Der Server antwortet nicht über SSH. Prüfen Sie der Reihe nach:',
  'address.hint.host':
    'Ist {host} der richtige Hostname oder die richtige IP-Adresse, und lässt sich der Name von diesem Computer aus auflösen?',
  'address.hint.port': 'Lauscht sshd dort auf Port {port} (ss -tlnp | grep sshd)?',
  'address.hint.firewall':
    'Lässt eine Firewall zwischen diesem Computer und dem Server oder auf dem Server selbst Port {port} durch?',
  'address.hint.sshd':
    'Läuft sshd auf dem Server (systemctl status ssh)? Verbinden Sie sich dann erneut oder korrigieren Sie die Verbindung unten.',
  'address.edit': 'Verbindung bearbeiten',
  'address.intro':
    'Host, SSH-Port und SSH-Benutzer dieses Servers. Der private Schlüssel und der hinterlegte Host-Schlüssel bleiben, wie sie sind.',
  'address.newHost':
    'Ein neuer Host gilt als anderer Rechner: Nach dem Speichern verbindet sich die Konsole, und Sie bestätigen seinen Fingerabdruck erneut.',
  'address.save': 'Speichern und verbinden',
  'uninstall.title': 'Agenten entfernen',
  'uninstall.intro':
    'Beendet die Erfassung auf diesem Server und entfernt den Agenten. Alle Sicherungen bleiben im Bucket und lassen sich mit dem Notfallblatt weiterhin wiederherstellen.',
  'uninstall.open': 'Agenten entfernen …',
  'uninstall.review.title': 'Agenten von {name} entfernen?',
  'uninstall.review.intro': 'Dabei ändert sich auf dem Server Folgendes:',
  'uninstall.review.stop':
    'Die Erfassung endet: Der Dienst des Agenten und seine geplanten Wiederherstellungspunkte und Übungen enden jetzt; ab dann wird nichts Neues mehr gesichert.',
  'uninstall.review.settings':
    'archive_mode, archive_command und wal_level von PostgreSQL werden auf den Stand vor der Installation zurückgesetzt, sofern sie seitdem niemand geändert hat.',
  'uninstall.review.files':
    'Programm, Konfiguration und Schlüssel des Agenten werden vom Server gelöscht.',
  'uninstall.review.kept':
    'Die Sicherungen im Bucket bleiben erhalten, ebenso das Notfallblatt, das sie öffnet.',
  'uninstall.review.restart':
    'PostgreSQL jetzt neu starten, damit es sofort mit den früheren Einstellungen läuft',
  'uninstall.review.restartHint':
    'Ohne Neustart werden die Einstellungen zurückgesetzt und gelten ab dem nächsten Neustart von PostgreSQL; bis dahin wird kein WAL für einen Archivierer aufbewahrt, den es nicht mehr gibt.',
  'uninstall.review.understood':
    'Ich habe verstanden, dass dieser Server danach nicht mehr gesichert wird',
  'uninstall.review.confirm': 'Agenten entfernen',
  'uninstall.run.title': 'Agent wird von {name} entfernt',
  'uninstall.result.done':
    'Der Agent ist entfernt, und PostgreSQL läuft mit den Einstellungen von vor der Installation. Ein Neustart ist nicht nötig.',
  'uninstall.result.restartPending':
    'Der Agent ist entfernt. Starten Sie PostgreSQL zu einem passenden Zeitpunkt neu: Erst dann läuft es mit den Einstellungen von vor der Installation.',
  'uninstall.result.restarted': 'PostgreSQL wurde neu gestartet.',
  'uninstall.result.noRecord':
    'Weder der Server noch die App kannten die Einstellungen von vor der Installation: Prüfen Sie sie selbst.',
  'uninstall.result.restored': 'Zurückgesetzte Einstellungen',
  'uninstall.result.none': 'Keine.',
  'uninstall.result.setting': 'vor der Installation {before}, jetzt {now}',
  'uninstall.result.left': 'Seit der Installation erneut geändert, unverändert gelassen',
  'uninstall.result.interim': 'Nur bis zum nächsten Neustart gesetzt',
  'uninstall.result.unreadable':
    'Der Agent ist entfernt, aber die App konnte nicht lesen, was zurückgesetzt wurde. Prüfen Sie die Archiv-Einstellungen von PostgreSQL auf dem Server.',
  'update.title': 'Version des Agenten',
  'update.intro':
    'Vergleicht das Agentenprogramm auf diesem Server mit dem, das diese App mitbringt, bevor sich etwas ändert.',
  'update.check': 'Nach Aktualisierung suchen',
  'update.current':
    'Der Agent ist aktuell: Version {version}, dasselbe Programm, das diese App mitbringt.',
  'update.review.title': 'Agent aktualisieren: {from} → {to}',
  'update.review.intro': 'Dabei ändert sich auf dem Server Folgendes:',
  'update.review.files': 'Ersetzt: {files}',
  'update.review.restart':
    'Der {scheduler, select, systemd {systemd-Dienst} other {Dienst}} des Agenten startet neu: Wiederherstellungspunkte, Heartbeats und Übungen pausieren einige Sekunden. Die WAL-Archivierung läuft weiter, denn PostgreSQL ruft pgBackRest selbst auf.',
  'update.review.kept':
    'Unverändert bleiben Speicher, Zeitplan, Benachrichtigungen und Pfade in {files}; nichts wird neu abgefragt.',
  'update.review.fingerprint': 'SHA-256 des neuen Programms: {sha256}',
  'update.unknownVersion': 'unbekannte Version',
  'update.confirm': 'Agent aktualisieren',
  'update.run.title': 'Agent auf {name} wird aktualisiert',
  'update.result.done':
    'Der Agent läuft jetzt in Version {version}. Er pausierte {seconds} s; seine Einstellungen sind unverändert.',
  'update.result.already': 'Der Agent war bereits aktuell; nichts wurde geändert.',
  'update.phase.check': 'Installierten Agenten prüfen',
  'update.phase.upload': 'Neues Programm hochladen',
  'update.phase.restart': 'Agenten neu starten',
  'update.phase.verify': 'Auf seinen ersten Heartbeat warten',
  'alertTest.title': 'Benachrichtigungen testen',
  'alertTest.intro':
    'Der Agent des Servers schickt eine Testnachricht über das für ihn eingerichtete E-Mail-Relay oder die Webhooks – denselben Weg wie echte Benachrichtigungen.',
  'alertTest.server': 'Server',
  'alertTest.sendMail': 'Test-E-Mail senden',
  'alertTest.sendWebhook': 'Test-Webhook senden',
  'alertTest.noServer':
    'Auf keinem Server ist die Sicherung eingerichtet. Richten Sie zuerst die Sicherung ein; dort werden die Benachrichtigungen gewählt.',
  'alertTest.sent': '{target}: Die Testnachricht wurde angenommen.',
  'alertTest.failed':
    '{target}: Die Testnachricht wurde nicht zugestellt ({reason}). Prüfen Sie die Adresse und ob der Server sie erreichen darf, und senden Sie erneut.',
  'alertTest.none.smtp':
    'Für diesen Server ist kein E-Mail-Relay eingerichtet. Richten Sie es im Schritt „Benachrichtigungen“ der Einrichtung ein.',
  'alertTest.none.webhook':
    'Für diesen Server ist kein Webhook eingerichtet. Richten Sie ihn im Schritt „Benachrichtigungen“ der Einrichtung ein.',
  'settings.nav': 'Einstellungen',
  'settings.title': 'Einstellungen',
  'settings.language.title': 'Sprache',
  'settings.language.remembered':
    'Die Konsole spricht ab sofort diese Sprache; die Wahl wird auf diesem Computer gespeichert und lässt sich jederzeit ändern, auch oben in der Leiste.',
  'settings.defaults.title': 'Vorgaben für neue Server',
  'settings.defaults.intro':
    'Mit diesen Werten beginnt der Agent eines Servers, wenn die Sicherung eingerichtet wird. Ändern Sie sie je Server in dessen Übungseinstellungen.',
  'settings.defaults.drillInterval': 'Geplante Wiederherstellungsübungen',
  'settings.defaults.drillIntervalValue':
    'alle {days, plural, one {# Tag} other {# Tage}} (vierteljährlich)',
  'settings.defaults.scratchRoot': 'Ordner der Wegwerfumgebung',
  'settings.defaults.resticRead': 'Je Übung zurückgelesene Dateidaten',
  'settings.defaults.resticReadValue': '{percent} % des restic-Repositorys',
  'settings.defaults.heapAllIndexed': 'pg_amcheck prüft auch jeden Indexeintrag',
  'settings.defaults.alerts': 'Benachrichtigung per E-Mail oder Webhook',
  'settings.defaults.alertsWhere':
    'Wird je Server beim Einrichten der Sicherung festgelegt (Schritt „Benachrichtigungen“); die Konsole hat dafür keine eigene Vorgabe.',
  'settings.on': 'an',
  'settings.off': 'aus',
  'settings.reports.title': 'Übungsberichte',
  'settings.reports.archive': 'Archiv der signierten Übungsberichte',
  'settings.reports.exports': 'Exporte von Berichten landen in',
  'settings.reports.unknown': 'unbekannt (die App hat es nicht mitgeteilt)',
  'settings.reports.verify': 'Bericht prüfen',
} as const satisfies Record<keyof typeof enConsole, string>;
