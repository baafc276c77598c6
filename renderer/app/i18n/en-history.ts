/**
 * English messages for honest states and the job history (issue 16 §2, §4): a server without
 * backups, actions that cannot run yet, and the jobs page. Merged into `en`; German in de-history.ts.
 */
export const enHistory = {
  'protection.none': 'Not protected',
  'protection.none.reason': 'No backups are set up on this server.',
  'protection.gate.title': 'Not protected yet: {name}',
  'protection.gate.why':
    'No backups are set up on {name}: there is nothing to restore, to practise a restore with or to take a recovery point of yet.',
  'protection.gate.next':
    'Set up backups first (storage target and agent); these actions are offered as soon as the first recovery point exists.',
  'protection.gate.unavailable': 'Not available yet',
  'protection.action.restore': 'Restore',
  'protection.action.drill': 'Start a restore drill',
  'protection.action.drillSettings': 'Drill settings',
  'protection.action.point': 'Recovery point now',

  'jobs.history.title': 'Job history',
  'jobs.history.nav': 'Jobs',
  'jobs.history.all': 'All jobs',
  'jobs.history.intro':
    'Every job the console started, newest first, kept across restarts. A dismissed job disappears from this list only.',
  'jobs.history.empty':
    'No jobs yet. A job appears here when you connect a server, set up backups, restore, run a drill or take a recovery point.',
  'jobs.history.emptyFiltered': 'No job matches this filter.',
  'jobs.history.filter.server': 'Server',
  'jobs.history.filter.state': 'State',
  'jobs.history.filter.any': 'All',
  'jobs.history.filter.anyServer': 'All servers',
  'jobs.history.col.job': 'Job',
  'jobs.history.col.server': 'Server',
  'jobs.history.col.state': 'State',
  'jobs.history.col.started': 'Started',
  'jobs.history.col.ended': 'Ended',
  'jobs.history.col.duration': 'Duration',
  'jobs.history.col.by': 'Started by',
  'jobs.history.col.actions': 'Actions',
  'jobs.history.running': 'still running',
  'jobs.history.unknownUser': 'not recorded',
  'jobs.history.removedServer': 'removed server',
  'jobs.history.open': 'Open result',
  'jobs.history.openNamed': 'Open result: {title}',
  'jobs.history.dismiss': 'Dismiss',
  'jobs.history.dismissNamed': 'Dismiss: {title}',
  'jobs.history.phase': 'Phase: {phase}',
  'jobs.history.interrupted':
    'The app was closed while this job ran, so it could not finish. Check the server’s status, then start the job again.',
  'jobs.history.cancelled':
    'Cancelled before it finished; nothing of it is in use. Start it again when needed.',
  'jobs.phase.starting': 'Starting',
  'jobs.history.failedIn': 'Failed in phase: {phase}',
} as const;
