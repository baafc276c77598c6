import type { SubjectRestoreRefusal } from '../../../shared/contract/rollback';
import type { MessageKey, Params } from '../../app/i18n/translate';

/**
 * A subject restore's refusal as a catalog key and its values: each kind of broken constraint
 * has its own sentence (a foreign key asks to fix the related rows, a unique key the row that
 * holds the value), naming the constraint and its table.
 */
export function subjectRefusalMessage(refusal: SubjectRestoreRefusal): {
  key: MessageKey;
  params?: Params;
} {
  switch (refusal.code) {
    case 'erased':
      return { key: 'records.subject.refusal.erased', params: { id: refusal.erasureId } };
    case 'no-primary-key':
    case 'columns-changed':
      return { key: `records.subject.refusal.${refusal.code}`, params: { table: refusal.table } };
    case 'foreign-key':
    case 'unique':
    case 'constraint':
      return {
        key: `records.subject.refusal.${refusal.code}`,
        params: { constraint: refusal.constraint, table: refusal.table },
      };
    case 'changed-after-preview':
    case 'preview-unknown':
      return { key: `records.subject.refusal.${refusal.code}` };
  }
}
