import { useId, useState } from 'react';
import { useT } from '../../app/i18n';
import { Button } from '../../components/Button';
import { Dialog } from '../../components/Dialog';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Field } from '../../components/Field';
import { actorStore, useActor } from '../../stores';
import { needsActorName } from '../../stores/actor';
import { useActorNameSave } from './use-actor-name-save';
import './activity.css';

/** The name asked for in a small dialog; saved for every later start. */
function ActorNameDialog({ onClose }: { onClose(saved: boolean): void }) {
  const t = useT();
  const formId = useId();
  const osUser = useActor((s) => s.info?.osUser ?? '');
  const { name, setName, busy, error, save } = useActorNameSave('', () => onClose(true));

  return (
    <Dialog
      title={t('activity.actor.legend')}
      onCancel={() => onClose(false)}
      data-testid="actor-name-dialog"
      actions={
        <>
          <Button onClick={() => onClose(false)}>{t('common.cancel')}</Button>
          <Button
            type="submit"
            form={formId}
            variant="primary"
            busy={busy}
            disabled={name.trim() === ''}
          >
            {t('activity.actor.save')}
          </Button>
        </>
      }
    >
      <form id={formId} onSubmit={(e) => void save(e)}>
        <p>{t('activity.actor.ask', { osUser })}</p>
        <Field
          label={t('activity.actor.name')}
          value={name}
          maxLength={100}
          required
          autoComplete="name"
          onChange={(e) => setName(e.target.value)}
        />
        {error ? <ErrorAlert error={error} /> : null}
      </form>
    </Dialog>
  );
}

/**
 * The console's first-start question (issue 17 §5): while no name for the accountability log is
 * stored, a bar under the header asks for it. It blocks nothing: "Later" hides it until the next
 * start, and the name can be entered or changed in Settings and on the log page at any time.
 */
export function ActorReminder() {
  const t = useT();
  const ask = useActor(needsActorName);
  const osUser = useActor((s) => s.info?.osUser ?? '');
  const [open, setOpen] = useState(false);
  if (!ask) return null;
  return (
    <section
      className="actor-reminder"
      aria-label={t('activity.actor.reminder.title')}
      data-testid="actor-reminder"
    >
      <p>
        <strong>{t('activity.actor.reminder.title')}</strong>{' '}
        {t('activity.actor.reminder.body', { osUser })}
      </p>
      <div className="actor-reminder__actions">
        <Button variant="primary" onClick={() => setOpen(true)}>
          {t('activity.actor.reminder.enter')}
        </Button>
        <Button variant="ghost" onClick={() => actorStore.getState().remindLater()}>
          {t('activity.actor.reminder.later')}
        </Button>
      </div>
      {open ? (
        <ActorNameDialog
          onClose={(saved) => {
            setOpen(false);
            // The bar and the button that opened the dialog are gone: land on the page.
            if (saved) requestAnimationFrame(() => document.getElementById('page-title')?.focus());
          }}
        />
      ) : null}
    </section>
  );
}
