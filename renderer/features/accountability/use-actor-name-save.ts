import { useState, type FormEvent } from 'react';
import { toApiError, type ApiError } from '../../lib/api-client';
import { actorStore } from '../../stores';

/**
 * The name field's state and its save, shared by the first-start dialog (ActorReminder.tsx) and
 * the form on the log page and in Settings (ActorName.tsx): `onSaved` runs once the name is
 * stored; a failure stays in `error` for the form to show, and the field keeps what was typed.
 */
export function useActorNameSave(initial: string, onSaved: () => void) {
  const [name, setName] = useState(initial);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  async function save(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await actorStore.getState().save(name);
      setBusy(false);
      onSaved();
    } catch (err) {
      setError(toApiError(err));
      setBusy(false);
    }
  }

  return { name, setName, busy, error, save };
}
