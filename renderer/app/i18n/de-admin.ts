import type { enAdmin } from './en-admin';

/** German messages for databases, hints, settings, help and About; English in en-admin.ts. */
export const deAdmin = {
  'detail.col.databases': 'Datenbanken und Größen',
  'databases.list': '{count, plural, one {# Datenbank} other {# Datenbanken}}: {list}',
  'databases.item': '{name} ({size})',
  'databases.none': 'Keine Datenbanken außer den Vorlagen.',
  'databases.unknown':
    'Nicht ermittelt: Der Cluster ist gestoppt oder konnte nicht gefragt werden.',
  'help.nav': 'Hilfe',
  'help.title': 'Hilfe',
  'help.intro':
    'Kurze Erklärungen der Begriffe, die diese Konsole verwendet. Das Handbuch liegt im Ordner docs des Repositorys; jeder Eintrag nennt die Seite.',
  'help.manual': 'Handbuch: {doc}',
  'help.point.title': 'Wiederherstellungspunkt',
  'help.point.body':
    'Was Sie wiederherstellen: jede Sekunde im abgedeckten WAL-Bereich nach einer Basissicherung oder ein täglicher Snapshot mit seinen angehängten Dateien, vom Agent signiert.',
  'help.capture.title': 'Erfassung und Erfassungsrückstand',
  'help.capture.body':
    'PostgreSQL übergibt jedes WAL-Segment an pgBackRest, das es im Bucket ablegt. Der Erfassungsrückstand sagt, wie viele Sekunden an Änderungen noch nicht im Bucket sind.',
  'help.gap.title': 'Lücke',
  'help.gap.body':
    'Sekunden, die kein WAL im Bucket abdeckt. Ein Zeitpunkt in einer Lücke lässt sich nicht genau wiederherstellen; die Zeitleiste zeigt Lücken rot.',
  'help.retention.title': 'Aufbewahrung',
  'help.retention.body':
    '7 tägliche, 4 wöchentliche und 3 monatliche Punkte bleiben erhalten; WAL bleibt so lange, dass jede Sekunde der letzten 30 Tage wiederherstellbar ist.',
  'help.drill.title': 'Wiederherstellungsübung und Übungsbericht',
  'help.drill.body':
    'Eine geübte Wiederherstellung in eine Wegwerfumgebung, geprüft (Cluster startet, pg_amcheck, Zeilenzahlen, angehängte Dateien) und signiert. Prüfer verifizieren den Übungsbericht offline oder unter „Berichte prüfen“.',
  'help.scratch.title': 'Testumgebung',
  'help.scratch.body':
    'Wohin eine Wiederherstellung aus dem Assistenten geht, neben der Produktion, bis Sie sie entfernen. Die Produktion ändert nur eine Wiederherstellung über die Produktion, nach einer Sicherheitssicherung.',
  'help.storage.title': 'Speicherziel',
  'help.storage.body':
    'Der S3-Bucket des Kunden in der EU. Versionierung und Object Lock schützen alte Sicherungen auch dann, wenn ein Schlüssel missbraucht wird.',
  'help.kit.title': 'Notfallblatt',
  'help.kit.body':
    'Das druckbare Blatt mit den Passphrasen des Repositorys und den Fingerabdrücken der Schlüssel. Ohne es kann niemand die Sicherungen lesen, wenn der Laptop verloren ist.',
  'help.agent.title': 'Agent',
  'help.agent.body':
    'Das Programm auf dem Server des Kunden, das Punkte anlegt, die Aufbewahrung anwendet, Übungen ausführt und seinen Zustand meldet, auch wenn diese Konsole geschlossen ist.',
  'help.hostkey.title': 'Fingerabdruck des Host-Schlüssels',
  'help.hostkey.body':
    'Belegt, dass die Konsole mit dem richtigen Server spricht. Vergleichen Sie ihn mit dem Server, bevor Sie ihm vertrauen; ein geänderter Schlüssel stoppt jede Verbindung, bis Sie den neuen bestätigen.',
  'about.nav': 'Über',
  'about.title': 'Über Kumiko Recovery',
  'about.version': 'Version',
  'about.transport': 'Läuft als',
  'about.transport.electron': 'Desktop-App',
  'about.transport.web': 'Browser-Modus',
  'about.transport.cli': 'Kommandozeile',
  'about.licences': 'Lizenzen der mitgelieferten npm-Pakete',
  'about.licencesIntro':
    '{count, plural, one {# Paket} other {# Pakete}}, die die App mitliefert, mit der Lizenz, die jedes angibt, wie beim Bau dieser Version erfasst.',
  'about.col.package': 'Paket',
  'about.col.version': 'Version',
  'about.col.licence': 'Lizenz',
  'about.loading': 'Wird geladen …',
} as const satisfies Record<keyof typeof enAdmin, string>;
