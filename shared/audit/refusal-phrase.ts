import { phrase, type Phrase } from '../contract/phrases';
import type { Refusal } from './rollback-plan';

/**
 * A rollback refusal as a phrase the console words in German or English (issue 18, issue 16
 * §1): the code travels, the sentence is the catalog's. Lists of names go as one param; the
 * time of a TRUNCATE as `truncatedAt`, so the console writes it the language's way.
 */
export function refusalPhrase(refusal: Refusal): Phrase {
  const none = '–';
  switch (refusal.code) {
    case 'no-history':
      return phrase('rollback.refusal.noHistory');
    case 'no-primary-key':
      return phrase('rollback.refusal.noPrimaryKey');
    case 'table-missing':
      return phrase('rollback.refusal.tableMissing');
    case 'version-unknown':
      return phrase('rollback.refusal.versionUnknown');
    case 'columns-changed':
      return phrase('rollback.refusal.columnsChanged', {
        added: refusal.added.join(', ') || none,
        removed: refusal.removed.join(', ') || none,
      });
    case 'column-types-changed':
      return phrase('rollback.refusal.columnTypesChanged', {
        columns: refusal.columns.map((c) => `${c.column}: ${c.then} → ${c.now}`).join('; '),
      });
    case 'truncated':
      return phrase('rollback.refusal.truncated', { truncatedAt: refusal.at });
    case 'history-gap':
      return phrase('rollback.refusal.historyGap', { gapEndAt: refusal.at });
    case 'changed-after-preview':
      return phrase('rollback.refusal.changedAfterPreview');
    case 'foreign-key':
      return phrase('rollback.refusal.foreignKey', {
        constraint: refusal.constraint,
        table: refusal.table,
      });
    case 'unique':
      return phrase('rollback.refusal.unique', {
        constraint: refusal.constraint,
        table: refusal.table,
      });
    case 'constraint':
      return phrase('rollback.refusal.constraint', {
        constraint: refusal.constraint,
        table: refusal.table,
      });
    case 'other-rows-changed':
      return phrase('rollback.refusal.otherRowsChanged', { tables: refusal.tables.join(', ') });
    case 'not-exact':
      return phrase('rollback.refusal.notExact');
  }
}
