import { useRef, useState, type KeyboardEvent } from 'react';
import { useT } from '../../app/i18n';
import { Button } from '../../components/Button';
import { Field } from '../../components/Field';
import { normalizePath, validateNewPath, type FieldError } from '../../stores/agent-install-model';
import { errorText, type DraftSectionProps } from './draft-fields';

/** The attached-file folders (uploads, PDFs, audit-log files): a list with add and remove. */
export function PathsEditor({ draft, update }: Omit<DraftSectionProps, 'errors'>) {
  const t = useT();
  const input = useRef<HTMLInputElement>(null);
  const [value, setValue] = useState('');
  const [error, setError] = useState<FieldError | null>(null);
  const paths = draft.attachedPaths;

  function add() {
    const problem = validateNewPath(value, paths);
    setError(problem);
    if (problem) {
      input.current?.focus();
      return;
    }
    const path = normalizePath(value);
    update((d) => ({ ...d, attachedPaths: [...d.attachedPaths, path] }));
    setValue('');
    input.current?.focus();
  }

  function remove(path: string) {
    update((d) => ({ ...d, attachedPaths: d.attachedPaths.filter((p) => p !== path) }));
    // The button that had focus is gone; the input is the natural place to continue.
    input.current?.focus();
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === 'Enter') {
      event.preventDefault();
      add();
    }
  }

  return (
    <fieldset className="fieldset">
      <legend>{t('wizard.paths.title')}</legend>
      <p className="field__hint">{t('wizard.paths.hint')}</p>
      {paths.length === 0 ? (
        <p className="muted" data-testid="paths-empty">
          {t('wizard.paths.empty')}
        </p>
      ) : (
        <ul className="path-list" aria-label={t('wizard.paths.listLabel')} data-testid="paths">
          {paths.map((path) => (
            <li key={path} className="path-list__item">
              <span className="mono">{path}</span>
              <Button
                variant="ghost"
                onClick={() => remove(path)}
                aria-label={t('wizard.paths.removeNamed', { path })}
              >
                {t('wizard.paths.remove')}
              </Button>
            </li>
          ))}
        </ul>
      )}
      <div className="inline-add">
        <Field
          ref={input}
          id="wizard-new-path"
          label={t('wizard.paths.new')}
          value={value}
          onChange={(e) => {
            setValue(e.target.value);
            if (error) setError(null);
          }}
          onKeyDown={onKeyDown}
          error={errorText(t, error ?? undefined)}
          autoComplete="off"
          spellCheck={false}
          className="mono"
          placeholder="/srv/app/uploads"
        />
        <Button onClick={add}>{t('wizard.paths.add')}</Button>
      </div>
    </fieldset>
  );
}
