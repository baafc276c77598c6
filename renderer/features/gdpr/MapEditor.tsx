import { useState, type FormEvent } from 'react';
import type { GdprMapResult } from '../../../shared/contract/gdpr';
import type { MapEdits } from '../../../shared/gdpr/subject-map-schema';
import { useT } from '../../app/i18n';
import { Alert } from '../../components/Alert';
import { Button } from '../../components/Button';
import { CheckboxField, Field, SelectField } from '../../components/Field';
import {
  addLink,
  columnList,
  editStateOf,
  followHidden,
  followLink,
  hiddenExcluded,
  isFollowed,
  linkText,
  removeAdded,
  setTableEdit,
  toMapEdits,
} from './map-edits';

/**
 * Editing the subject map (issue 17 §1/§4): follow or exclude each path from the root, add a
 * link the schema does not declare, and per table delete its rows or clear chosen columns.
 * "Show changed map" builds the map with these edits on the live schema (nothing is saved);
 * the page's "Save this map" then stores it as a new version.
 */
export function MapEditor({
  result,
  busy,
  onPreview,
}: {
  result: GdprMapResult;
  busy: boolean;
  onPreview(edits: MapEdits): void;
}) {
  const t = useT();
  const { map } = result;
  const [state, setState] = useState(() => editStateOf(result));
  const [child, setChild] = useState('');
  const [parent, setParent] = useState('');
  const [badLink, setBadLink] = useState(false);

  // Links shown in the map, and excluded ones it no longer shows (their tables fell out).
  const links = map.links.filter((l) => l.source === 'foreign-key');
  const hidden = hiddenExcluded(state, result);

  function submitLink(event: FormEvent) {
    event.preventDefault();
    const next = addLink(state, child, parent);
    setBadLink(next === null);
    if (!next) return;
    setState(next);
    setChild('');
    setParent('');
  }

  return (
    <div className="card" data-testid="gdpr-map-editor">
      <h2>{t('gdpr.edit.title')}</h2>
      <p className="muted">{t('gdpr.edit.intro')}</p>
      <fieldset>
        <legend>{t('gdpr.edit.paths')}</legend>
        {links.map((link) => (
          <CheckboxField
            key={link.id}
            label={`${linkText(link)}${link.why === 'self-reference' ? ` (${t('gdpr.edit.selfReference')})` : ''}`}
            checked={isFollowed(state, link)}
            onChange={(e) => setState(followLink(state, link, e.target.checked))}
            data-link={link.id}
          />
        ))}
        {hidden.map((id) => (
          <CheckboxField
            key={id}
            label={t('gdpr.edit.excludedPath', { id })}
            checked={false}
            onChange={() => setState(followHidden(state, id))}
            data-link={id}
          />
        ))}
        {state.added.map((link, i) => (
          <div key={`added:${i}`} className="page-head__actions">
            <span>{t('gdpr.edit.addedLink', { link: linkText(link) })}</span>
            <Button onClick={() => setState(removeAdded(state, i))}>
              {t('gdpr.edit.removeLink')}
            </Button>
          </div>
        ))}
      </fieldset>
      <form onSubmit={submitLink}>
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
        {badLink ? <Alert tone="warning" title={t('gdpr.edit.badLink')} /> : null}
        <Button type="submit">{t('gdpr.edit.addLink')}</Button>
      </form>
      <fieldset>
        <legend>{t('gdpr.edit.tables')}</legend>
        {map.tables.map((x) => {
          const name = `${x.schema}.${x.table}`;
          const edit = state.tables[name] ?? {};
          return (
            <div key={name} data-table={name}>
              <SelectField
                label={t('gdpr.edit.action', { table: name })}
                value={edit.action ?? 'delete'}
                onChange={(e) =>
                  setState(
                    setTableEdit(state, name, {
                      action: e.target.value as 'delete' | 'anonymise',
                    }),
                  )
                }
              >
                <option value="delete">{t('gdpr.map.action.delete')}</option>
                <option value="anonymise">{t('gdpr.map.action.anonymise')}</option>
              </SelectField>
              <Field
                label={t('gdpr.edit.columns', { table: name })}
                hint={t('gdpr.edit.columnsHint')}
                value={(edit.personalColumns ?? []).join(', ')}
                onChange={(e) =>
                  setState(
                    setTableEdit(state, name, { personalColumns: columnList(e.target.value) }),
                  )
                }
                autoComplete="off"
              />
            </div>
          );
        })}
      </fieldset>
      <Button variant="primary" busy={busy} onClick={() => onPreview(toMapEdits(state, result))}>
        {t('gdpr.edit.preview')}
      </Button>
    </div>
  );
}
