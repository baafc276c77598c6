import type { enInstall } from './en-install';

/** German messages for the install review's script list; keys as in en-install.ts. */
export const deInstall: Record<keyof typeof enInstall, string> = {
  'wizard.review.scripts': 'Skripte, die das Installationsprogramm auf dem Server ausführt',
  'wizard.review.scriptsIntro':
    'In dieser Reihenfolge, {count} Skripte; {root} davon als root. Geheimnisse erscheinen als <secret: …>, im Text und in seinem SHA-256. Vergleichen Sie mit dem E/A-Protokoll von sudo (docs/security.md, „Least-privilege sudo“).',
  'wizard.review.agentBundle': 'Agent-Programm (läuft als root)',
  'wizard.review.bytes': '{bytes} Bytes',
  'wizard.review.asRoot': 'als root',
  'wizard.review.asUser': 'als {user}',
  'wizard.review.onlyIfRuntime': '(nur wenn diese Node.js-Laufzeit noch nicht auf dem Server ist)',
  'wizard.review.whyRoot': 'Warum root:',
  'wizard.review.scriptCommand': 'Gelesen von:',
  'wizard.review.scriptPayload': 'Daten auf stdin: {name}, {bytes} Bytes,',
  'install.script.preflight':
    'Liest, was installiert ist, Version, Port, Socket und Eigentümer des Clusters und ob der Agent schon da ist. Ändert nichts.',
  'install.scriptRoot.preflight':
    'Es liest PG_VERSION und postmaster.pid im Datenverzeichnis, die nur der Betriebssystembenutzer des Clusters lesen darf, bevor die App weiß, wer das ist.',
  'install.script.read-settings':
    'Liest die Archiv-Einstellungen, wal_level und data_checksums mit psql. Ändert nichts.',
  'install.script.install-packages':
    'Installiert pgBackRest und restic mit dem Paketmanager des Servers.',
  'install.scriptRoot.install-packages': 'Nur root kann Pakete mit apt-get oder dnf installieren.',
  'install.script.install-optional-packages':
    'Installiert eatmydata, mit dem Wiederherstellungsübungen fsync überspringen; ein Fehler hält die Installation nicht auf.',
  'install.scriptRoot.install-optional-packages':
    'Nur root kann Pakete mit apt-get oder dnf installieren.',
  'install.script.check-runtime':
    'Prüft, ob die festgelegte Node.js-Laufzeit schon in /opt/kumiko-agent/runtime liegt. Ändert nichts.',
  'install.scriptRoot.check-runtime':
    'Nicht zwingend nötig: Es liest nur Dateien, die jeder lesen darf; es läuft in derselben root-Shell wie die Schritte davor und danach.',
  'install.script.create-runtime-folder': 'Legt /opt/kumiko-agent für die Node.js-Laufzeit an.',
  'install.scriptRoot.create-runtime-folder':
    '/opt gehört root, und root führt die Programme in diesem Ordner aus; deshalb darf nur root ihn beschreiben.',
  'install.script.upload-runtime':
    'Lädt die festgelegte Node.js-Laufzeit (bin/node und die Lizenz) in Stücken hoch; der Server entpackt jedes Stück, sobald es da ist, prüft es gegen den in dieser App-Version festgelegten SHA-256, probiert die neue node aus und setzt sie ein.',
  'install.scriptRoot.upload-runtime':
    'Die Laufzeit führt den Agenten als root aus; deshalb darf nur root sie beschreiben.',
  'install.script.create-folders':
    'Legt /etc/kumiko-agent, /opt/kumiko-agent und /var/lib/kumiko-agent an; die Spool-, Lock- und Log-Ordner für pgBackRest gehören dem Betriebssystembenutzer des Clusters.',
  'install.scriptRoot.create-folders':
    '/etc, /opt und /var/lib gehören root, und die Ordner des Agenten müssen root gehören, damit kein anderer Benutzer ändern kann, was root ausführt oder liest.',
  'install.script.write-ca':
    'Schreibt das CA-Zertifikat des TLS Ihres Speichers (nur bei eigenem Speicher).',
  'install.scriptRoot.write-ca': 'Es kommt nach /etc/kumiko-agent, wo nur root schreiben darf.',
  'install.script.write-pgbackrest-config':
    'Schreibt die Konfiguration von pgBackRest: Bucket, S3-Schlüssel und Repository-Passphrase (Modus 600).',
  'install.scriptRoot.write-pgbackrest-config':
    'Sie kommt in roots /etc/kumiko-agent und wird dem Betriebssystembenutzer des Clusters übergeben, dessen archive_command sie liest; chown braucht root.',
  'install.script.write-restic-password':
    'Schreibt das Passwort des restic-Repositorys (Modus 600).',
  'install.scriptRoot.write-restic-password':
    'Nur root darf es lesen: Der Agent sichert angehängte Dateien beliebiger Eigentümer als root, und der Betriebssystembenutzer des Clusters darf es nicht lesen.',
  'install.script.write-agent-config':
    'Schreibt die Konfiguration des Agenten: Cluster, Bucket, S3-Schlüssel, Zeitplan, Aufbewahrung und Alarme (Modus 600).',
  'install.scriptRoot.write-agent-config':
    'Sie enthält den S3-Schlüssel und wird vom Agenten gelesen, der als root läuft; kein anderer Benutzer darf sie lesen.',
  'install.script.upload-agent':
    'Lädt das Agent-Programm hoch (eine JavaScript-Datei; ihr SHA-256 steht oben).',
  'install.scriptRoot.upload-agent':
    'Der Agent läuft als root; deshalb darf nur root sein Programm besitzen und beschreiben.',
  'install.script.create-signing-key':
    'Erzeugt den Ed25519-Signaturschlüssel des Agenten auf dem Server (einmal) und gibt seine öffentliche Hälfte aus, die die App festhält.',
  'install.scriptRoot.create-signing-key':
    'Der private Schlüssel darf nur für root lesbar sein, damit kein anderer Benutzer auf dem Server Berichte als der Agent signieren kann.',
  'install.script.stanza-create':
    'Legt das Repository von pgBackRest für diesen Cluster im Bucket an.',
  'install.script.record-settings':
    'Schreibt die PostgreSQL-Einstellungen, wie sie jetzt sind, damit die Deinstallation sie zurücksetzen kann.',
  'install.scriptRoot.record-settings':
    'Es schreibt in den Zustandsordner /var/lib/kumiko-agent des Agenten, der root gehört.',
  'install.script.keep-first-settings':
    'Behält die Aufzeichnung der ersten Installation; eine Neuinstallation überschreibt sie nicht.',
  'install.scriptRoot.keep-first-settings':
    'Es schreibt in den Zustandsordner /var/lib/kumiko-agent des Agenten, der root gehört.',
  'install.script.change-settings':
    'Schaltet die WAL-Archivierung mit ALTER SYSTEM ein (archive_mode, archive_command, archive_timeout, wal_level).',
  'install.script.restart-postgres':
    'Startet PostgreSQL neu (nur mit Ihrer Bestätigung), so wie es verwaltet wird: pg_ctlcluster unter systemd, sonst pg_ctl.',
  'install.scriptRoot.restart-postgres':
    'pg_ctlcluster startet einen Debian-Cluster über systemd neu, was root braucht; pg_ctl selbst läuft als Betriebssystembenutzer des Clusters.',
  'install.script.reload-postgres': 'Lädt die Konfiguration von PostgreSQL neu (ohne Neustart).',
  'install.script.check-archiving': 'Prüft, dass PostgreSQL WAL in den Bucket archiviert.',
  'install.script.restic-init':
    'Legt das verschlüsselte restic-Repository für angehängte Dateien im Bucket an (falls es noch nicht da ist).',
  'install.scriptRoot.restic-init':
    'Es liest die Passwortdatei von restic, die nur root lesen darf.',
  'install.script.first-backup':
    'Führt den Agenten einmal aus: die erste Vollsicherung, die angehängten Dateien und ein signiertes Manifest.',
  'install.scriptRoot.first-backup':
    'Der Agent läuft als root, wie später sein Zeitplaner: Er liest angehängte Dateien beliebiger Eigentümer und führt pgBackRest über runuser als Betriebssystembenutzer des Clusters aus.',
  'install.script.write-systemd-unit': 'Schreibt den systemd-Dienst des Agenten.',
  'install.scriptRoot.write-systemd-unit': 'Nur root darf /etc/systemd/system beschreiben.',
  'install.script.start-service': 'Aktiviert und startet den systemd-Dienst des Agenten.',
  'install.scriptRoot.start-service': 'Nur root darf einen Systemdienst aktivieren und starten.',
  'install.script.start-daemon':
    'Startet den eigenen Supervisor des Agenten (Server ohne systemd).',
  'install.scriptRoot.start-daemon': 'Der Agent läuft als root, wie es ein systemd-Dienst täte.',
  'install.script.wait-heartbeat':
    'Wartet bis zu 90 s auf den ersten Heartbeat des laufenden Agenten. Ändert nichts.',
  'install.scriptRoot.wait-heartbeat':
    'Nicht zwingend nötig: Es liest nur Dateizeiten im Zustandsordner; es läuft in derselben root-Shell wie die Schritte davor und danach.',
};
