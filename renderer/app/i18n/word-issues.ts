import { hasMessage, type MessageKey, type Params } from './translate';

type Translate = (key: MessageKey, params?: Params) => string;

/** One line of an error's details: worded from the catalogs, or main's English as it came. */
export interface IssueLine {
  text: string;
  /** False when the line is main's English (an unknown issue code, or plain details). */
  worded: boolean;
}

interface Issue {
  path: readonly (string | number)[];
  message: string;
  code?: string;
  origin?: string;
  minimum?: number;
  maximum?: number;
}

function isIssue(item: unknown): item is Issue {
  if (!item || typeof item !== 'object') return false;
  const o = item as Record<string, unknown>;
  return Array.isArray(o.path) && typeof o.message === 'string';
}

/** The catalog key for a zod issue main sent (electron/ipc/router.ts), or null if unknown. */
function keyOf(issue: Issue): MessageKey | null {
  const sized = issue.origin === 'array' || issue.origin === 'set' ? 'array' : issue.origin;
  switch (issue.code) {
    case 'too_small':
      if (sized === 'string')
        return issue.minimum === 1 ? 'validation.required' : 'validation.tooShort';
      if (sized === 'array') return 'validation.tooFew';
      return 'validation.tooLow';
    case 'too_big':
      if (sized === 'string') return 'validation.tooLong';
      if (sized === 'array') return 'validation.tooMany';
      return 'validation.tooHigh';
    case 'invalid_format':
      return 'validation.format';
    case 'invalid_type':
      return 'validation.type';
    case 'invalid_value':
      return 'validation.choice';
    case 'unrecognized_keys':
      return 'validation.unknownField';
    case 'invalid_union':
    case 'not_multiple_of':
    case 'invalid_key':
    case 'invalid_element':
      return 'validation.invalid';
    default:
      // `custom`: our own refinements' English; said as it came.
      return null;
  }
}

/** A field by its catalog name when it has one ("SSH-Benutzer"), else its path ("auth.kind"). */
function fieldOf(t: Translate, path: readonly (string | number)[]): string {
  const last = [...path].reverse().find((p): p is string => typeof p === 'string');
  const key = `validation.name.${last ?? 'input'}`;
  if (hasMessage(key)) return t(key);
  return path.length ? path.join('.') : t('validation.name.input');
}

/**
 * The details of a failed command as lines in the language (issue 16 §1): the issues main
 * found in a form's input, worded by their zod code and limits; anything else as it came.
 */
export function wordIssues(t: Translate, details: unknown): IssueLine[] {
  if (details === undefined || details === null) return [];
  if (!Array.isArray(details)) return [{ text: plain(details), worded: false }];
  return details.map((item: unknown) => {
    if (!isIssue(item)) return { text: plain(item), worded: false };
    const key = keyOf(item);
    const field = fieldOf(t, item.path);
    if (!key) return { text: `${field}: ${item.message}`, worded: false };
    return {
      text: t(key, { field, minimum: item.minimum ?? 0, maximum: item.maximum ?? 0 }),
      worded: true,
    };
  });
}

function plain(item: unknown): string {
  if (typeof item === 'string') return item;
  try {
    return JSON.stringify(item);
  } catch {
    return String(item);
  }
}
