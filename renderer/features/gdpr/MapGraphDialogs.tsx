import { useId, useState, type FormEvent } from 'react';
import { useT } from '../../app/i18n';
import { Alert } from '../../components/Alert';
import { Button } from '../../components/Button';
import { Dialog } from '../../components/Dialog';
import { Field, SelectField } from '../../components/Field';
import {
  addLink,
  addedIndex,
  columnList,
  followLink,
  isFollowed,
  linkText,
  removeAdded,
  setTableEdit,
  type EditState,
} from './map-edits';
import type { GraphEdge, GraphNode } from './map-graph-model';

// The edits the graph offers on a chosen table or path: the same as the list editor's, through
// the same functions (map-edits.ts). Applying one closes the dialog and shows the changed map.

/** A table: its erasure action and personal columns, and a way to add a link to it. */
export function TableDialog({
  node,
  state,
  onApply,
  onAddLink,
  onCancel,
}: {
  node: GraphNode;
  state: EditState;
  onApply(next: EditState): void;
  onAddLink(): void;
  onCancel(): void;
}) {
  const t = useT();
  const formId = useId();
  const edit = state.tables[node.key] ?? {};
  const [action, setAction] = useState(edit.action ?? node.table.action);
  const [columns, setColumns] = useState(
    (edit.personalColumns ?? node.table.personalColumns).join(', '),
  );

  function submit(event: FormEvent) {
    event.preventDefault();
    onApply(setTableEdit(state, node.key, { action, personalColumns: columnList(columns) }));
  }

  return (
    <Dialog
      title={t('gdpr.graph.table.title', { table: node.key })}
      onCancel={onCancel}
      data-testid="gdpr-graph-table-dialog"
      actions={
        <>
          <Button onClick={onCancel}>{t('common.cancel')}</Button>
          <Button onClick={onAddLink}>{t('gdpr.graph.table.linkHere')}</Button>
          <Button type="submit" form={formId} variant="primary">
            {t('gdpr.graph.table.apply')}
          </Button>
        </>
      }
    >
      <form id={formId} onSubmit={submit}>
        <SelectField
          label={t('gdpr.graph.table.action')}
          value={action}
          onChange={(e) => setAction(e.target.value as 'delete' | 'anonymise')}
        >
          <option value="delete">{t('gdpr.map.action.delete')}</option>
          <option value="anonymise">{t('gdpr.map.action.anonymise')}</option>
        </SelectField>
        <Field
          label={t('gdpr.graph.table.columns')}
          hint={t('gdpr.edit.columnsHint')}
          value={columns}
          onChange={(e) => setColumns(e.target.value)}
          autoComplete="off"
        />
        <p className="muted">
          {t('gdpr.graph.table.files', {
            columns: node.table.fileColumns.join(', ') || t('common.none'),
          })}
        </p>
      </form>
    </Dialog>
  );
}

/** A path: follow or exclude it; an added link can be removed. */
export function PathDialog({
  edge,
  state,
  onApply,
  onCancel,
}: {
  edge: GraphEdge;
  state: EditState;
  onApply(next: EditState): void;
  onCancel(): void;
}) {
  const t = useT();
  const { link } = edge;
  const index = addedIndex(link);
  const followed = isFollowed(state, link);
  const names = { child: link.childTable, parent: link.parentTable };
  const why =
    edge.state === 'followed'
      ? t('gdpr.graph.path.followed', names)
      : edge.state === 'self-reference'
        ? t('gdpr.graph.path.selfReference')
        : t('gdpr.graph.path.excluded', names);

  return (
    <Dialog
      title={linkText(link)}
      onCancel={onCancel}
      data-testid="gdpr-graph-path-dialog"
      actions={
        <>
          <Button onClick={onCancel}>{t('common.cancel')}</Button>
          {index !== null ? (
            <Button variant="primary" onClick={() => onApply(removeAdded(state, index))}>
              {t('gdpr.graph.path.remove')}
            </Button>
          ) : (
            <Button variant="primary" onClick={() => onApply(followLink(state, link, !followed))}>
              {followed ? t('gdpr.graph.path.exclude') : t('gdpr.graph.path.follow')}
            </Button>
          )}
        </>
      }
    >
      <p>{why}</p>
      {index !== null ? <p className="muted">{t('gdpr.graph.path.added')}</p> : null}
    </Dialog>
  );
}

/** A link the schema does not declare, from a child column to a parent column. */
export function AddLinkDialog({
  parent: parentStart,
  state,
  onApply,
  onCancel,
}: {
  parent: string;
  state: EditState;
  onApply(next: EditState): void;
  onCancel(): void;
}) {
  const t = useT();
  const formId = useId();
  const [child, setChild] = useState('');
  const [parent, setParent] = useState(parentStart);
  const [bad, setBad] = useState(false);

  function submit(event: FormEvent) {
    event.preventDefault();
    const next = addLink(state, child, parent);
    setBad(next === null);
    if (next) onApply(next);
  }

  return (
    <Dialog
      title={t('gdpr.graph.addLink.title')}
      onCancel={onCancel}
      data-testid="gdpr-graph-add-dialog"
      actions={
        <>
          <Button onClick={onCancel}>{t('common.cancel')}</Button>
          <Button type="submit" form={formId} variant="primary">
            {t('gdpr.edit.addLink')}
          </Button>
        </>
      }
    >
      <form id={formId} onSubmit={submit}>
        <Field
          label={t('gdpr.edit.child')}
          hint={t('gdpr.edit.childHint')}
          value={child}
          onChange={(e) => setChild(e.target.value)}
          autoComplete="off"
        />
        <Field
          label={t('gdpr.edit.parent')}
          hint={t('gdpr.edit.parentHint')}
          value={parent}
          onChange={(e) => setParent(e.target.value)}
          autoComplete="off"
        />
        {bad ? <Alert tone="warning" title={t('gdpr.edit.badLink')} /> : null}
      </form>
    </Dialog>
  );
}
