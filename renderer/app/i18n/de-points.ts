import type { enPoints } from './en-points';

/** German messages for recovery points on demand and the timeline after a WAL gap. */
export const dePoints: { readonly [K in keyof typeof enPoints]: string } = {
  'point.title': 'Wiederherstellungspunkt jetzt',
  'point.intro':
    'Der Agent legt jetzt auf dem Server einen Wiederherstellungspunkt an, wie er es täglich tut: eine Sicherung der Datenbank, der angehängten Dateien und ein signiertes Manifest. Der Betrieb läuft weiter. Sinnvoll vor einem Upgrade oder einer riskanten Änderung.',
  'point.note': 'Bezeichnung (optional)',
  'point.noteHint':
    'Wird mit dem Punkt gespeichert und auf der Zeitleiste gezeigt, z. B. „vor dem Upgrade auf 4.2“. Eine Zeile, höchstens {max} Zeichen.',
  'point.noteProblem.long': 'Die Bezeichnung ist länger als {max} Zeichen. Bitte kürzen.',
  'point.noteProblem.characters':
    'Die Bezeichnung muss eine Zeile aus gewöhnlichen Zeichen sein (keine Zeilenumbrüche oder Steuerzeichen). Bitte entfernen.',
  'point.button': 'Jetzt Wiederherstellungspunkt anlegen',
  'point.starting': 'Wird gestartet …',
  'point.phases': 'Schritte des Wiederherstellungspunkts',
  'point.phase.starting': 'Agent starten',
  'point.phase.heal': 'Index der angehängten Dateien neu aufbauen (restic)',
  'point.phase.backup': 'Datenbank sichern (pgBackRest)',
  'point.phase.files': 'Angehängte Dateien sichern (restic)',
  'point.phase.manifest': 'Manifest signieren und hochladen',
  'point.phase.catalog': 'Auf der Zeitleiste zeigen',
  'point.progress': 'Fortschritt des Wiederherstellungspunkts',
  'point.cancel': 'Abbrechen',
  'point.succeeded': 'Wiederherstellungspunkt {label} angelegt: wiederherstellbar ab {time}.',
  'point.withNote': 'Bezeichnung: {note}',
  'point.notInCatalog':
    'Der Katalog führt ihn noch nicht. Aktualisieren Sie die Zeitleiste in einer Minute; er erscheint, sobald er im Bucket liegt.',
  'point.busy':
    'Auf diesem Server läuft gerade eine Sicherung, Aufbewahrung oder Übung, darum wurde kein Wiederherstellungspunkt gestartet. Versuchen Sie es nach deren Ende erneut; eine laufende Sicherung ist vielleicht schon der Punkt, den Sie brauchen.',
  'point.failed': 'Der Wiederherstellungspunkt konnte nicht angelegt werden.',
  'point.heal.title':
    'Die angehängten Dateien des letzten Wiederherstellungspunkts sind unvollständig',
  'point.heal.body':
    'Sie verweisen auf Daten, die im Bucket fehlen; der Punkt zählt daher nicht (seine Datenbanksicherung ist intakt). Reparieren Sie ihn: restic baut seinen Index neu auf, die Sicherung lädt die fehlenden Daten aus den Dateien des Servers erneut hoch, und ein neuer Wiederherstellungspunkt wird angelegt.',
  'point.heal.button': 'Reparieren und neuen Wiederherstellungspunkt anlegen',
  'point.cancelled':
    'Abgebrochen. Die Zeitleiste zeigt einen Punkt nur, wenn er vor dem Abbruch vollständig war.',
  'point.openGap':
    'Seit {from} fehlt WAL: Nichts danach lässt sich wiederherstellen, bis ein neuer Wiederherstellungspunkt angelegt ist. Legen Sie jetzt einen an, damit die Zeit ab dann wieder wiederherstellbar ist.',
  'gaps.restorableAgain':
    'Wieder wiederherstellbar ab {time} (der erste Wiederherstellungspunkt nach der Lücke).',
  'gaps.noPointYet':
    'Nach dieser Lücke gibt es noch keinen Wiederherstellungspunkt: Nichts danach lässt sich wiederherstellen. Legen Sie jetzt einen an.',
};
