import { useState, type ChangeEvent } from 'react';
import { useT } from '../../app/i18n';
import { Button } from '../../components/Button';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Field, TextAreaField } from '../../components/Field';
import { StepHeading } from '../../components/wizard/StepHeading';
import { WizardNav } from '../../components/wizard/WizardNav';
import type { RebuildWizard } from '../../stores/rebuild';
import {
  KIT_FIELDS,
  kitImportRequest,
  parseTypedEarlierKeys,
  retiredServers,
  SECRET_KIT_FIELDS,
} from '../../stores/rebuild-model';
import { rebuildStore, useServers } from '../../stores';

/** The kit's text copy is a few KB; anything far larger is not one. */
const MAX_KIT_CHARS = 200_000;

/**
 * Step 1: the recovery kit, as its text copy (a file or pasted) or typed from the printed
 * sheet; typed values win over the text. A server imported before is taken as it is.
 */
export function KitStep({ wizard }: { wizard: RebuildWizard }) {
  const t = useT();
  const store = rebuildStore.getState();
  const imported = retiredServers(useServers((s) => s.servers));
  const [fileError, setFileError] = useState(false);
  const [empty, setEmpty] = useState(false);
  const { kitDraft: draft, kit } = wizard;
  const [showUnreadable, setShowUnreadable] = useState(false);
  const { unreadable } = parseTypedEarlierKeys(draft.earlierKeys ?? '');

  async function readFile(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    setFileError(false);
    if (!file) return;
    try {
      if (file.size > MAX_KIT_CHARS) throw new Error('too large');
      store.setKitText(await file.text());
    } catch {
      setFileError(true);
    } finally {
      event.target.value = '';
    }
  }

  function next() {
    if (!kitImportRequest(draft)) {
      setEmpty(true);
      return;
    }
    setEmpty(false);
    // Never imported without a key the admin typed: the points it signed would not verify.
    if (unreadable.length > 0) {
      setShowUnreadable(true);
      return;
    }
    void store.importKit();
  }

  return (
    <div className="wizard-step">
      <StepHeading>{t('rebuild.kit.title')}</StepHeading>
      <p className="muted">{t('rebuild.kit.intro')}</p>
      {imported.length > 0 ? (
        <div className="card" data-testid="rebuild-imported">
          <h3>{t('rebuild.kit.importedTitle')}</h3>
          <ul className="plain-list">
            {imported.map((s) => (
              <li key={s.id}>
                <Button onClick={() => store.useImported(s.id, s.name)}>
                  {t('rebuild.kit.useImported', { name: s.name })}
                </Button>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <div className="form card">
        <Field
          label={t('rebuild.kit.file')}
          hint={t('rebuild.kit.fileHint')}
          type="file"
          accept=".txt,text/plain"
          onChange={(e) => void readFile(e)}
          data-testid="rebuild-kit-file"
        />
        {fileError ? <p className="field__error">{t('rebuild.kit.fileError')}</p> : null}
        <TextAreaField
          label={t('rebuild.kit.text')}
          value={draft.text}
          onChange={(e) => store.setKitText(e.target.value)}
          rows={6}
          maxLength={MAX_KIT_CHARS}
          spellCheck={false}
          autoComplete="off"
          className="mono"
          data-testid="rebuild-kit-text"
        />
        <details className="fieldset">
          <summary>{t('rebuild.kit.typed')}</summary>
          <p className="muted">{t('rebuild.kit.typedHint')}</p>
          {KIT_FIELDS.map((field) => (
            <Field
              key={field}
              label={t(`rebuild.kit.field.${field}`)}
              type={SECRET_KIT_FIELDS.has(field) ? 'password' : 'text'}
              value={draft.typed[field] ?? ''}
              onChange={(e) => store.setKitField(field, e.target.value)}
              autoComplete="off"
              spellCheck={false}
              className="mono"
            />
          ))}
          <TextAreaField
            label={t('rebuild.kit.field.caCertificate')}
            hint={t('rebuild.kit.caCertificateHint')}
            value={draft.caCertificate ?? ''}
            onChange={(e) => store.setKitCaCertificate(e.target.value)}
            rows={3}
            maxLength={20_000}
            spellCheck={false}
            autoComplete="off"
            className="mono"
            data-testid="rebuild-kit-ca"
          />
          <TextAreaField
            label={t('rebuild.kit.field.earlierAgentKeys')}
            hint={t('rebuild.kit.earlierKeysHint')}
            error={
              showUnreadable && unreadable.length > 0
                ? t('rebuild.kit.earlierKeysUnreadable', {
                    count: unreadable.length,
                    lines: unreadable.join(', '),
                  })
                : undefined
            }
            value={draft.earlierKeys ?? ''}
            onChange={(e) => store.setKitEarlierKeys(e.target.value)}
            rows={4}
            maxLength={20_000}
            spellCheck={false}
            autoComplete="off"
            className="mono"
            data-testid="rebuild-kit-earlier-keys"
          />
        </details>
        <label className="choice">
          <input
            type="checkbox"
            checked={draft.ownStorage}
            onChange={(e) => store.setOwnStorage(e.target.checked)}
          />
          {t('rebuild.kit.ownStorage')}
        </label>
        {empty ? (
          <p className="field__error" role="alert">
            {t('rebuild.kit.empty')}
          </p>
        ) : null}
        {kit.status === 'failed' ? (
          <ErrorAlert error={kit.error} data-testid="rebuild-kit-error" />
        ) : null}
      </div>
      <WizardNav
        onNext={next}
        nextLabel={
          kit.status === 'importing' ? t('rebuild.kit.importing') : t('rebuild.kit.import')
        }
        disabled={kit.status === 'importing'}
        nextTestId="rebuild-kit-import"
      />
    </div>
  );
}
