import type { AgentInstallPlan } from '../../../shared/contract/agent';
import { hasMessage, useT } from '../../app/i18n';
import { Alert } from '../../components/Alert';
import { WarningsAlert } from '../../components/WarningsAlert';
import { TableWrap } from '../../components/TableWrap';

/** What the install will change on the server, as the preflight found it. */
export function PlanView({ plan }: { plan: AgentInstallPlan }) {
  const t = useT();
  return (
    <div className="card" data-testid="install-plan">
      <h3>{t('wizard.review.changes')}</h3>
      {plan.alreadyInstalled ? (
        <Alert tone="info">{t('wizard.review.alreadyInstalled')}</Alert>
      ) : null}
      <dl className="facts">
        <dt>{t('wizard.review.cluster')}</dt>
        <dd>
          PostgreSQL {plan.cluster.version},{' '}
          <span className="mono">{plan.cluster.dataDirectory}</span>,{' '}
          {t('wizard.review.port', { port: plan.cluster.port })}
        </dd>
        <dt>{t('wizard.review.packages')}</dt>
        <dd data-testid="plan-packages">
          {plan.packagesToInstall.length === 0 ? (
            <span className="muted">{t('wizard.review.packagesNone')}</span>
          ) : (
            <ul className="plain-list">
              {plan.packagesToInstall.map((p) => {
                // Optional packages say why they are offered (a key per package name).
                const why = `wizard.review.packageWhy.${p}`;
                return (
                  <li key={p}>
                    <span className="mono">{p}</span>
                    {hasMessage(why) ? <span className="muted"> — {t(why)}</span> : null}
                  </li>
                );
              })}
            </ul>
          )}
        </dd>
        <dt>{t('wizard.review.node')}</dt>
        <dd>
          {plan.uploadsNodeRuntime ? t('wizard.review.nodeUpload') : t('wizard.review.nodeOwn')}
        </dd>
      </dl>

      <h4>{t('wizard.review.settings')}</h4>
      {plan.settingsToChange.length === 0 ? (
        <p className="muted">{t('wizard.review.settingsNone')}</p>
      ) : (
        <TableWrap label={t('wizard.review.settings')}>
          <table className="table" data-testid="plan-settings">
            <thead>
              <tr>
                <th scope="col">{t('wizard.review.col.setting')}</th>
                <th scope="col">{t('wizard.review.col.from')}</th>
                <th scope="col" aria-hidden="true" />
                <th scope="col">{t('wizard.review.col.to')}</th>
              </tr>
            </thead>
            <tbody>
              {plan.settingsToChange.map((s) => (
                <tr key={s.name}>
                  <th scope="row" className="mono">
                    {s.name}
                  </th>
                  <td className="mono">
                    {s.from ?? <span className="muted">{t('wizard.review.notSet')}</span>}
                  </td>
                  <td aria-hidden="true">→</td>
                  <td className="mono">{s.to}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}

      <WarningsAlert
        title={t('wizard.review.warnings')}
        warnings={plan.warnings}
        data-testid="plan-warnings"
      />
    </div>
  );
}
