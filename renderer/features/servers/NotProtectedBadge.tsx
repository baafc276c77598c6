import { useT } from '../../app/i18n';
import { StatusBadge } from '../../components/StatusBadge';

/** Red "Not protected": a server without backups, said in words, the mark and colour repeat it. */
export function NotProtectedBadge() {
  const t = useT();
  return (
    <span data-testid="not-protected" data-level="notProtected">
      <StatusBadge tone="danger">
        <span aria-hidden="true">✗ </span>
        {t('protection.none')}
      </StatusBadge>
    </span>
  );
}
