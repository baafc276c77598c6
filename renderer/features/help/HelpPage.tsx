import { useT, type MessageKey } from '../../app/i18n';

/** Each concept: its catalog stem and the manual page (in docs/) that explains it at length. */
const CONCEPTS = [
  ['point', 'docs/DESIGN.md §5'],
  ['capture', 'docs/DESIGN.md §2'],
  ['gap', 'docs/reliability.md'],
  ['retention', 'docs/DESIGN.md §5'],
  ['drill', 'docs/DESIGN.md §5'],
  ['scratch', 'docs/glossary.md'],
  ['storage', 'docs/security.md'],
  ['kit', 'docs/security.md'],
  ['agent', 'docs/DESIGN.md §3'],
  ['hostkey', 'docs/security.md'],
] as const;

/** Short in-app explanations of the console's concepts, each naming its page of the manual. */
export function HelpPage() {
  const t = useT();
  return (
    <section aria-labelledby="page-title">
      <div className="page-head">
        <h1 id="page-title" tabIndex={-1}>
          {t('help.title')}
        </h1>
      </div>
      <p>{t('help.intro')}</p>
      <dl className="help-list" data-testid="help-concepts">
        {CONCEPTS.map(([stem, doc]) => (
          <div key={stem} className="card" data-testid={`help-${stem}`}>
            <dt>
              <strong>{t(`help.${stem}.title` as MessageKey)}</strong>
            </dt>
            <dd>
              <p>{t(`help.${stem}.body` as MessageKey)}</p>
              <p className="muted small">{t('help.manual', { doc })}</p>
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
