import type { enHistory } from './en-history';

/** German messages for honest states and the job history; English in en-history.ts. */
export const deHistory = {
  'protection.none': 'Nicht gesichert',
  'protection.none.reason': 'Auf diesem Server ist keine Sicherung eingerichtet.',
  'protection.gate.title': 'Noch nicht gesichert: {name}',
  'protection.gate.why':
    'Auf {name} ist keine Sicherung eingerichtet: Es gibt noch nichts, was sich wiederherstellen, üben oder als Wiederherstellungspunkt festhalten ließe.',
  'protection.gate.next':
    'Richten Sie zuerst die Sicherung ein (Speicherziel und Agent); diese Aktionen stehen bereit, sobald der erste Wiederherstellungspunkt existiert.',
  'protection.gate.unavailable': 'Noch nicht verfügbar',
  'protection.action.restore': 'Wiederherstellen',
  'protection.action.drill': 'Wiederherstellungsübung starten',
  'protection.action.drillSettings': 'Einstellungen der Übungen',
  'protection.action.point': 'Wiederherstellungspunkt jetzt',

  'jobs.history.title': 'Auftragsverlauf',
  'jobs.history.nav': 'Aufträge',
  'jobs.history.all': 'Alle Aufträge',
  'jobs.history.intro':
    'Jeder Auftrag, den die Konsole gestartet hat, der neueste zuerst, auch nach einem Neustart. Ein ausgeblendeter Auftrag verschwindet nur aus dieser Liste.',
  'jobs.history.empty':
    'Noch keine Aufträge. Ein Auftrag erscheint hier, sobald Sie einen Server verbinden, eine Sicherung einrichten, wiederherstellen, eine Übung starten oder einen Wiederherstellungspunkt anlegen.',
  'jobs.history.emptyFiltered': 'Kein Auftrag passt zu diesem Filter.',
  'jobs.history.filter.server': 'Server',
  'jobs.history.filter.state': 'Zustand',
  'jobs.history.filter.any': 'Alle',
  'jobs.history.filter.anyServer': 'Alle Server',
  'jobs.history.col.job': 'Auftrag',
  'jobs.history.col.server': 'Server',
  'jobs.history.col.state': 'Zustand',
  'jobs.history.col.started': 'Gestartet',
  'jobs.history.col.ended': 'Beendet',
  'jobs.history.col.duration': 'Dauer',
  'jobs.history.col.by': 'Gestartet von',
  'jobs.history.col.actions': 'Aktionen',
  'jobs.history.running': 'läuft noch',
  'jobs.history.unknownUser': 'nicht erfasst',
  'jobs.history.removedServer': 'entfernter Server',
  'jobs.history.open': 'Ergebnis öffnen',
  'jobs.history.openNamed': 'Ergebnis öffnen: {title}',
  'jobs.history.dismiss': 'Ausblenden',
  'jobs.history.dismissNamed': 'Ausblenden: {title}',
  'jobs.history.phase': 'Phase: {phase}',
  'jobs.history.interrupted':
    'Die App wurde beendet, während dieser Auftrag lief; er konnte nicht zu Ende laufen. Prüfen Sie den Zustand des Servers und starten Sie den Auftrag erneut.',
  'jobs.history.cancelled':
    'Vor dem Ende abgebrochen; nichts davon ist in Gebrauch. Starten Sie ihn bei Bedarf erneut.',
  'jobs.phase.starting': 'Wird gestartet',
  'jobs.history.failedIn': 'Fehlgeschlagen in Phase: {phase}',
} as const satisfies Record<keyof typeof enHistory, string>;
