import type { enRecords } from './en-records';

/**
 * Deutsche Texte zum Verlauf eines Datensatzes und seiner Rücknahme (Issue 18 §2, §3). In `de`
 * eingemischt; Englisch in en-records.ts. Die Sätze der Ablehnungen sind Phrasen (de-phrases.ts).
 */
export const deRecords = {
  'records.title': 'Datensatz-Verlauf: {name}',
  'records.intro':
    'Finden Sie einen Datensatz über seinen Schlüssel oder einen Spaltenwert, sehen Sie, wer ihn wann geändert hat, und setzen Sie ihn zurück. Sonst ändert sich nichts in der Datenbank.',
  'records.find.legend': 'Datensatz suchen',
  'records.db': 'Datenbank',
  'records.schema': 'Schema',
  'records.table': 'Tabelle',
  'records.mode': 'Suchen nach',
  'records.mode.key': 'Schlüssel',
  'records.mode.column': 'Spaltenwert',
  'records.column': 'Spalte',
  'records.column.hint.key': 'Die Primärschlüssel-Spalte, z. B. track_id.',
  'records.column.hint.value': 'Eine beliebige Spalte der Tabelle, z. B. name.',
  'records.value': 'Wert',
  'records.value.hint': 'So, wie er in der Spalte steht, ohne Anführungszeichen.',
  'records.find': 'Suchen',
  'records.finding': 'Suche läuft…',
  'records.required':
    'Füllen Sie Datenbank, Schema, Tabelle, Spalte und Wert aus und suchen Sie dann erneut.',
  'records.matches': 'Gefundene Datensätze',
  'records.matches.now': 'Zeilen mit diesem Wert jetzt',
  'records.matches.before': 'Zeilen, die diesen Wert früher hatten',
  'records.matches.none':
    'Keine Zeile hat diesen Wert, weder jetzt noch im Änderungsprotokoll. Prüfen Sie Tabelle und Wert oder suchen Sie nach dem Schlüssel.',
  'records.open': 'Verlauf von {key} zeigen',
  'records.history': 'Verlauf von {key}',
  'records.history.none':
    'Das Änderungsprotokoll enthält keine Änderung dieses Datensatzes. Änderungen werden ab der Installation des Protokolls auf der Tabelle aufgezeichnet.',
  'records.current': 'Jetzt',
  'records.current.deleted': 'Den Datensatz gibt es jetzt nicht (gelöscht).',
  'records.op.I': 'Eingefügt',
  'records.op.U': 'Geändert',
  'records.op.D': 'Gelöscht',
  'records.by': 'von {user}',
  'records.app': 'Anwendung {app}',
  'records.app.none': 'ohne Anwendungsnamen',
  'records.reason': 'Rücknahme durch {actor}: {reason}',
  'records.diff': 'Geänderte Felder am {at}',
  'records.col.column': 'Spalte',
  'records.col.before': 'Vorher',
  'records.col.after': 'Nachher',
  'records.col.current': 'Jetzt',
  'records.col.target': 'Nach der Rücknahme',
  'records.null': '(leer)',
  'records.rollbackTo': 'Vorschau: zurück vor diese Änderung',
  'records.previewing': 'Vorschau wird erstellt…',
  'records.preview': 'Vorschau der Rücknahme',
  'records.preview.action.update': 'Die Zeile wird zurückgeändert (UPDATE).',
  'records.preview.action.insert': 'Die gelöschte Zeile wird wieder eingefügt (INSERT).',
  'records.preview.action.delete': 'Die Zeile gab es damals nicht; sie wird gelöscht (DELETE).',
  'records.preview.action.none':
    'Die Zeile ist bereits in diesem Zustand: Es gibt nichts zurückzunehmen.',
  'records.preview.statements': 'Anweisungen, in einer Transaktion ausgeführt',
  'records.preview.diff': 'Unterschied zur aktuellen Zeile',
  'records.apply': 'Rücknahme ausführen…',
  'records.confirm.title': 'Diesen Datensatz zurücksetzen?',
  'records.confirm.body':
    'Die Anweisungen oben laufen in einer Transaktion auf {db}. Hat sich die Zeile seit der Vorschau geändert, wird nichts geändert.',
  'records.reason.label': 'Grund (mit Ihrem Namen im Änderungsprotokoll vermerkt)',
  'records.confirm.apply': 'Jetzt zurücksetzen',
  'records.applying': 'Wird zurückgesetzt…',
  'records.cancel': 'Abbrechen',
  'records.applied':
    'Zurückgesetzt. Der Datensatz ist wie vor dieser Änderung; die Rücknahme steht in seinem Verlauf.',
  'records.refused': 'Rücknahme abgelehnt, nichts wurde geändert',
} as const satisfies Record<keyof typeof enRecords, string>;
