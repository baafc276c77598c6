import type {
  AccountabilityFilter,
  AccountabilityResult,
} from '../../../shared/contract/accountability';
import { useT } from '../../app/i18n';
import { Field, SelectField } from '../../components/Field';
import { actionLabel } from './activity-words';

export interface FilterDraft {
  serverId: string;
  action: string;
  who: string;
  from: string;
  to: string;
  result: '' | AccountabilityResult;
}

/** The filter main applies: empty fields left out; dates as the day they name. */
export function filterOf(draft: FilterDraft): AccountabilityFilter {
  return {
    ...(draft.serverId ? { serverId: draft.serverId } : {}),
    ...(draft.action ? { action: draft.action } : {}),
    ...(draft.who.trim() ? { who: draft.who.trim() } : {}),
    ...(draft.from ? { from: draft.from } : {}),
    ...(draft.to ? { to: draft.to } : {}),
    ...(draft.result ? { result: draft.result } : {}),
  };
}

const RESULTS: readonly AccountabilityResult[] = ['ok', 'failed', 'started'];

export function ActivityFilters({
  draft,
  onChange,
  servers,
  actions,
}: {
  draft: FilterDraft;
  onChange: (draft: FilterDraft) => void;
  servers: readonly { id: string; name: string }[];
  actions: readonly string[];
}) {
  const t = useT();
  const set = (patch: Partial<FilterDraft>) => onChange({ ...draft, ...patch });
  return (
    <div className="jobs-filters" role="group" aria-label={t('activity.filter.legend')}>
      <SelectField
        label={t('activity.filter.server')}
        value={draft.serverId}
        onChange={(e) => set({ serverId: e.target.value })}
      >
        <option value="">{t('activity.filter.anyServer')}</option>
        {servers.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
      </SelectField>
      <SelectField
        label={t('activity.filter.action')}
        value={draft.action}
        onChange={(e) => set({ action: e.target.value })}
      >
        <option value="">{t('activity.filter.anyAction')}</option>
        {actions.map((a) => (
          <option key={a} value={a}>
            {actionLabel(t, a)}
          </option>
        ))}
      </SelectField>
      <Field
        label={t('activity.filter.who')}
        value={draft.who}
        maxLength={200}
        onChange={(e) => set({ who: e.target.value })}
      />
      <Field
        label={t('activity.filter.from')}
        type="date"
        value={draft.from}
        onChange={(e) => set({ from: e.target.value })}
      />
      <Field
        label={t('activity.filter.to')}
        type="date"
        value={draft.to}
        onChange={(e) => set({ to: e.target.value })}
      />
      <SelectField
        label={t('activity.filter.result')}
        value={draft.result}
        onChange={(e) => set({ result: e.target.value as FilterDraft['result'] })}
      >
        <option value="">{t('activity.filter.anyResult')}</option>
        {RESULTS.map((r) => (
          <option key={r} value={r}>
            {t(`activity.result.${r}`)}
          </option>
        ))}
      </SelectField>
    </div>
  );
}
