import type { Job } from '../../../shared/contract/domain';
import {
  POINT_HEAL_JOB_PHASES,
  POINT_JOB_PHASES,
  POINT_NOTE_MAX,
  pointNoteProblem,
} from '../../../shared/contract/point-phases';
import type { Catalog } from '../../../shared/contract/recovery';
import { useLang, useT, type MessageKey } from '../../app/i18n';
import { Alert } from '../../components/Alert';
import { Button } from '../../components/Button';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Field } from '../../components/Field';
import { PhaseList } from '../../components/PhaseList';
import { phaseList } from '../../stores/job-run';
import type { PointRun } from '../../stores/points';
import { momentWithUtc } from './moment-text';
import { ErrorLine } from '../../components/ErrorLine';

/** A gap with no recovery point after it yet: nothing from its start on can be restored. */
export function openGap(catalog: Catalog | null): Catalog['gaps'][number] | null {
  return catalog?.gaps.filter((g) => g.to === null).at(-1) ?? null;
}

export interface PointCardViewProps {
  run: PointRun;
  job: Job | null;
  /** The catalog when known (the timeline): an open gap makes the action the urgent one. */
  catalog: Catalog | null;
  zone: string;
  note: string;
  onNote(note: string): void;
  onStart(): void;
  /**
   * The last point failed because its attached files depend on data gone from the bucket (the
   * health tile says so): the heal is offered even before this card ran anything.
   */
  filesMissing?: boolean;
  /** Heal: rebuild restic's index, then a new point (point.create with heal). */
  onHeal(): void;
  onCancel(): void;
}

/**
 * "Take a recovery point now", with an optional label, the agent's steps while it runs and how
 * it ended. After a WAL gap that no point follows yet it says from when nothing is restorable
 * and offers the action first.
 */
export function PointCardView(props: PointCardViewProps) {
  const t = useT();
  const lang = useLang();
  const { run, job } = props;
  const busy = run.status === 'starting' || run.status === 'running';
  const problem = pointNoteProblem(props.note);
  const noteError =
    problem === 'long' || problem === 'characters'
      ? t(`point.noteProblem.${problem}`, { max: POINT_NOTE_MAX })
      : undefined;
  const gap = openGap(props.catalog);
  const healOffered =
    !busy &&
    (run.status === 'failed' && run.error?.code === 'POINT_FILES_MISSING'
      ? true
      : run.status !== 'succeeded' && props.filesMissing === true);
  return (
    <div className="card" data-testid="point-card" data-state={run.status}>
      <div className="card__head">
        <h2>{t('point.title')}</h2>
      </div>
      {gap ? (
        <Alert tone="warning" data-testid="point-open-gap">
          <p>{t('point.openGap', { from: momentWithUtc(gap.from, lang, props.zone) })}</p>
        </Alert>
      ) : null}
      {healOffered ? <HealOffer onHeal={props.onHeal} /> : null}
      <p className="muted">{t('point.intro')}</p>
      <form
        className="point-form"
        onSubmit={(event) => {
          event.preventDefault();
          if (!busy && !noteError) props.onStart();
        }}
      >
        <Field
          label={t('point.note')}
          hint={t('point.noteHint', { max: POINT_NOTE_MAX })}
          error={noteError}
          value={props.note}
          maxLength={POINT_NOTE_MAX + 20}
          disabled={busy}
          onChange={(event) => props.onNote(event.target.value)}
          data-testid="point-note"
        />
        <Button
          type="submit"
          variant={gap ? 'primary' : 'secondary'}
          busy={busy}
          disabled={!!noteError}
          data-testid="point-button"
        >
          {run.status === 'starting' ? t('point.starting') : t('point.button')}
        </Button>
      </form>
      {run.status === 'rejected' ? <Refused run={run} /> : null}
      {'jobId' in run ? (
        <>
          <PhaseList
            items={phaseList(
              run.phases,
              job ?? { state: run.status === 'running' ? 'running' : 'failed', phase: null },
              run.heal ? POINT_HEAL_JOB_PHASES : POINT_JOB_PHASES,
            )}
            label={(id) => t(`point.phase.${id}` as MessageKey)}
            ariaLabel={t('point.phases')}
            testId="point-phases"
          />
          {run.status === 'running' ? (
            <Button variant="danger" onClick={props.onCancel}>
              {t('point.cancel')}
            </Button>
          ) : null}
          <Outcome run={run} zone={props.zone} />
        </>
      ) : null}
    </div>
  );
}

/** The failed point's files and the one action that heals them. */
function HealOffer({ onHeal }: { onHeal(): void }) {
  const t = useT();
  return (
    <Alert tone="danger" title={t('point.heal.title')} data-testid="point-heal-offer">
      <p>{t('point.heal.body')}</p>
      <Button variant="primary" onClick={onHeal} data-testid="point-heal">
        {t('point.heal.button')}
      </Button>
    </Alert>
  );
}

function Refused({ run }: { run: Extract<PointRun, { status: 'rejected' }> }) {
  const t = useT();
  if (run.error.code === 'AGENT_BUSY') {
    return (
      <Alert tone="warning" data-testid="point-busy">
        <p>{t('point.busy')}</p>
      </Alert>
    );
  }
  return <ErrorAlert error={run.error} data-testid="point-error" />;
}

function Outcome({ run, zone }: { run: Extract<PointRun, { jobId: string }>; zone: string }) {
  const t = useT();
  const lang = useLang();
  if (run.status === 'succeeded' && run.result) {
    const point = run.result;
    return (
      <Alert tone="success" data-testid="point-succeeded">
        <p>
          {t('point.succeeded', {
            label: point.label,
            time: momentWithUtc(point.at, lang, zone),
          })}
        </p>
        {point.note ? <p>{t('point.withNote', { note: point.note })}</p> : null}
        {point.inCatalog ? null : <p>{t('point.notInCatalog')}</p>}
      </Alert>
    );
  }
  if (run.status === 'cancelled') {
    return (
      <Alert tone="warning" data-testid="point-cancelled">
        <p>{t('point.cancelled')}</p>
      </Alert>
    );
  }
  if (run.status !== 'failed') return null;
  if (run.error?.code === 'AGENT_BUSY') {
    return (
      <Alert tone="warning" data-testid="point-busy">
        <p>{t('point.busy')}</p>
      </Alert>
    );
  }
  return (
    <Alert tone="danger" title={t('point.failed')} data-testid="point-failed">
      {run.error ? <ErrorLine className="alert__message" error={run.error} /> : null}
    </Alert>
  );
}
