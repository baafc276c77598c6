import type { AgentInstallPlan, AgentInstallRequest } from '../../shared/contract/agent';
import { AGENT_INSTALL_PHASES } from '../../shared/contract/install-phases';
import type { Detection, Job, PgCluster } from '../../shared/contract/domain';
import type { MessageKey, Params } from '../app/i18n/translate';

/**
 * The install wizard's pure parts: the steps, the form draft of step 2 with its validation,
 * the request it becomes, and the phase list shown while the install job runs.
 */

export const WIZARD_STEPS = ['storage', 'cluster', 'review', 'install', 'done'] as const;
export type WizardStep = (typeof WIZARD_STEPS)[number];

export function stepIndex(step: WizardStep): number {
  return WIZARD_STEPS.indexOf(step);
}

export type WebhookFormat = 'json' | 'slack' | 'teams';
export const WEBHOOK_FORMATS: readonly WebhookFormat[] = ['json', 'slack', 'teams'];

/** Step 2 as the admin types it: strings for every input, converted by {@link toInstallRequest}. */
export interface ClusterDraft {
  /** The detected cluster to protect, by data directory. */
  dataDirectory: string | null;
  attachedPaths: string[];
  /** Daily recovery point, HH:MM server time. */
  snapshotAt: string;
  /** Minutes between recovery points instead of once a day; '' = daily at snapshotAt. */
  snapshotIntervalMinutes: string;
  heartbeatIntervalSeconds: string;
  retention: { daily: string; weekly: string; monthly: string; pitrDays: string };
  email: {
    enabled: boolean;
    host: string;
    port: string;
    secure: boolean;
    from: string;
    /** Comma- or space-separated addresses. */
    to: string;
    username: string;
    password: string;
  };
  webhook: { url: string; format: WebhookFormat };
  pushMonitorUrl: string;
}

/**
 * The cluster chosen before the admin picks: only when the server has exactly one. With
 * several, none: protecting the wrong cluster must be a choice someone made, not a default.
 */
export function defaultCluster(detection: Detection | null): PgCluster | null {
  const clusters = detection?.clusters ?? [];
  return clusters.length === 1 ? (clusters[0] ?? null) : null;
}

export function defaultDraft(detection: Detection | null): ClusterDraft {
  return {
    dataDirectory: defaultCluster(detection)?.dataDirectory ?? null,
    attachedPaths: [],
    snapshotAt: '02:30',
    snapshotIntervalMinutes: '',
    heartbeatIntervalSeconds: '60',
    retention: { daily: '7', weekly: '4', monthly: '3', pitrDays: '30' },
    email: {
      enabled: false,
      host: '',
      port: '587',
      secure: false,
      from: '',
      to: '',
      username: '',
      password: '',
    },
    webhook: { url: '', format: 'json' },
    pushMonitorUrl: '',
  };
}

/** A field's problem, as a message key and its parameters. */
export interface FieldError {
  key: MessageKey;
  params?: Params;
}

/** Names of the validated fields; the form uses them as ids for focus and aria-describedby. */
export type DraftField =
  | 'cluster'
  | 'snapshotAt'
  | 'snapshotInterval'
  | 'heartbeat'
  | 'retention.daily'
  | 'retention.weekly'
  | 'retention.monthly'
  | 'retention.pitrDays'
  | 'email.host'
  | 'email.port'
  | 'email.from'
  | 'email.to'
  | 'webhook.url'
  | 'pushMonitorUrl';

export type DraftErrors = Partial<Record<DraftField, FieldError>>;

