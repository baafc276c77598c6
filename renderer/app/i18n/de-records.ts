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
  'records.subject.title': 'Kunde zu einem Zeitpunkt',
  'records.subject.intro':
    'Stellt die Zeilen einer Person (ein Kunde mit Rechnungen und Rechnungspositionen, oder der Datensatz einer Tabelle) so wieder her, wie sie zu einer gewählten Sekunde waren, ohne andere zu berühren. Tabellen ohne Änderungsprotokoll nutzen ebenfalls diesen Weg.',
  'records.subject.duration':
    'Das dauert Minuten, nicht Sekunden: Der Server stellt zuerst diesen Zeitpunkt in einer Testumgebung wieder her und vergleicht dann die Zeilen der Person mit der Produktion. In der Produktion ändert sich nichts, bis Sie anwenden.',
  'records.subject.legend': 'Person und Zeitpunkt',
  'records.subject.source': 'Welche Zeilen',
  'records.subject.source.map': 'Die gespeicherte Personenkarte (DSGVO)',
  'records.subject.source.table': 'Datensatz einer Tabelle',
  'records.subject.root': 'Tabelle und Schlüsselspalte',
  'records.subject.root.hint': 'schema.tabelle.spalte, z. B. public.customer.customer_id.',
  'records.subject.value': 'Wert',
  'records.subject.value.hint': 'Der Wert der Person in der Schlüsselspalte, z. B. 5.',
  'records.subject.date': 'Datum',
  'records.subject.time': 'Uhrzeit (sekundengenau)',
  'records.subject.moment': 'Zeitpunkt: {at}',
  'records.subject.required':
    'Datenbank, Wert, Datum und Uhrzeit ausfüllen (für einen Datensatz auch Tabelle und Schlüsselspalte), dann erneut starten.',
  'records.subject.start': 'In Testumgebung wiederherstellen und Vorschau zeigen',
  'records.subject.running': 'Zeitpunkt wird wiederhergestellt …',
  'records.subject.progress': 'Fortschritt der Wiederherstellung',
  'records.subject.preview': 'Änderungen, um die Person auf {at} zurückzusetzen',
  'records.subject.kept': 'Die Testumgebung bleibt zum Nachsehen erhalten: {id}.',
  'records.subject.table': '{table}: {inserts} einfügen, {updates} ändern, {deletes} löschen',
  'records.subject.action.insert': 'Wieder einfügen: {key}',
  'records.subject.action.update': 'Zurückändern: {key}',
  'records.subject.action.delete': 'Löschen (gab es damals nicht): {key}',
  'records.subject.col.then': 'Damals',
  'records.subject.nothing': 'Die Zeilen der Person sind so wie damals: Es gibt nichts zu tun.',
  'records.subject.apply': 'Diese Änderungen anwenden …',
  'records.subject.confirm.title': 'Diese Person wiederherstellen?',
  'records.subject.confirm.body':
    '{changes} Zeilen in {db} werden in einer Transaktion geändert. Hat sich eine davon seit der Vorschau geändert, wird nichts geändert.',
  'records.subject.confirm.apply': 'Jetzt wiederherstellen',
  'records.subject.applied':
    'Wiederhergestellt: {inserted} eingefügt, {updated} geändert, {deleted} gelöscht. Die Änderung steht mit Ihrem Namen und Grund im Änderungsprotokoll.',
  'records.subject.failed': 'Die Wiederherstellung dieses Zeitpunkts ist fehlgeschlagen',
  'records.subject.refused': 'Wiederherstellung abgelehnt, nichts wurde geändert',
  'records.subject.refusal.erased':
    'Diese Person wurde gelöscht (Löschung {id}). Eine gelöschte Person wird nie wiederhergestellt.',
  'records.subject.refusal.no-primary-key':
    'Die Tabelle {table} hat keinen Primärschlüssel, daher lassen sich ihre Zeilen zwischen damals und heute nicht zuordnen. Stellen Sie den Zeitpunkt in einer Testumgebung wieder her und übernehmen Sie von Hand.',
  'records.subject.refusal.columns-changed':
    'Die Spalten von {table} haben sich seit diesem Zeitpunkt geändert. Stellen Sie den Zeitpunkt stattdessen in einer Testumgebung wieder her.',
  'records.subject.refusal.changed-after-preview':
    'Die Zeilen der Person haben sich nach der Vorschau geändert. Vorschau erneut erstellen.',
  'records.subject.refusal.preview-unknown':
    'Diese Vorschau ist nicht mehr bekannt (angewendet, abgelehnt oder älter als eine Stunde). Vorschau erneut erstellen.',
  'records.subject.refusal.foreign-key':
    'Die Wiederherstellung würde den Fremdschlüssel {constraint} auf {table} verletzen. Zuerst die zugehörigen Zeilen korrigieren, dann erneut Vorschau erstellen.',
  'records.subject.refusal.unique':
    'Die Wiederherstellung würde den eindeutigen Schlüssel {constraint} auf {table} verletzen. Zuerst die Zeile ändern, die den Wert hält, dann erneut Vorschau erstellen.',
  'records.subject.refusal.constraint':
    'Die Wiederherstellung würde die Bedingung {constraint} auf {table} verletzen. Zuerst die zugehörigen Zeilen korrigieren, dann erneut Vorschau erstellen.',
  'jobs.phase.subject-map': 'Personenkarte lesen',
  'jobs.phase.erasure-ledger': 'Löschprotokoll prüfen',
  'jobs.phase.scratch-restore': 'Zeitpunkt in einer Testumgebung wiederherstellen',
} as const satisfies Record<keyof typeof enRecords, string>;
