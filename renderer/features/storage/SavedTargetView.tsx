import type { StorageTarget } from '../../../shared/contract/storage';
import { useLang, useT } from '../../app/i18n';
import { formatDateTime } from '../../lib/format';
import { StorageReportView } from './StorageReportView';

/** A saved bucket as main keeps it: where it is, which key (as a hint), and its last check. */
export function SavedTargetView({ target }: { target: StorageTarget }) {
  const t = useT();
  const lang = useLang();
  return (
    <div data-testid="saved-target">
      <dl className="facts">
        <dt>{t('storage.endpoint')}</dt>
        <dd className="mono">{target.endpoint}</dd>
        <dt>{t('storage.bucket')}</dt>
        <dd className="mono">{target.bucket}</dd>
        <dt>{t('storage.region')}</dt>
        <dd className="mono">{target.region}</dd>
        <dt>{t('storage.accessKeyId')}</dt>
        <dd className="mono">{target.accessKeyHint}</dd>
        <dt>{t('storage.restoreKey')}</dt>
        <dd className="mono" data-testid="restore-key-hint">
          {target.restoreKeyHint ?? t('storage.restoreKeyNone')}
        </dd>
        <dt>{t('storage.ownStorageShort')}</dt>
        <dd>{target.ownStorage ? t('common.yes') : t('common.no')}</dd>
        <dt>{t('storage.savedAt')}</dt>
        <dd>{formatDateTime(target.savedAt, lang)}</dd>
      </dl>
      <h3>{t('storage.lastCheck')}</h3>
      <StorageReportView report={target.report} />
    </div>
  );
}