/** Same shape the contract's z.email() accepts for ordinary addresses: local@domain.tld. */
const EMAIL =
  /^(?!\.)(?!.*\.\.)[A-Za-z0-9_'+\-.]*[A-Za-z0-9_+-]@([A-Za-z0-9][A-Za-z0-9-]*\.)+[A-Za-z]{2,}$/;
const isEmail = (s: string) => EMAIL.test(s);

function isWebUrl(s: string): boolean {
  try {
    const url = new URL(s);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

/** A whole number within [min, max], or null. */
export function parseIntIn(value: string, min: number, max: number): number | null {
  const s = value.trim();
  if (!/^\d+$/.test(s)) return null;
  const n = Number(s);
  return n >= min && n <= max ? n : null;
}

export function splitAddresses(value: string): string[] {
  return value
    .split(/[\s,;]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Limits from the contract (AgentSchedule, RetentionPolicy), repeated here for the messages. */
export const LIMITS = {
  heartbeat: [5, 3600],
  snapshotIntervalMinutes: [1, 10_080],
  daily: [1, 60],
  weekly: [0, 52],
  monthly: [0, 36],
  pitrDays: [1, 90],
  port: [1, 65_535],
} as const satisfies Record<string, readonly [number, number]>;

function range(
  errors: DraftErrors,
  field: DraftField,
  value: string,
  [min, max]: readonly [number, number],
): void {
  if (parseIntIn(value, min, max) === null)
    errors[field] = { key: 'wizard.error.range', params: { min, max } };
}

/** Step 2's problems; empty when the draft can become a valid install request. */
export function validateDraft(draft: ClusterDraft, detection: Detection | null): DraftErrors {
  const errors: DraftErrors = {};
  const clusters = detection?.clusters ?? [];
  if (!draft.dataDirectory || !clusters.some((c) => c.dataDirectory === draft.dataDirectory))
    errors.cluster = { key: 'wizard.error.cluster' };
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(draft.snapshotAt.trim()))
    errors.snapshotAt = { key: 'wizard.error.time' };
  if (draft.snapshotIntervalMinutes.trim() !== '')
    range(
      errors,
      'snapshotInterval',
      draft.snapshotIntervalMinutes,
      LIMITS.snapshotIntervalMinutes,
    );
  range(errors, 'heartbeat', draft.heartbeatIntervalSeconds, LIMITS.heartbeat);
  range(errors, 'retention.daily', draft.retention.daily, LIMITS.daily);
  range(errors, 'retention.weekly', draft.retention.weekly, LIMITS.weekly);
  range(errors, 'retention.monthly', draft.retention.monthly, LIMITS.monthly);
  range(errors, 'retention.pitrDays', draft.retention.pitrDays, LIMITS.pitrDays);

  const { email } = draft;
  if (email.enabled) {
    if (email.host.trim() === '') errors['email.host'] = { key: 'wizard.error.required' };
    range(errors, 'email.port', email.port, LIMITS.port);
    if (!isEmail(email.from.trim())) errors['email.from'] = { key: 'wizard.error.email' };
    const to = splitAddresses(email.to);
    if (to.length === 0) errors['email.to'] = { key: 'wizard.error.required' };
    else {
      const bad = to.find((a) => !isEmail(a));
      if (bad) errors['email.to'] = { key: 'wizard.error.emailNamed', params: { address: bad } };
    }
  }
  if (draft.webhook.url.trim() !== '' && !isWebUrl(draft.webhook.url.trim()))
    errors['webhook.url'] = { key: 'wizard.error.url' };
  if (draft.pushMonitorUrl.trim() !== '' && !isWebUrl(draft.pushMonitorUrl.trim()))
    errors.pushMonitorUrl = { key: 'wizard.error.url' };
  return errors;
}

/** Why `path` cannot be added to the attached-file list, or null when it can. */
export function validateNewPath(path: string, existing: readonly string[]): FieldError | null {
  const p = normalizePath(path);
  if (p === '') return { key: 'wizard.error.required' };
  if (!p.startsWith('/')) return { key: 'wizard.error.absolute' };
  if (p === '/') return { key: 'wizard.error.root' };
  if (p.split('/').some((seg) => seg === '..' || seg === '.')) return { key: 'wizard.error.dots' };
  if (existing.includes(p)) return { key: 'wizard.error.duplicate' };
  return null;
}

/** Trims and drops trailing slashes and doubled slashes: "/srv//uploads/" → "/srv/uploads". */
export function normalizePath(path: string): string {
  const p = path.trim().replace(/\/{2,}/g, '/');
  return p.length > 1 ? p.replace(/\/+$/, '') : p;
}

/** The install request for a validated draft. Main validates it again against the contract. */
export function toInstallRequest(
  serverId: string,
  draft: ClusterDraft,
  confirmRestart: boolean,
): AgentInstallRequest {
  const int = (s: string) => Number(s.trim());
  const interval = draft.snapshotIntervalMinutes.trim();
  const { email } = draft;
  return {
    serverId,
    dataDirectory: draft.dataDirectory ?? '',
    attachedPaths: [...draft.attachedPaths],
    schedule: {
      snapshotAt: draft.snapshotAt.trim(),
      ...(interval === '' ? {} : { snapshotIntervalSeconds: int(interval) * 60 }),
      heartbeatIntervalSeconds: int(draft.heartbeatIntervalSeconds),
      retentionIntervalSeconds: 86_400,
    },
    retention: {
      daily: int(draft.retention.daily),
      weekly: int(draft.retention.weekly),
      monthly: int(draft.retention.monthly),
      pitrDays: int(draft.retention.pitrDays),
    },
    alerts: {
      ...(email.enabled
        ? {
            smtp: {
              host: email.host.trim(),
              port: int(email.port),
              secure: email.secure,
              from: email.from.trim(),
              to: splitAddresses(email.to),
              ...(email.username.trim() ? { username: email.username.trim() } : {}),
              ...(email.password ? { password: email.password } : {}),
            },
          }
        : {}),
      webhooks:
        draft.webhook.url.trim() === ''
          ? []
          : [{ url: draft.webhook.url.trim(), format: draft.webhook.format }],
      ...(draft.pushMonitorUrl.trim() ? { pushMonitorUrl: draft.pushMonitorUrl.trim() } : {}),
    },
    confirmRestart,
  };
}

/** The install job's phases, as the contract declares them; unknown ones are shown as they come. */
export const INSTALL_PHASES = AGENT_INSTALL_PHASES;

/**
 * The phases an install is expected to go through: without a Node upload (the server has its
 * own supported Node.js) the runtime phase never comes, so it is not listed as pending.
 */
export function expectedInstallPhases(
  plan: Pick<AgentInstallPlan, 'uploadsNodeRuntime'> | null,
): readonly string[] {
  if (!plan || plan.uploadsNodeRuntime) return INSTALL_PHASES;
  return INSTALL_PHASES.filter((phase) => phase !== 'runtime');
}

/** Whether a job is an agent install of this server (to pick it up again after a reload). */
export function isInstallJobOf(job: Job, serverId: string): boolean {
  return job.kind === 'agent.install' && job.subjectId === serverId;
}
