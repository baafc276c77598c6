/**
 * Issues main found in a form's input (zod codes, electron/ipc/router.ts), worded per field
 * (renderer/app/i18n/word-issues.ts). German in de-validation.ts.
 */
export const enValidation = {
  'validation.required': '{field}: please fill this in.',
  'validation.tooShort':
    '{field}: enter at least {minimum, plural, one {# character} other {# characters}}.',
  'validation.tooLong':
    '{field}: enter at most {maximum, plural, one {# character} other {# characters}}.',
  'validation.tooLow': '{field}: enter a number of at least {minimum, number}.',
  'validation.tooHigh': '{field}: enter a number of at most {maximum, number}.',
  'validation.tooFew': '{field}: give at least {minimum, plural, one {# entry} other {# entries}}.',
  'validation.tooMany': '{field}: give at most {maximum, plural, one {# entry} other {# entries}}.',
  'validation.format': '{field}: this does not have the expected form. Check it for typing errors.',
  'validation.type':
    '{field}: a value of the right kind is missing here. Fill it in or correct it.',
  'validation.choice': '{field}: choose one of the values offered.',
  'validation.unknownField': '{field}: this setting is not known here. Reload the page.',
  'validation.invalid': '{field}: this value is not valid. Correct it and try again.',
  'validation.name.name': 'Name',
  'validation.name.host': 'Host',
  'validation.name.port': 'Port',
  'validation.name.user': 'SSH user',
  'validation.name.endpoint': 'Endpoint',
  'validation.name.bucket': 'Bucket',
  'validation.name.region': 'Region',
  'validation.name.prefix': 'Prefix',
  'validation.name.input': 'Input',
} as const;
