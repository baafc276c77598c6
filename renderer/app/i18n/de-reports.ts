import type { enReports } from './en-reports';

/** German messages for saving and verifying drill reports; English in en-reports.ts. */
export const deReports = {
  'report.saveZip': 'Bündel speichern (ZIP)',
  'report.saveJson': 'report.json speichern',
  'report.saveBusy': 'Datei wird vorbereitet …',
  'report.verifyLink': 'Übungsbericht prüfen …',

  'verify.nav': 'Berichte prüfen',
  'verify.title': 'Übungsbericht prüfen',
  'verify.intro':
    'Wählen Sie ein Berichtsbündel (.zip, wie es „Bündel speichern“ oder kumiko report export geschrieben hat). Die Konsole prüft jede Prüfsumme, die Signaturen und die Kette gegen die Schlüssel, die bei der Installation des Agents hinterlegt wurden. Der allowed_signers-Datei im Bündel selbst wird nie vertraut.',
  'verify.file': 'Berichtsbündel (.zip)',
  'verify.keys': 'Weitere vertrauenswürdige Schlüssel (optional)',
  'verify.keysHint':
    'Zeilen mit öffentlichen Schlüsseln oder allowed_signers-Zeilen, für Berichte von Servern, die diese Konsole nicht kennt. Vergleichen Sie vorher ihre Fingerabdrücke mit dem Notfallblatt.',
  'verify.run': 'Prüfen',
  'verify.busy': 'Wird geprüft …',
  'verify.noFile': 'Wählen Sie zuerst eine .zip-Datei.',
  'verify.tooLarge':
    'Die Datei ist größer als {size}. Prüfen Sie sie auf der Kommandozeile mit kumiko report verify.',
  'verify.readFailed': 'Die Datei ließ sich nicht lesen. Wählen Sie sie erneut.',
  'verify.verdict.valid':
    'Gültig: Alle Prüfsummen und Signaturen stimmen, signiert mit einem vertrauenswürdigen Schlüssel.',
  'verify.verdict.invalid':
    'Nicht gültig: Verlassen Sie sich nicht auf diesen Bericht. Holen Sie ihn erneut aus dem Archiv der Konsole oder aus dem Bucket.',
  'verify.verdict.untrusted':
    'Signaturen und Prüfsummen stimmen, aber kein vertrauenswürdiger Schlüssel passt zum Unterzeichner. Vergleichen Sie den Fingerabdruck unten mit dem Notfallblatt des Servers; wenn er gleich ist, tragen Sie diesen Schlüssel oben ein und prüfen Sie erneut.',
  'verify.badge.valid': 'Gültig',
  'verify.badge.invalid': 'Nicht gültig',
  'verify.badge.untrusted': 'Unterzeichner nicht vertraut',
  'verify.bundles': 'Berichte in der Datei',
  'verify.col.drill': 'Übung',
  'verify.col.result': 'Ergebnis der Übung',
  'verify.col.signer': 'Unterzeichner und Fingerabdruck',
  'verify.col.state': 'Prüfung',
  'verify.unreadable': 'Bericht nicht lesbar',
  'verify.sig.primary': 'signiert von',
  'verify.sig.countersignature': 'gegengezeichnet von',
  'verify.sig.pinned': 'hinterlegter Schlüssel',
  'verify.sig.bundle': 'Schlüssel nur im Bündel: nicht vertraut',
  'verify.sig.none': 'nicht vertraut',
  'verify.sig.invalid': 'Signatur ungültig',
  'verify.noSignature': 'keine Signatur',
  'verify.problems': 'Was nicht stimmt',
  'verify.problemIn': '{file}: {text}',
  'verify.chain': 'Kette aus {count, plural, one {# Bericht} other {# Berichten}}: {state}',
  'verify.chain.intact': 'lückenlos',
  'verify.chain.broken': 'unterbrochen',
  'verify.problem.manifest-missing':
    'Es wurde kein Berichtsbündel (keine MANIFEST.sha256) gefunden.',
  'verify.problem.manifest-malformed':
    'Die Liste der Prüfsummen (MANIFEST.sha256) ist nicht lesbar.',
  'verify.problem.missing-file': 'Eine Datei, die der Bericht aufführt, fehlt.',
  'verify.problem.hash-mismatch':
    'Die Datei wurde verändert: Ihre Prüfsumme weicht von der signierten ab.',
  'verify.problem.unlisted-file': 'Diese Datei gehört zu keinem signierten Bericht.',
  'verify.problem.signature-missing': 'Die Signatur fehlt.',
  'verify.problem.signature-invalid':
    'Die Signatur passt nicht zur signierten Liste der Prüfsummen.',
  'verify.problem.countersignature-invalid':
    'Die Gegenzeichnung der App passt nicht zur signierten Liste der Prüfsummen.',
  'verify.problem.signature-untrusted': 'Dem signierenden Schlüssel wird nicht vertraut.',
  'verify.problem.signer-not-trusted': 'Kein vertrauenswürdiger Schlüssel passt zum Unterzeichner.',
  'verify.problem.report-signer-mismatch':
    'Der Bericht nennt einen anderen Unterzeichner als die Signatur.',
  'verify.problem.report-invalid': 'Die Berichtsdatei ist nicht lesbar.',
  'verify.problem.evidence-mismatch': 'Die Liste der Nachweise weicht vom signierten Bericht ab.',
  'verify.problem.chain-file-mismatch': 'Der Verweis auf den vorigen Bericht stimmt nicht.',
  'verify.problem.chain-broken':
    'Die Kette der Berichte ist unterbrochen: Ein Bericht fehlt oder wurde verändert.',
  'verify.problem.chain-sequence': 'Die Berichte sind nicht fortlaufend nummeriert.',
  'verify.problem.chain-mixed-servers': 'Die Datei mischt Berichte mehrerer Server in einer Kette.',
  'verify.problem.chain-duplicate': 'Ein Bericht kommt doppelt vor.',
  'verify.problem.chain-not-from-start': 'Die Kette beginnt nicht beim ersten Bericht des Servers.',
  'verify.problem.read-error': 'Die Datei ist nicht lesbar.',
  'verify.problem.other': 'Die Prüfung {code} ist fehlgeschlagen.',
} as const satisfies Record<keyof typeof enReports, string>;
