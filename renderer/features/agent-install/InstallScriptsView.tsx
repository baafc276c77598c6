import type { AgentInstallPlan } from '../../../shared/contract/agent';
import { hasMessage, useT } from '../../app/i18n';
import { CopyButton } from '../../components/CopyButton';

/**
 * Every script the installer will send, in order (issue 15 §2): what it does, whether it runs
 * as root and why, the exact text (secrets shown as placeholders) and its SHA-256, so a
 * security officer can check what ran against sudo's I/O log.
 */
export function InstallScriptsView({ plan }: { plan: AgentInstallPlan }) {
  const t = useT();
  const rootCount = plan.scripts.filter((s) => s.runAs === 'root').length;
  return (
    <div className="card" data-testid="install-scripts">
      <h3>{t('wizard.review.scripts')}</h3>
      <p className="muted">
        {t('wizard.review.scriptsIntro', { count: plan.scripts.length, root: rootCount })}
      </p>
      <dl className="facts">
        <dt>{t('wizard.review.agentBundle')}</dt>
        <dd>
          <span className="mono" data-testid="agent-bundle-sha256">
            SHA-256 {plan.agentBundle.sha256}
          </span>{' '}
          <span className="muted">
            ({t('wizard.review.bytes', { bytes: plan.agentBundle.bytes })})
          </span>
        </dd>
      </dl>
      <ol className="install-scripts">
        {plan.scripts.map((s, i) => {
          // Every root step has its sentence in the catalogs (a unit test checks).
          const why = `install.scriptRoot.${s.id}`;
          return (
            <li key={`${s.id}-${i}`} data-testid={`script-${s.id}`} data-run-as={s.runAs}>
              <p>
                {s.runAs === 'root' ? (
                  <span className="badge badge--warn">{t('wizard.review.asRoot')}</span>
                ) : (
                  <span className="badge badge--info">
                    {t('wizard.review.asUser', { user: s.osUser })}
                  </span>
                )}{' '}
                <strong>{t(`install.script.${s.id}`)}</strong>
                {s.onlyIfRuntimeDiffers ? (
                  <span className="muted"> {t('wizard.review.onlyIfRuntime')}</span>
                ) : null}
              </p>
              {s.runAs === 'root' ? (
                <p className="muted">
                  {t('wizard.review.whyRoot')} {hasMessage(why) ? t(why) : s.whyRoot}
                </p>
              ) : null}
              <details>
                <summary>
                  <span className="mono">SHA-256 {s.sha256}</span>
                </summary>
                <p className="muted">
                  {t('wizard.review.scriptCommand')} <span className="mono">{s.command}</span>
                  {s.payload ? (
                    <>
                      {' '}
                      {t('wizard.review.scriptPayload', {
                        name: s.payload.name,
                        bytes: s.payload.bytes,
                      })}{' '}
                      <span className="mono">SHA-256 {s.payload.sha256}</span>
                    </>
                  ) : null}
                </p>
                <pre className="mono script-text">{s.script}</pre>
                <CopyButton text={s.script} />
              </details>
            </li>
          );
        })}
      </ol>
    </div>
  );
}
