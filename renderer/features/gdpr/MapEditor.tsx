import { useState, type FormEvent } from 'react';
import type { GdprMapResult } from '../../../shared/contract/gdpr';
import type { MapEdits, MapLink } from '../../../shared/gdpr/subject-map-schema';
import { useT } from '../../app/i18n';
import { Alert } from '../../components/Alert';
import { Button } from '../../components/Button';
import { CheckboxField, Field, SelectField } from '../../components/Field';

type Added = NonNullable<MapEdits['added']>[number];
type TableEdit = NonNullable<MapEdits['tables']>[string];

/** `schema.table.column` (or `table.column`, schema public) as a link end; null if not. */
function linkEnd(text: string): { schema: string; table: string; column: string } | null {
  const parts = text.trim().split('.');
  if (parts.length === 2 && parts.every(Boolean))
    return { schema: 'public', table: parts[0]!, column: parts[1]! };
  if (parts.length === 3 && parts.every(Boolean))
    return { schema: parts[0]!, table: parts[1]!, column: parts[2]! };
  return null;
}

const linkText = (
  l: Pick<MapLink, 'childTable' | 'childColumns' | 'parentTable' | 'parentColumns'>,
) =>
  `${l.childTable}.${l.childColumns.join(', ')} → ${l.parentTable}.${l.parentColumns.join(', ')}`;

const columnList = (text: string) =>
  text
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean);

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
  const [excluded, setExcluded] = useState(new Set(result.edits.excluded ?? []));
  const [included, setIncluded] = useState(new Set(result.edits.included ?? []));
  const [added, setAdded] = useState<Added[]>(result.edits.added ?? []);
  const [tables, setTables] = useState<Record<string, TableEdit>>(() =>
    Object.fromEntries(
      map.tables.map((x) => [
        `${x.schema}.${x.table}`,
        { action: x.action, personalColumns: x.personalColumns, fileColumns: x.fileColumns },
      ]),
    ),
  );
  const [child, setChild] = useState('');
  const [parent, setParent] = useState('');
  const [badLink, setBadLink] = useState(false);

  // Links shown in the map, and excluded ones it no longer shows (their tables fell out).
  const links = map.links.filter((l) => l.source === 'foreign-key');
  const hidden = [...excluded].filter((id) => !links.some((l) => l.id === id));

  function follow(link: MapLink, on: boolean) {
    const ex = new Set(excluded);
    const inc = new Set(included);
    if (on) {
      ex.delete(link.id);
      if (link.why === 'self-reference') inc.add(link.id);
    } else {
      inc.delete(link.id);
      if (link.why !== 'self-reference') ex.add(link.id);
    }
    setExcluded(ex);
    setIncluded(inc);
  }

  function addLink(event: FormEvent) {
    event.preventDefault();
    const c = linkEnd(child);
    const p = linkEnd(parent);
    if (!c || !p) {
      setBadLink(true);
      return;
    }
    setBadLink(false);
    setAdded([
      ...added,
      {
        childSchema: c.schema,
        childTable: c.table,
        childColumns: [c.column],
        parentSchema: p.schema,
        parentTable: p.table,
        parentColumns: [p.column],
      },
    ]);
    setChild('');
    setParent('');
  }

  const setTable = (name: string, change: TableEdit) =>
    setTables({ ...tables, [name]: { ...tables[name], ...change } });

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
            checked={
              !excluded.has(link.id) && (link.why !== 'self-reference' || included.has(link.id))
            }
            onChange={(e) => follow(link, e.target.checked)}
            data-link={link.id}
          />
        ))}
        {hidden.map((id) => (
          <CheckboxField
            key={id}
            label={t('gdpr.edit.excludedPath', { id })}
            checked={false}
            onChange={() => setExcluded(new Set([...excluded].filter((x) => x !== id)))}
            data-link={id}
          />
        ))}
        {added.map((link, i) => (
          <div key={`added:${i}`} className="page-head__actions">
            <span>{t('gdpr.edit.addedLink', { link: linkText(link) })}</span>
            <Button onClick={() => setAdded(added.filter((_, j) => j !== i))}>
              {t('gdpr.edit.removeLink')}
            </Button>
          </div>
        ))}
      </fieldset>
      <form onSubmit={addLink}>
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
          const edit = tables[name] ?? {};
          return (
            <div key={name} data-table={name}>
              <SelectField
                label={t('gdpr.edit.action', { table: name })}
                value={edit.action ?? 'delete'}
                onChange={(e) =>
                  setTable(name, { action: e.target.value as 'delete' | 'anonymise' })
                }
              >
                <option value="delete">{t('gdpr.map.action.delete')}</option>
                <option value="anonymise">{t('gdpr.map.action.anonymise')}</option>
              </SelectField>
              <Field
                label={t('gdpr.edit.columns', { table: name })}
                hint={t('gdpr.edit.columnsHint')}
                value={(edit.personalColumns ?? []).join(', ')}
                onChange={(e) => setTable(name, { personalColumns: columnList(e.target.value) })}
                autoComplete="off"
              />
            </div>
          );
        })}
      </fieldset>
      <Button
        variant="primary"
        busy={busy}
        onClick={() =>
          onPreview({
            excluded: [...excluded],
            included: [...included],
            added,
            // Tables that fell out of the map keep their settings for when they come back.
            tables: { ...(result.edits.tables ?? {}), ...tables },
          })
        }
      >
        {t('gdpr.edit.preview')}
      </Button>
    </div>
  );
}
