/** What the agent alerts on. One incident per kind at a time. */
export const INCIDENT_KINDS = [
  'capture-failing',
  'capture-lag',
  'wal-gap',
  'recovery-point-failed',
  'recovery-point-missing',
  'retention-failed',
  'drill-failed',
  'drill-overdue',
  'audit-trail-behind',
] as const;
export type IncidentKind = (typeof INCIDENT_KINDS)[number];

/** Short titles for subjects and chat messages. */
export const INCIDENT_TITLES: Record<IncidentKind, string> = {
  'capture-failing': 'WAL capture is failing',
  'capture-lag': 'WAL capture is lagging',
  'wal-gap': 'gap in the archived WAL',
  'recovery-point-failed': 'daily recovery point failed',
  'recovery-point-missing': 'no recent recovery point',
  'retention-failed': 'retention failed',
  'drill-failed': 'restore drill failed',
  'drill-overdue': 'restore drill overdue',
  'audit-trail-behind': 'audit trail history is behind',
};
