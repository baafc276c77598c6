import type { enValidation } from './en-validation';

/** Deutsche Texte zu ungültigen Eingaben in Formularen; Englisch in en-validation.ts. */
export const deValidation = {
  'validation.required': '{field}: Bitte ausfüllen.',
  'validation.tooShort':
    '{field}: Bitte mindestens {minimum, plural, one {# Zeichen} other {# Zeichen}} eingeben.',
  'validation.tooLong':
    '{field}: Bitte höchstens {maximum, plural, one {# Zeichen} other {# Zeichen}} eingeben.',
  'validation.tooLow': '{field}: Bitte eine Zahl ab {minimum, number} eingeben.',
  'validation.tooHigh': '{field}: Bitte eine Zahl bis {maximum, number} eingeben.',
  'validation.tooFew':
    '{field}: Bitte mindestens {minimum, plural, one {# Eintrag} other {# Einträge}} angeben.',
  'validation.tooMany':
    '{field}: Bitte höchstens {maximum, plural, one {# Eintrag} other {# Einträge}} angeben.',
  'validation.format':
    '{field}: Die Eingabe hat nicht die erwartete Form. Prüfen Sie sie auf Tippfehler.',
  'validation.type':
    '{field}: Hier fehlt ein Wert der richtigen Art. Füllen Sie ihn aus oder korrigieren Sie ihn.',
  'validation.choice': '{field}: Bitte einen der angebotenen Werte wählen.',
  'validation.unknownField':
    '{field}: Diese Angabe ist hier nicht bekannt. Laden Sie die Seite neu.',
  'validation.invalid':
    '{field}: Dieser Wert ist ungültig. Korrigieren Sie ihn und versuchen Sie es erneut.',
  'validation.name.name': 'Name',
  'validation.name.host': 'Host',
  'validation.name.port': 'Port',
  'validation.name.user': 'SSH-Benutzer',
  'validation.name.endpoint': 'Endpunkt',
  'validation.name.bucket': 'Bucket',
  'validation.name.region': 'Region',
  'validation.name.prefix': 'Präfix',
  'validation.name.input': 'Eingabe',
} as const satisfies Record<keyof typeof enValidation, string>;
