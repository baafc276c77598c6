import { deActivity } from './de-activity';
import { deAdmin } from './de-admin';
import { deCapture } from './de-capture';
import { deDrills } from './de-drills';
import { deErrors } from './de-errors';
import { deGdpr } from './de-gdpr';
import { deValidation } from './de-validation';
import { deConsole } from './de-console';
import { deHistory } from './de-history';
import { deInstall } from './de-install';
import { deNav } from './de-nav';
import { dePhrases } from './de-phrases';
import { dePoints } from './de-points';
import { deRecovery } from './de-recovery';
import { deReports } from './de-reports';
import { deRebuild } from './de-rebuild';
import { deRecords } from './de-records';
import type { Dictionary } from './en';

/** German messages. Typed against the English keys: a missing or extra key is a type error. */
export const de = {
  ...deCapture,
  ...deRecovery,
  ...dePoints,
  ...deDrills,
  ...deGdpr,
  ...deInstall,
  ...deNav,
  ...deRebuild,
  ...deErrors,
  ...deHistory,
  ...dePhrases,
  ...deReports,
  ...deRecords,
  ...deAdmin,
  ...deValidation,
  ...deConsole,
  ...deActivity,
  'app.title': 'Kumiko Recovery',
  'app.skipToContent': 'Zum Inhalt springen',
  'app.language': 'Sprache',
  'app.nav': 'Hauptnavigation',
  'app.connection.connecting': 'Verbindung zur App wird hergestellt …',
  'app.connection.lost': 'Verbindung zur App unterbrochen. Neuer Versuch läuft …',
  'app.noToken.title': 'Konsole über ihren Link öffnen',
  'app.noToken.body':
    'Öffnen Sie in diesem Tab die Adresse, die `kumiko serve` oder `kumiko demo` ausgegeben hat, einschließlich des Teils ?token=…: Ohne ihn erreicht diese Seite die App nicht.',

  'lang.de': 'Deutsch',
  'lang.en': 'English',

  'common.cancel': 'Abbrechen',
  'common.close': 'Schließen',
  'common.copy': 'Kopieren',
  'common.copied': 'Kopiert',
  'common.copyFailed': 'Kopieren fehlgeschlagen. Bitte den Text markieren und manuell kopieren.',
  'common.back': 'Zurück zu den Servern',
  'common.yes': 'ja',
  'common.no': 'nein',
  'common.none': '—',
  'common.unknown': 'unbekannt',
  'common.loading': 'Wird geladen …',
  'common.errorCode': 'Fehlercode {code}',
  'common.errorTechnical': 'Technische Angaben (auf Englisch)',

  'servers.title': 'Server',
  'servers.add': 'Server hinzufügen',
  'servers.empty': 'Noch keine Server. Fügen Sie den ersten zu sichernden PostgreSQL-Server hinzu.',
  'servers.col.name': 'Name',
  'servers.col.host': 'Host',
  'servers.col.status': 'Status',
  'servers.col.clusters': 'PostgreSQL',
  'servers.clusters.none': 'keine Cluster gefunden',
  'servers.clusters.notDetected': 'noch nicht erkannt',
  'servers.clusters': 'PostgreSQL {versions} ({count, plural, one {# Cluster} other {# Cluster}})',

  'status.new': 'Neu',
  'status.connected': 'Verbunden',
  'status.unreachable': 'Nicht erreichbar',
  'status.host-key-changed': 'Host-Schlüssel geändert',
  'status.error': 'Fehler',

  'add.title': 'Server hinzufügen',
  'add.intro':
    'Kumiko verbindet sich per SSH, um PostgreSQL zu erkennen und später den Agenten zu installieren.',
  'add.name': 'Name',
  'add.nameHint': 'So erscheint der Server in Kumiko, z. B. „ERP Produktion“.',
  'add.host': 'Hostname oder IP-Adresse',
  'add.port': 'SSH-Port',
  'add.user': 'SSH-Benutzer',
  'add.auth': 'Anmeldung',
  'add.auth.privateKey': 'Meinen privaten Schlüssel verwenden',
  'add.auth.generate': 'Schlüsselpaar für mich erzeugen',
  'add.privateKey': 'Privater Schlüssel',
  'add.privateKeyHint':
    'Fügen Sie den privaten Schlüssel (OpenSSH oder PEM) ein oder lesen Sie ihn unten aus einer Datei. Er wird direkt im Geheimnisspeicher abgelegt.',
  'add.privateKeyFile': 'Privaten Schlüssel aus Datei lesen',
  'add.privateKeyFileError': 'Die Datei konnte nicht gelesen werden.',
  'add.passphrase': 'Passphrase des Schlüssels (falls vorhanden)',
  'add.generateHint':
    'Kumiko erzeugt ein Ed25519-Schlüsselpaar. Sie hängen den öffentlichen Schlüssel auf dem Server an ~/.ssh/authorized_keys an.',
  'add.submit': 'Server hinzufügen',
  'add.submitting': 'Wird hinzugefügt …',
  'add.publicKey.title': 'Öffentlichen Schlüssel installieren',
  'add.publicKey.instructions':
    'Hängen Sie diese Zeile an ~/.ssh/authorized_keys des Benutzers {user} auf {host} an, zum Beispiel so:',
  'add.publicKey.label': 'Öffentlicher Schlüssel',
  'add.publicKey.continue': 'Schlüssel ist installiert, weiter',
  'add.cancelled':
    'Der Host-Schlüssel wurde nicht bestätigt, daher hat Kumiko keine Verbindung aufgebaut. Sie können sich später auf der Serverseite verbinden.',
  'add.openServer': 'Serverseite öffnen',

  'hostKey.dialogTitle': 'Host-Schlüssel des Servers prüfen',
  'hostKey.intro': '{host} zeigt diesen {algorithm}-Fingerabdruck des Host-Schlüssels:',
  'hostKey.compare': 'Vergleichen Sie ihn mit der Ausgabe dieses Befehls auf dem Server:',
  'hostKey.warning':
    'Vertrauen Sie ihm nur, wenn beide Fingerabdrücke identisch sind. Kumiko merkt sich den Schlüssel und lehnt jeden anderen ab.',
  'hostKey.trust': 'Vertrauen und verbinden',
  'hostKey.probing': 'Host-Schlüssel wird gelesen …',
  'hostKey.untrusted.title': 'Host-Schlüssel noch nicht bestätigt',
  'hostKey.untrusted.text':
    'Kumiko hat sich noch nie mit {host} verbunden, weil niemand den Fingerabdruck des Host-Schlüssels bestätigt hat. Prüfen Sie ihn jetzt, dann verbindet Kumiko sich.',
  'hostKey.untrusted.action': 'Host-Schlüssel prüfen',
  'hostKey.changedTitle': 'Host-Schlüssel geändert',
  'hostKey.changed':
    'Der Host-Schlüssel des Servers hat sich geändert – möglicher Man-in-the-Middle-Angriff. Verbindung abgelehnt.',
  'hostKey.changedOld': 'Gespeicherter Fingerabdruck',
  'hostKey.changedNew': 'Jetzt gezeigter Fingerabdruck',
  'hostKey.changedAdvice':
    'Klären Sie zuerst, warum sich der Schlüssel geändert hat (Server neu installiert? anderer Rechner unter dieser Adresse?). Kumiko bietet hier nicht an, den neuen Schlüssel zu übernehmen.',

  'detail.connection': 'Verbindung',
  'detail.host': 'Host',
  'detail.user': 'Benutzer',
  'detail.authKind': 'Anmeldung',
  'detail.auth.privateKey': 'Privater Schlüssel',
  'detail.auth.generate': 'Erzeugtes Schlüsselpaar',
  'detail.fingerprint': 'Gespeicherter Host-Schlüssel',
  'detail.fingerprintNone': 'noch nicht gespeichert',
  'detail.pinnedAt': 'gespeichert am {date}',
  'detail.status': 'Status',
  'detail.lastConnected': 'Zuletzt verbunden',
  'detail.never': 'nie',
  'detail.connect': 'Verbinden / neu erkennen',
  'detail.connecting': 'Verbindung wird aufgebaut …',
  'detail.publicKey': 'Zu installierender öffentlicher Schlüssel',
  'detail.detection': 'Erkanntes System',
  'detail.notDetected':
    'Noch nicht erkannt. Verbinden Sie sich, um Betriebssystem, sudo-Rechte, PostgreSQL-Cluster und freien Speicherplatz zu lesen.',
  'detail.detectedAt': 'Erkannt am {date}',
  'detail.os': 'Betriebssystem',
  'detail.kernel': 'Kernel / Architektur',
  'detail.cpus': 'CPUs',
  'detail.sudo': 'sudo',
  'detail.node': 'Node.js',
  'detail.nodeNone': 'nicht installiert',
  'detail.clusters': 'PostgreSQL-Cluster',
  'detail.clustersNone': 'Kein PostgreSQL-Cluster gefunden.',
  'detail.col.version': 'Version',
  'detail.col.dataDirectory': 'Datenverzeichnis',
  'detail.col.port': 'Port',
  'detail.col.checksums': 'Prüfsummen',
  'detail.col.running': 'Läuft',
  'detail.checksums.on': 'an',
  'detail.checksums.off': 'aus',
  'detail.running.yes': 'läuft',
  'detail.running.no': 'gestoppt',
  'detail.col.protection': 'Schutz',
  'detail.protection.yes': 'geschützt',
  'detail.protection.no': 'nicht geschützt',
  'detail.protection.kitUnconfirmed': 'noch nicht geschützt: Notfallblatt nicht bestätigt',
  'detail.disks': 'Freier Speicherplatz',
  'detail.col.mount': 'Einhängepunkt',
  'detail.col.path': 'Für Pfad',
  'detail.col.free': 'Frei',
  'detail.col.total': 'Größe',
  'detail.remove': 'Server entfernen',
  'detail.removeTitle': '{name} entfernen?',
  'detail.removeText':
    'Kumiko vergisst diesen Server, seinen gespeicherten Host-Schlüssel und den gespeicherten SSH-Schlüssel. Auf dem Server selbst wird nichts geändert.',
  'detail.removeConfirm': 'Entfernen',
  'detail.notFound': 'Diesen Server gibt es nicht (mehr).',

  'sudo.root': 'als root verbunden',
  'sudo.passwordless': 'sudo ohne Passwort',
  'sudo.password-required': 'sudo verlangt ein Passwort',
  'sudo.unavailable': 'kein sudo',

  'jobs.title': 'Aufträge',
  'jobs.empty': 'Noch keine Aufträge.',
  'jobs.progress': 'Fortschritt von {title}',
  'jobs.eta': 'noch etwa {duration}',
  'jobs.cancel': 'Auftrag abbrechen',
  'jobs.cancelNamed': 'Auftrag abbrechen: {title}',
  'jobs.state.queued': 'wartet',
  'jobs.state.running': 'läuft',
  'jobs.state.succeeded': 'erfolgreich',
  'jobs.state.failed': 'fehlgeschlagen',
  'jobs.state.cancelled': 'abgebrochen',
  'jobs.state.interrupted': 'unterbrochen',
  'jobs.title.server.detect': 'Mit {name} verbinden',
  'jobs.title.agent.install': 'Sicherung auf {name} einrichten',
  'jobs.title.agent.uninstall': 'Erfassung auf {name} beenden',
  'jobs.title.agent.update': 'Agenten auf {name} aktualisieren',
  'jobs.title.restore.start': '{name} in eine Testumgebung wiederherstellen',
  'jobs.title.rebuild.start': 'Verlorenen Server auf {name} wiederaufbauen',
  'jobs.title.restore.production':
    'Produktion auf {name} wiederherstellen (zuerst Sicherheitssicherung)',
  'jobs.title.drill.start': 'Wiederherstellungsübung auf {name}',
  'jobs.title.point.create': 'Wiederherstellungspunkt auf {name}',
  'jobs.title.gdpr.export': 'DSGVO-Auskunft (Export) auf {name}',
  'jobs.title.rollback.subject': 'Eine Person auf {name} zu einem Zeitpunkt wiederherstellen',
  'jobs.phase.connect': 'Per SSH verbinden',
  'jobs.phase.detect': 'System und PostgreSQL erkennen',
  'jobs.phase.save': 'Ergebnis speichern',
  'jobs.phase.done': 'Fertig',
  'jobs.phase.estimate': 'Umfang abschätzen',
  'jobs.phase.read': 'Daten lesen',
  'jobs.phase.write': 'Datei schreiben',
} as const satisfies Dictionary;
