import { Link } from 'wouter';
import { useT } from './i18n';
import { routeToPath } from './route';

/** An address that names no page: say so, and offer the way home. */
export function NotFound() {
  const t = useT();
  return (
    <section aria-labelledby="page-title" data-testid="not-found">
      <h1 id="page-title" tabIndex={-1}>
        {t('nav.notFound.title')}
      </h1>
      <p>{t('nav.notFound.body')}</p>
      <p>
        <Link href={routeToPath({ name: 'start' })}>{t('nav.notFound.home')}</Link>
      </p>
    </section>
  );
}
