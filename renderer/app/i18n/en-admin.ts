/**
 * English messages for what admins expect beside the main flows (issue 16 §5): databases in the
 * cluster picker, the unreachable-server hint, settings, help, About. Merged into `en`; German
 * in de-admin.ts.
 */
export const enAdmin = {
  'detail.col.databases': 'Databases and sizes',
  'databases.list': '{count, plural, one {# database} other {# databases}}: {list}',
  'databases.item': '{name} ({size})',
  'databases.none': 'No databases besides the templates.',
  'databases.unknown': 'Not listed: the cluster is stopped or could not be asked.',
  'help.nav': 'Help',
  'help.title': 'Help',
  'help.intro':
    'Short explanations of the words this console uses. The manual is in the docs folder of the repository; each entry names the page.',
  'help.manual': 'Manual: {doc}',
  'help.point.title': 'Recovery point',
  'help.point.body':
    'What you restore: any second inside the covered WAL range after a base backup, or a daily snapshot with its attached files, signed by the agent.',
  'help.capture.title': 'Capture and capture lag',
  'help.capture.body':
    'PostgreSQL hands every WAL segment to pgBackRest, which stores it in the bucket. The capture lag says how many seconds of changes are not in the bucket yet.',
  'help.gap.title': 'Gap',
  'help.gap.body':
    'Seconds not covered by WAL in the bucket. A moment inside a gap cannot be restored exactly; the timeline shows gaps in red.',
  'help.retention.title': 'Retention',
  'help.retention.body':
    '7 daily, 4 weekly and 3 monthly points are kept; WAL is kept so that every second of the last 30 days is restorable.',
  'help.drill.title': 'Restore drill and drill report',
  'help.drill.body':
    'A practised restore into a throwaway environment, checked (cluster starts, pg_amcheck, row counts, attached files) and signed. Auditors verify the drill report offline or on “Verify reports”.',
  'help.scratch.title': 'Scratch environment',
  'help.scratch.body':
    'Where a restore from the wizard lands, beside production, until you remove it. Production is changed only by a restore over production, after a safety snapshot.',
  'help.storage.title': 'Storage target',
  'help.storage.body':
    'The customer’s S3 bucket in the EU. Versioning and Object Lock keep old backups safe even if a key is misused.',
  'help.kit.title': 'Recovery kit',
  'help.kit.body':
    'The printable sheet with the repository passphrases and key fingerprints. Without it, nobody can read the backups after the laptop is lost.',
  'help.agent.title': 'Agent',
  'help.agent.body':
    'The program on the customer’s server that takes points, applies retention, runs drills and reports its health, even when this console is closed.',
  'help.hostkey.title': 'Host key fingerprint',
  'help.hostkey.body':
    'Proves that the console talks to the right server. Compare it with the server before trusting it; a changed key stops every connection until you confirm the new one.',
  'about.nav': 'About',
  'about.title': 'About Kumiko Recovery',
  'about.version': 'Version',
  'about.transport': 'Running as',
  'about.transport.electron': 'desktop app',
  'about.transport.web': 'browser mode',
  'about.transport.cli': 'command line',
  'about.licences': 'Licences of the bundled npm packages',
  'about.licencesIntro':
    '{count, plural, one {# package} other {# packages}} the app ships, with the licence each declares, as recorded when this build was made.',
  'about.col.package': 'Package',
  'about.col.version': 'Version',
  'about.col.licence': 'Licence',
  'about.loading': 'Loading…',
} as const;
