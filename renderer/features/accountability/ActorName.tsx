import { useState } from 'react';
import { useT } from '../../app/i18n';
import { Button } from '../../components/Button';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Field } from '../../components/Field';
import { useActor } from '../../stores';
import { useActorNameSave } from './use-actor-name-save';

/**
 * The name the log records beside the OS user (asked at first start, ActorReminder.tsx): shown,
 * changeable, asked here too while none is stored. KUMIKO_ACTOR, when set for the app, wins and
 * is only shown. On the log page and in Settings.
 */
export function ActorName({ onSaved }: { onSaved?: () => void }) {
  const info = useActor((s) => s.info);
  return info ? <ActorNameForm key={info.source} onSaved={onSaved} /> : null;
}

function ActorNameForm({ onSaved }: { onSaved?: () => void }) {
  const t = useT();
  const info = useActor((s) => s.info)!;
  const [editing, setEditing] = useState(info.source === 'none');
  const { name, setName, busy, error, save } = useActorNameSave(info.actorName ?? '', () => {
    setEditing(false);
    onSaved?.();
  });

  if (info.source === 'env' && info.actorName) {
    return (
      <p className="muted">
        {t('activity.actor.fromEnv', { name: info.actorName, osUser: info.osUser })}
      </p>
    );
  }
  if (!editing && info.actorName) {
    return (
      <p className="activity-actor">
        {t('activity.actor.current', { name: info.actorName, osUser: info.osUser })}{' '}
        <Button variant="ghost" onClick={() => setEditing(true)}>
          {t('activity.actor.change')}
        </Button>
      </p>
    );
  }
  return (
    <form className="activity-actor" onSubmit={(e) => void save(e)}>
      <fieldset>
        <legend>{t('activity.actor.legend')}</legend>
        <p className="muted">{t('activity.actor.ask', { osUser: info.osUser })}</p>
        <div className="activity-actor__row">
          <Field
            label={t('activity.actor.name')}
            value={name}
            maxLength={100}
            required
            autoComplete="name"
            onChange={(e) => setName(e.target.value)}
          />
          <Button type="submit" variant="primary" busy={busy} disabled={name.trim() === ''}>
            {t('activity.actor.save')}
          </Button>
        </div>
        {error ? <ErrorAlert error={error} /> : null}
      </fieldset>
    </form>
  );
}
