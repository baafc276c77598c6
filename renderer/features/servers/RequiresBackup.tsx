import type { ReactNode } from 'react';
import { useT } from '../../app/i18n';
import type { MessageKey } from '../../app/i18n/translate';
import { useRoute } from '../../app/route';
import { Button } from '../../components/Button';
import { useServers } from '../../stores';
import { NotProtectedBadge } from './NotProtectedBadge';
import { backupSetUp } from './protection';

export type GatedAction = 'restore' | 'drill' | 'drillSettings' | 'point';

const ACTION_LABELS: Record<GatedAction, MessageKey> = {
  restore: 'protection.action.restore',
  drill: 'protection.action.drill',
  drillSettings: 'protection.action.drillSettings',
  point: 'protection.action.point',
};

/**
 * The empty state of actions that cannot run yet because the server has no backups: says why,
 * shows the actions disabled (so the admin sees what will be possible) and offers the next
 * step, setting up backups.
 */
export function NotSetUpNotice({
  id,
  name,
  actions,
}: {
  id: string;
  name: string;
  actions: readonly GatedAction[];
}) {
  const t = useT();
  const navigate = useRoute((s) => s.navigate);
  const whyId = `not-set-up-why-${id}`;
  return (
    <div className="empty not-set-up-state" data-testid="not-set-up-state">
      <h2>{t('protection.gate.title', { name })}</h2>
      <p id={whyId}>{t('protection.gate.why', { name })}</p>
      <p>{t('protection.gate.next')}</p>
      <div className="not-set-up-state__actions">
        {actions.map((action) => (
          <Button key={action} disabled aria-describedby={whyId}>
            {t(ACTION_LABELS[action])}
          </Button>
        ))}
        <Button variant="primary" onClick={() => navigate({ name: 'install', id })}>
          {t('backups.setUp')}
        </Button>
      </div>
    </div>
  );
}

/** A server page that has nothing to show yet: its own title, red "not protected", the notice. */
export function NotSetUpPage({
  id,
  name,
  title,
  actions,
}: {
  id: string;
  name: string;
  title: MessageKey;
  actions: readonly GatedAction[];
}) {
  const t = useT();
  return (
    <section aria-labelledby="page-title">
      <div className="page-head">
        <h1 id="page-title" tabIndex={-1}>
          {t(title, { name })}
        </h1>
        <span data-testid="overall-level">
          <NotProtectedBadge />
        </span>
      </div>
      <NotSetUpNotice id={id} name={name} actions={actions} />
    </section>
  );
}

/**
 * Shows a server page only when backups are set up on the server; otherwise its empty state
 * under the page's own title. While the server list loads (or for an unknown server) the page
 * itself decides what to show.
 */
export function RequiresBackup({
  id,
  title,
  actions,
  children,
}: {
  id: string;
  title: MessageKey;
  actions: readonly GatedAction[];
  children: ReactNode;
}) {
  const server = useServers((s) => s.servers.find((x) => x.id === id));
  if (server && !backupSetUp(server)) {
    return <NotSetUpPage id={id} name={server.name} title={title} actions={actions} />;
  }
  return <>{children}</>;
}
