import type { enGdpr } from './en-gdpr';

/**
 * Deutsche Texte des Datenschutz-Arbeitsplatzes (Issue 17 §4): Personenkarte, Auskunftsexport
 * und Löschung einer betroffenen Person. In `de` eingemischt; Englisch in en-gdpr.ts.
 */
export const deGdpr = {
  'nav.server.gdpr': 'Datenschutz',
  'gdpr.title': 'Datenschutz: {name}',
  'gdpr.intro':
    'Finden Sie alles, was über eine Person (die betroffene Person) gespeichert ist, exportieren Sie es für eine Auskunft oder löschen Sie es. Geben Sie zuerst die Datenbank, die Tabelle mit Schlüsselspalte, die eine Person bezeichnet, und den Schlüssel der Person an.',
  'gdpr.subject.title': 'Betroffene Person',
  'gdpr.subject.database': 'Datenbank',
  'gdpr.subject.root': 'Tabelle und Schlüsselspalte',
  'gdpr.subject.rootHint': 'Als tabelle.spalte, z. B. customer.customer_id.',
  'gdpr.subject.key': 'Schlüssel der Person',
  'gdpr.subject.keyHint': 'Der Wert in der Schlüsselspalte, z. B. 5 oder eine E-Mail-Adresse.',
  'gdpr.subject.map': 'Personenkarte anzeigen',
  'gdpr.subject.missing':
    'Geben Sie zuerst die Datenbank, Tabelle und Schlüsselspalte sowie den Schlüssel an.',
  'gdpr.map.title': 'Personenkarte von {database}',
  'gdpr.map.table': 'Tabelle',
  'gdpr.map.action': 'Bei Löschung',
  'gdpr.map.action.delete': 'Zeilen werden gelöscht',
  'gdpr.map.action.anonymise': 'personenbezogene Spalten werden geleert',
  'gdpr.map.personal': 'Personenbezogene Spalten',
  'gdpr.map.files': 'Dateispalten',
  'gdpr.map.paths': 'Wie die Zeilen erreicht werden',
  'gdpr.map.root': 'Ausgangspunkt der Karte',
  'gdpr.map.drift':
    'Das Schema hat sich seit der gespeicherten Karte geändert: {changes}. Prüfen Sie die Karte, bevor Sie exportieren oder löschen.',
  'gdpr.map.save': 'Diese Karte speichern',
  'gdpr.map.saved': 'Gespeicherte Karte, Version {version}. Export und Löschung verwenden sie.',
  'gdpr.map.unsaved':
    'Diese Karte ist noch nicht gespeichert. Prüfen Sie sie und speichern Sie sie dann: Export und Löschung verwenden die gespeicherte Karte.',
  'gdpr.export.title': 'Auskunftsexport',
  'gdpr.export.estimate': 'Größe schätzen',
  'gdpr.export.estimated':
    '{rows, plural, one {# Zeile} other {# Zeilen}} in {tables, plural, one {# Tabelle} other {# Tabellen}}, etwa {size}.',
  'gdpr.export.start': 'Exportieren',
  'gdpr.export.running': 'Wird exportiert …',
  'gdpr.export.progress': 'Fortschritt des Exports',
  'gdpr.export.cancel': 'Export abbrechen',
  'gdpr.export.done': 'Export geschrieben: {path}',
  'gdpr.export.sha256': 'SHA-256 der ZIP-Datei: {sha256}',
  'gdpr.export.backupsExpire': 'Sicherungen mit Daten der Person laufen spätestens am {date} ab.',
  'gdpr.export.failed':
    'Der Export ist fehlgeschlagen. Prüfen Sie die Meldung unten und exportieren Sie erneut.',
  'gdpr.export.cancelled':
    'Export abgebrochen. Es wurde nichts geschrieben; exportieren Sie erneut, wenn Sie so weit sind.',
  'gdpr.erase.title': 'Löschung',
  'gdpr.erase.dryRun': 'Probelauf',
  'gdpr.erase.dryRunIntro': 'Der Probelauf ändert nichts. Geändert würden:',
  'gdpr.erase.rows': '{table}: {rows, plural, one {# Zeile} other {# Zeilen}}',
  'gdpr.erase.reference': 'Verweis {id}: {rows, plural, one {# Zeile} other {# Zeilen}} ({effect})',
  'gdpr.erase.file': '{path} ({state})',
  'gdpr.erase.file.would-remove': 'würde entfernt',
  'gdpr.erase.file.removed': 'entfernt',
  'gdpr.erase.file.outside': 'außerhalb der Ordner für angehängte Dateien, bleibt unberührt',
  'gdpr.erase.file.missing': 'fehlt',
  'gdpr.erase.file.failed': 'konnte nicht entfernt werden',
  'gdpr.erase.refusals':
    'Die Löschung kann nicht laufen: {reasons}. Beheben Sie das und starten Sie den Probelauf erneut.',
  'gdpr.erase.erase': 'Löschen …',
  'gdpr.erase.confirmTitle': 'Betroffene Person {subject} löschen?',
  'gdpr.erase.confirmText':
    'Alle Zeilen und Dateien von {subject} in {database}, die der Probelauf aufgeführt hat, werden jetzt gelöscht oder geleert. Das lässt sich nicht rückgängig machen; Sicherungen behalten die Daten längstens bis {date}.',
  'gdpr.erase.confirm': '{subject} löschen',
  'gdpr.erase.done':
    'Gelöscht am {at}. Spätestens am {date} sind die Daten aus jeder Sicherung verschwunden (endgültige Löschung).',
  'gdpr.erasures.title': 'Bisherige Löschungen',
  'gdpr.erasures.empty': 'Auf diesem Server gab es noch keine Löschung.',
  'gdpr.erasures.when': 'Gelöscht',
  'gdpr.erasures.database': 'Datenbank',
  'gdpr.erasures.tables': 'Tabellen',
  'gdpr.erasures.due': 'Endgültig gelöscht bis',
  'gdpr.erasures.state': 'Stand',
  'gdpr.erasures.final': 'endgültig seit {at}',
  'gdpr.erasures.pending': 'ausstehend',
  'gdpr.erasures.refused':
    'Abgelehnter Eintrag im Löschprotokoll {key}: {why}. Er wird nicht angewendet; klären Sie, wer ihn in den Bucket geschrieben hat.',
  'gdpr.requests.title': 'Anfragen von Betroffenen',
  'gdpr.requests.intro':
    'Jede Auskunfts- oder Löschanfrage mit dem Eingangstag. Die Frist ist ein Monat ab Eingang (Art. 12 Abs. 3 DSGVO). Wählen Sie eine Anfrage, um sie mit Export oder Löschung unten zu beantworten; der Nachweis wird bei der Anfrage abgelegt.',
  'gdpr.requests.kind': 'Art der Anfrage',
  'gdpr.requests.kind.access': 'Auskunft',
  'gdpr.requests.kind.erasure': 'Löschung',
  'gdpr.requests.received': 'Eingegangen am',
  'gdpr.requests.receivedHint': 'Die Frist endet einen Monat später.',
  'gdpr.requests.note': 'Notiz (optional)',
  'gdpr.requests.missing': 'Geben Sie Datenbank, Schlüssel der Person und Eingangstag an.',
  'gdpr.requests.add': 'Anfrage erfassen',
  'gdpr.requests.filter': 'Anfragen filtern',
  'gdpr.requests.filter.open': 'Offen',
  'gdpr.requests.filter.overdue': 'Überfällig',
  'gdpr.requests.filter.done': 'Erledigt',
  'gdpr.requests.filter.all': 'Alle',
  'gdpr.requests.empty': 'Keine Anfragen in dieser Auswahl.',
  'gdpr.requests.deadline': 'Frist',
  'gdpr.requests.status': 'Stand',
  'gdpr.requests.actions': 'Aktionen',
  'gdpr.requests.daysLeft': '(noch {days, plural, one {# Tag} other {# Tage}})',
  'gdpr.requests.overdue': '(seit {days, plural, one {# Tag} other {# Tagen}} überfällig)',
  'gdpr.requests.status.open': 'offen',
  'gdpr.requests.status.in-progress': 'in Bearbeitung',
  'gdpr.requests.status.answered': 'beantwortet',
  'gdpr.requests.status.erased': 'gelöscht',
  'gdpr.requests.workOn': 'Bearbeiten',
  'gdpr.requests.evidence.export': 'Export speichern',
  'gdpr.requests.evidence.confirmation': 'Löschbestätigung speichern',
  'gdpr.requests.working.access':
    'Sie bearbeiten die Auskunftsanfrage zu {subject}, eingegangen am {received}. Der Export unten beantwortet sie.',
  'gdpr.requests.working.erasure':
    'Sie bearbeiten die Löschanfrage zu {subject}, eingegangen am {received}. Die Löschung unten beantwortet sie.',
  'gdpr.requests.noMap':
    'Für {database} ist noch keine Personenkarte gespeichert. Geben Sie Tabelle und Schlüsselspalte an, zeigen Sie die Karte und speichern Sie sie.',
} as const satisfies { readonly [K in keyof typeof enGdpr]: string };
