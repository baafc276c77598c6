import { useEffect, useState } from 'react';
import licences from 'virtual:kumiko-licences';
import { useT } from '../../app/i18n';
import { ErrorAlert } from '../../components/ErrorAlert';
import { call, toApiError, type ApiError } from '../../lib/api';
import { TableWrap } from '../../components/TableWrap';

type AppInfo = { version: string; transport: 'electron' | 'web' | 'cli' };

/** Version, how the app runs, and the licences of the npm packages this build ships. */
export function AboutPage() {
  const t = useT();
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    call('app.info', {})
      .then(setInfo)
      .catch((err: unknown) => setError(toApiError(err)));
  }, []);
  return (
    <section aria-labelledby="page-title">
      <div className="page-head">
        <h1 id="page-title" tabIndex={-1}>
          {t('about.title')}
        </h1>
      </div>
      {error ? <ErrorAlert error={error} /> : null}
      <dl className="facts" data-testid="about-facts">
        <dt>{t('about.version')}</dt>
        <dd className="mono" data-testid="about-version">
          {info ? info.version : t('about.loading')}
        </dd>
        <dt>{t('about.transport')}</dt>
        <dd>{info ? t(`about.transport.${info.transport}`) : t('about.loading')}</dd>
      </dl>
      <h2>{t('about.licences')}</h2>
      <p>{t('about.licencesIntro', { count: licences.length })}</p>
      <TableWrap label={t('about.licences')}>
        <table className="table" data-testid="about-licences">
          <caption className="visually-hidden">{t('about.licences')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('about.col.package')}</th>
              <th scope="col">{t('about.col.version')}</th>
              <th scope="col">{t('about.col.licence')}</th>
            </tr>
          </thead>
          <tbody>
            {licences.map((l) => (
              <tr key={`${l.name}@${l.version}`}>
                <th scope="row" className="mono">
                  {l.name}
                </th>
                <td className="mono">{l.version}</td>
                <td>{l.license}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
    </section>
  );
}
