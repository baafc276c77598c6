import { useT } from '../../app/i18n';
import { CheckboxField, Field, SelectField } from '../../components/Field';
import {
  LIMITS,
  WEBHOOK_FORMATS,
  type ClusterDraft,
  type WebhookFormat,
} from '../../stores/agent-install-model';
import { errorText, fieldDomId, type DraftSectionProps } from './draft-fields';

/** Alerts the agent sends on its own: e-mail, a webhook, and a push-monitor ping. */
export function AlertsFields({ draft, errors, update }: DraftSectionProps) {
  const t = useT();
  const email = draft.email;
  const setEmail = (change: Partial<ClusterDraft['email']>) =>
    update((d) => ({ ...d, email: { ...d.email, ...change } }));

  return (
    <fieldset className="fieldset">
      <legend>{t('wizard.alerts.title')}</legend>
      <p className="field__hint">{t('wizard.alerts.hint')}</p>
      <div className="fieldset__body">
        <CheckboxField
          label={t('wizard.alerts.email')}
          checked={email.enabled}
          onChange={(e) => setEmail({ enabled: e.target.checked })}
        />
        {email.enabled ? (
          <div className="subfields" data-testid="smtp-fields">
            <div className="form__row">
              <Field
                id={fieldDomId('email.host')}
                label={t('wizard.alerts.smtpHost')}
                value={email.host}
                onChange={(e) => setEmail({ host: e.target.value })}
                error={errorText(t, errors['email.host'])}
                autoComplete="off"
                spellCheck={false}
                className="mono"
                placeholder="mail.example.com"
              />
              <Field
                id={fieldDomId('email.port')}
                label={t('wizard.alerts.smtpPort')}
                type="number"
                inputMode="numeric"
                min={LIMITS.port[0]}
                max={LIMITS.port[1]}
                value={email.port}
                onChange={(e) => setEmail({ port: e.target.value })}
                error={errorText(t, errors['email.port'])}
              />
              <span />
            </div>
            <CheckboxField
              label={t('wizard.alerts.smtpSecure')}
              hint={t('wizard.alerts.smtpSecureHint')}
              checked={email.secure}
              onChange={(e) => setEmail({ secure: e.target.checked })}
            />
            <div className="form__row form__row--2">
              <Field
                id={fieldDomId('email.from')}
                label={t('wizard.alerts.from')}
                type="email"
                value={email.from}
                onChange={(e) => setEmail({ from: e.target.value })}
                error={errorText(t, errors['email.from'])}
                autoComplete="off"
              />
              <Field
                id={fieldDomId('email.to')}
                label={t('wizard.alerts.to')}
                hint={t('wizard.alerts.toHint')}
                value={email.to}
                onChange={(e) => setEmail({ to: e.target.value })}
                error={errorText(t, errors['email.to'])}
                autoComplete="off"
              />
            </div>
            <div className="form__row form__row--2">
              <Field
                label={t('wizard.alerts.smtpUser')}
                value={email.username}
                onChange={(e) => setEmail({ username: e.target.value })}
                autoComplete="off"
              />
              <Field
                label={t('wizard.alerts.smtpPassword')}
                type="password"
                value={email.password}
                onChange={(e) => setEmail({ password: e.target.value })}
                autoComplete="new-password"
              />
            </div>
          </div>
        ) : null}

        <div className="form__row form__row--wide">
          <Field
            id={fieldDomId('webhook.url')}
            label={t('wizard.alerts.webhook')}
            hint={t('wizard.alerts.webhookHint')}
            type="url"
            value={draft.webhook.url}
            onChange={(e) =>
              update((d) => ({ ...d, webhook: { ...d.webhook, url: e.target.value } }))
            }
            error={errorText(t, errors['webhook.url'])}
            autoComplete="off"
            spellCheck={false}
            className="mono"
            placeholder="https://"
          />
          <SelectField
            label={t('wizard.alerts.webhookFormat')}
            value={draft.webhook.format}
            onChange={(e) =>
              update((d) => ({
                ...d,
                webhook: { ...d.webhook, format: e.target.value as WebhookFormat },
              }))
            }
          >
            {WEBHOOK_FORMATS.map((f) => (
              <option key={f} value={f}>
                {t(`wizard.alerts.format.${f}`)}
              </option>
            ))}
          </SelectField>
        </div>

        <Field
          id={fieldDomId('pushMonitorUrl')}
          label={t('wizard.alerts.push')}
          hint={t('wizard.alerts.pushHint')}
          type="url"
          value={draft.pushMonitorUrl}
          onChange={(e) => update((d) => ({ ...d, pushMonitorUrl: e.target.value }))}
          error={errorText(t, errors.pushMonitorUrl)}
          autoComplete="off"
          spellCheck={false}
          className="mono"
          placeholder="https://"
        />
      </div>
    </fieldset>
  );
}
