import type { enRebuild } from './en-rebuild';

/**
 * Deutsche Texte des Notfall-Assistenten (Issue 19): Notfallblatt, was wiederhergestellt wird,
 * der neue Host, der Plan, der Lauf und die Übergabe. In `de` eingemischt; Englisch in
 * en-rebuild.ts.
 */
export const deRebuild = {
  'rebuild.nav': 'Notfall',
  'rebuild.fromKit': 'Aus dem Notfallblatt wiederherstellen',
  'rebuild.title': 'Verlorenen Server aus dem Notfallblatt neu aufbauen',
  'rebuild.exit': 'Verlassen',
  'rebuild.progress': 'Schritte des Neuaufbaus',
  'rebuild.step.kit': 'Notfallblatt',
  'rebuild.step.target': 'Was',
  'rebuild.step.host': 'Neuer Host',
  'rebuild.step.plan': 'Prüfen und planen',
  'rebuild.step.run': 'Neuaufbau',
  'rebuild.step.handover': 'Übergabe',

  'rebuild.kit.title': 'Notfallblatt einlesen',
  'rebuild.kit.intro':
    'Der Server ist weg: Notfallblatt und Bucket genügen. Wählen Sie die Textkopie des Notfallblatts (die .txt neben dem PDF), fügen Sie sie ein oder tippen Sie die Werte vom Ausdruck ab. Gespeichert wird erst, wenn jeder Wert die Sicherungen im Bucket öffnet.',
  'rebuild.kit.importedTitle': 'Bereits in diese Konsole eingelesen',
  'rebuild.kit.useImported': '{name} neu aufbauen',
  'rebuild.kit.file': 'Textkopie des Notfallblatts',
  'rebuild.kit.fileHint': 'kumiko-recovery-kit-….txt; sie bleibt auf diesem Rechner.',
  'rebuild.kit.fileError':
    'Diese Datei lässt sich nicht als Notfallblatt lesen. Wählen Sie seine .txt-Kopie.',
  'rebuild.kit.text': 'Oder den Text des Notfallblatts einfügen',
  'rebuild.kit.typed': 'Werte vom Ausdruck abtippen',
  'rebuild.kit.typedHint': 'Hier getippte Werte ersetzen die der Textkopie.',
  'rebuild.kit.field.serverId': 'Server-ID',
  'rebuild.kit.field.serverName': 'Servername',
  'rebuild.kit.field.pgVersion': 'PostgreSQL-Hauptversion',
  'rebuild.kit.field.dataDirectory': 'Datenverzeichnis',
  'rebuild.kit.field.stanza': 'pgBackRest-Stanza',
  'rebuild.kit.field.endpoint': 'S3-Endpunkt',
  'rebuild.kit.field.bucket': 'Bucket',
  'rebuild.kit.field.region': 'Region',
  'rebuild.kit.field.accessKeyId': 'Zugriffsschlüssel-ID',
  'rebuild.kit.field.secretAccessKey': 'Geheimer Zugriffsschlüssel',
  'rebuild.kit.field.repoPath': 'pgBackRest repo1-path',
  'rebuild.kit.field.cipherPass': 'pgBackRest repo1-cipher-pass',
  'rebuild.kit.field.resticPassword': 'restic-Passwort',
  'rebuild.kit.field.ledgerKey': 'Schlüssel des DSGVO-Löschprotokolls',
  'rebuild.kit.field.agentKeyFingerprint': 'Fingerabdruck des Agent-Schlüssels (SHA256:…)',
  'rebuild.kit.field.caCertificate':
    'CA-Zertifikat des Speichers (nur wenn das Blatt eines druckt)',
  'rebuild.kit.caCertificateHint':
    'Speicher mit eigener Zertifizierungsstelle: Fügen Sie das Zertifikat (-----BEGIN CERTIFICATE----- …) vom Blatt oder aus Ihrer PKI ein.',
  'rebuild.kit.field.earlierAgentKeys':
    'Frühere Agentenschlüssel (nur wenn das Blatt welche nennt)',
  'rebuild.kit.earlierKeysHint':
    'So, wie das Blatt sie druckt: die Zeile „Signierte bis …:“, dann der Schlüssel „ssh-ed25519 …“. Ohne sie lassen sich Wiederherstellungspunkte von vor einer Neuinstallation des Agenten nicht prüfen.',
  'rebuild.kit.earlierKeysUnreadable':
    '{count, plural, one {Zeile {lines} ist} other {Zeilen {lines} sind}} kein „Signierte bis“-Zeitpunkt mit seinem Schlüssel. Vergleichen Sie sie mit dem Blatt und korrigieren Sie sie, oder entfernen Sie sie.',
  'rebuild.kit.ownStorage':
    'Der Bucket ist unser eigener Speicher (nicht auf der EU-Anbieterliste); wir bürgen dafür, dass er in der EU liegt',
  'rebuild.kit.empty':
    'Wählen Sie zuerst die Textkopie des Notfallblatts, fügen Sie sie ein oder tippen Sie seine Werte ab.',
  'rebuild.kit.import': 'Einlesen und mit dem Bucket abgleichen',
  'rebuild.kit.importing': 'Notfallblatt wird mit dem Bucket abgeglichen …',

  'rebuild.target.title': 'Was von {name} wiederhergestellt wird',
  'rebuild.target.imported':
    '{points, plural, one {# Wiederherstellungspunkt} other {# Wiederherstellungspunkte}} im Bucket, {verified} mit geprüfter Signatur.',
  'rebuild.target.until': 'Der Bucket enthält Daten bis {at}.',
  'rebuild.target.untilUnknown': 'Der Bucket enthält noch keinen wiederherstellbaren Zeitpunkt.',

  'rebuild.host.title': 'Der neue Host',
  'rebuild.host.intro':
    'Ein frischer Linux-Host, per SSH mit Root-Rechten erreichbar. Dort werden PostgreSQL in der Version der Sicherung, der Agent und der Cluster eingerichtet; sonst wird nichts verändert.',
  'rebuild.host.legend': 'Neu aufbauen auf',
  'rebuild.host.nameHint': 'So nennt die Konsole den neuen Server, etwa der alte Name mit „-neu“.',
  'rebuild.host.newTitle': 'Neuen Host hinzufügen',
  'rebuild.host.keyHint':
    'Ein Schlüssel, der sich als root anmeldet (oder als Benutzer mit sudo ohne Passwort).',
  'rebuild.host.add': 'Hinzufügen und Host-Schlüssel prüfen',
  'rebuild.host.notTrusted':
    'Der Host-Schlüssel wurde nicht bestätigt, daher verbindet sich die App nicht. Fügen Sie den Host erneut hinzu, sobald Sie den Fingerabdruck verglichen haben.',
  'rebuild.host.port': 'Port des neuen Clusters',
  'rebuild.host.portHint': 'Der Port, mit dem sich die Anwendung verbindet; standardmäßig 5432.',
  'rebuild.host.missing':
    'Wählen Sie den neuen Host, oder fügen Sie ihn hinzu und bestätigen Sie seinen Host-Schlüssel.',
  'rebuild.host.badPort': 'Geben Sie einen Port von 1 bis 65535 ein.',

  'rebuild.plan.title': 'Vorabprüfung und Plan',
  'rebuild.plan.loading': 'Der neue Host wird geprüft und die Wiederherstellung geplant …',
  'rebuild.plan.source': 'Verlorener Server',
  'rebuild.plan.host': 'Neuer Host',
  'rebuild.plan.until': 'Datenstand',
  'rebuild.plan.untilLatest': 'das neueste WAL im Bucket',
  'rebuild.plan.backup': 'Basissicherung',
  'rebuild.plan.cluster': 'Neuer Cluster',
  'rebuild.plan.clusterValue': 'PostgreSQL {version} in {directory}, Port {port}',
  'rebuild.plan.estimate': 'Geschätzte Dauer',
  'rebuild.plan.what':
    'Der Neuaufbau installiert PostgreSQL und den Agent, stellt Datenbank und angehängte Dateien aus dem Bucket wieder her, wendet die DSGVO-Löschungen erneut an, startet den Cluster als Dienst, prüft ihn wie eine Wiederherstellungsübung und startet die Erfassung im selben Bucket unter einer eigenen Historie.',
  'rebuild.plan.checks': 'Vorabprüfungen auf dem neuen Host',
  'rebuild.plan.warnings': 'Vor dem Start lesen',
  'rebuild.plan.confirm': 'Den verlorenen Server auf {host} neu aufbauen',
  'rebuild.plan.confirmMissing': 'Bestätigen Sie zuerst den Neuaufbau.',
  'rebuild.plan.notReady': 'Der neue Host ist nicht bereit: Eine Prüfung ist fehlgeschlagen.',
  'rebuild.plan.notReadyHelp':
    'Auf dem Host wurde nichts verändert. Beheben Sie, was die fehlgeschlagene Prüfung nennt, und prüfen Sie erneut.',
  'rebuild.plan.checkAgain': 'Erneut prüfen',
  'rebuild.plan.start': 'Neuaufbau starten',
  'rebuild.plan.starting': 'Wird gestartet …',

  'rebuild.phase.preflight': 'Neuen Host prüfen',
  'rebuild.phase.restore': 'Datenbank und Dateien aus dem Bucket wiederherstellen',
  'rebuild.phase.place': 'Cluster an seinen Platz bringen und starten',
  'rebuild.phase.capture': 'Agent und Erfassung einrichten',
  'rebuild.phase.verify': 'Erfassung auf dem neuen Host prüfen',

  'rebuild.run.title': 'Neuaufbau läuft',
  'rebuild.run.intro':
    'Sie dürfen die Konsole schließen: Der Neuaufbau läuft weiter, und nach einer abgerissenen Verbindung geht er dort weiter, wo er stand.',
  'rebuild.run.phases': 'Phasen des Neuaufbaus',
  'rebuild.run.progress': 'Fortschritt des Neuaufbaus',
  'rebuild.run.cancel': 'Neuaufbau abbrechen',
  'rebuild.run.failedAt': 'Der Neuaufbau blieb stehen bei: {phase}',
  'rebuild.run.cancelledAt': 'Der Neuaufbau wurde abgebrochen bei: {phase}',
  'rebuild.run.failedHelp':
    'Was fertig ist, bleibt. Beheben Sie die oben genannte Ursache und setzen Sie dann fort: Der Neuaufbau macht bei diesem Schritt weiter und beginnt nicht von vorn.',
  'rebuild.run.cancelledHelp':
    'Bevor der Cluster an seinem Platz war, wurde die Testumgebung der Wiederherstellung auf dem neuen Host entfernt. Ein Cluster, der schon an seinem Platz ist, bleibt dort: Halten Sie ihn an und entfernen Sie ihn von Hand, bevor Sie auf diesem Host erneut neu aufbauen. Der Bucket und die alten Sicherungen sind unberührt.',
  'rebuild.run.back': 'Zurück zum Plan',

  'rebuild.cancel.title': 'Neuaufbau abbrechen?',
  'rebuild.cancel.body':
    'Bis der wiederhergestellte Cluster an seinem Platz ist, entfernt ein Abbruch die Testumgebung der Wiederherstellung vom neuen Host. Ist er an seinem Platz, bleibt er dort, und Sie entfernen ihn von Hand. Der Bucket und jede Sicherung darin bleiben unberührt.',
  'rebuild.cancel.keep': 'Weiterlaufen lassen',
  'rebuild.cancel.confirm': 'Neuaufbau abbrechen',

  'rebuild.unfinished.title': 'Ein Neuaufbau ist nicht fertig',
  'rebuild.unfinished.body': 'Der Neuaufbau vom {at} blieb stehen bei: {phase}.',
  'rebuild.unfinished.resume': 'Neuaufbau fortsetzen',

  'rebuild.handover.title': 'Übergabe',
  'rebuild.handover.rto': 'Gemessene Wiederherstellungszeit (RTO)',
  'rebuild.handover.rpo': 'Daten wiederhergestellt bis (RPO)',
  'rebuild.handover.cluster': 'Neuer Cluster',
  'rebuild.handover.clusterValue': '{host}, Port {port}, {directory}',
  'rebuild.handover.resumed': 'Nach einer Unterbrechung fortgesetzt',
  'rebuild.handover.verified': 'Was geprüft wurde',
  'rebuild.handover.left': 'Was Ihnen bleibt',
  'rebuild.handover.left.connection':
    'Richten Sie die Anwendung auf den neuen Server: Ändern Sie ihre Verbindungszeichenfolge (Host {host}, Port {port}) oder den DNS-Namen, den sie verwendet.',
  'rebuild.handover.left.access':
    'Öffnen Sie den Cluster für die Anwendung: listen_addresses ist localhost und pg_hba.conf enthält die Regeln der Sicherung; passen Sie beides an und laden Sie PostgreSQL neu.',
  'rebuild.handover.left.settings':
    'Prüfen Sie Zeitplan, Aufbewahrung und Benachrichtigungen des Agents auf dem neuen Server: Das Notfallblatt enthält die alten Einstellungen nicht, daher gelten die Voreinstellungen.',
  'rebuild.handover.left.kit':
    'Exportieren und verwahren Sie das Notfallblatt des neuen Servers: Seine Sicherungen gehen unter eigener Historie in denselben Bucket.',
  'rebuild.handover.verifying': 'Die Signatur des Übergabeberichts wird geprüft …',
  'rebuild.handover.valid': 'Übergabebericht signiert und unverändert',
  'rebuild.handover.invalid':
    'Der Übergabebericht lässt sich nicht bestätigen: Er wurde nach dem Signieren verändert. Geben Sie ihn nicht weiter; Berichte zum Neuaufbau kommen nur aus dieser Konsole.',
  'rebuild.handover.signedBy': 'Signiert von {principal}, wie ein Übungsbericht.',
  'rebuild.handover.download': 'Signierten Bericht speichern (zip)',
  'rebuild.handover.toServer': 'Neuen Server öffnen',
  'rebuild.handover.again': 'Weiteren Neuaufbau beginnen',

  'rebuild.check.root': 'Root-Rechte',
  'rebuild.check.os': 'Betriebssystem',
  'rebuild.check.disk': 'Speicherplatz für die Wiederherstellung, mit Reserve',
  'rebuild.check.port': 'Port frei',
  'rebuild.check.postgres': 'PostgreSQL in der Version der Sicherung installierbar',
  'rebuild.check.pgbackrest': 'pgBackRest und restic installierbar',
  'rebuild.check.clock': 'Uhr synchron',
  'rebuild.check.data-directory': 'Datenverzeichnis noch nicht belegt',
} as const satisfies { readonly [K in keyof typeof enRebuild]: string };
