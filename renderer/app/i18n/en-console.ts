/**
 * English words of the console's own pages for servers' connections (an unreachable server's
 * hint and its address editor). German in de-console.ts.
 */
export const enConsole = {
  'address.hint.title': 'The server does not answer over SSH. Check, in this order:',
  'address.hint.host':
    'Is {host} the right host name or IP address, and does it resolve from this computer?',
  'address.hint.port': 'Does sshd listen on port {port} there (ss -tlnp | grep sshd)?',
  'address.hint.firewall':
    'Does a firewall between this computer and the server, or on the server itself, let port {port} through?',
  'address.hint.sshd':
    'Is sshd running on the server (systemctl status ssh)? Then connect again, or correct the connection below.',
  'address.edit': 'Edit connection',
  'address.intro':
    'Host, SSH port and SSH user of this server. The private key and the pinned host key stay as they are.',
  'address.newHost':
    'A new host is treated as another machine: after saving, the console connects and you confirm its host key fingerprint again.',
  'address.save': 'Save and connect',
  'uninstall.title': 'Remove the agent',
  'uninstall.intro':
    'Stops capture on this server and removes the agent. Every backup stays in the bucket and can still be restored with the recovery kit.',
  'uninstall.open': 'Remove agent …',
  'uninstall.review.title': 'Remove the agent from {name}?',
  'uninstall.review.intro': 'This will change the following on the server:',
  'uninstall.review.stop':
    'Capture stops: the agent’s service and its scheduled recovery points and drills end now; nothing new is backed up from here on.',
  'uninstall.review.settings':
    'PostgreSQL’s archive_mode, archive_command and wal_level are put back as they were before the install, unless someone changed them since.',
  'uninstall.review.files':
    'The agent’s program, configuration and keys are deleted from the server.',
  'uninstall.review.kept':
    'The backups in the bucket are kept, and so is the recovery kit that opens them.',
  'uninstall.review.restart':
    'Restart PostgreSQL now, so it runs with the earlier settings at once',
  'uninstall.review.restartHint':
    'Without a restart the settings are put back and take effect at PostgreSQL’s next restart; until then WAL is not kept for an archiver that is gone.',
  'uninstall.review.understood': 'I understand that this server is no longer backed up afterwards',
  'uninstall.review.confirm': 'Remove agent',
  'uninstall.run.title': 'Removing the agent from {name}',
  'uninstall.result.done':
    'The agent is removed and PostgreSQL runs with the settings of before the install. No restart is needed.',
  'uninstall.result.restartPending':
    'The agent is removed. Restart PostgreSQL at a suitable time: only then does it run with the settings of before the install.',
  'uninstall.result.restarted': 'PostgreSQL was restarted.',
  'uninstall.result.noRecord':
    'Neither the server nor the app had a record of the settings before the install: check them yourself.',
  'uninstall.result.restored': 'Settings put back',
  'uninstall.result.none': 'None.',
  'uninstall.result.setting': 'before the install {before}, now {now}',
  'uninstall.result.left': 'Changed again since the install, left as they are',
  'uninstall.result.interim': 'Set only until the next restart',
  'uninstall.result.unreadable':
    'The agent is removed, but the app could not read what was put back. Check PostgreSQL’s archive settings on the server.',
  'update.title': 'Agent version',
  'update.intro':
    'Compares the agent program on this server with the one this app carries, before anything changes.',
  'update.check': 'Check for update',
  'update.current': 'The agent is current: version {version}, the same program this app carries.',
  'update.review.title': 'Update agent: {from} → {to}',
  'update.review.intro': 'This changes on the server:',
  'update.review.files': 'Replaced: {files}',
  'update.review.restart':
    'The agent’s {scheduler, select, systemd {systemd service} other {daemon}} restarts: recovery points, heartbeats and drills pause for a few seconds. WAL archiving goes on, since PostgreSQL runs pgBackRest itself.',
  'update.review.kept':
    'Kept unchanged: storage, schedule, alerts and paths in {files}; nothing is asked again.',
  'update.review.fingerprint': 'SHA-256 of the new program: {sha256}',
  'update.unknownVersion': 'unknown version',
  'update.confirm': 'Update agent',
  'update.run.title': 'Updating the agent on {name}',
  'update.result.done':
    'The agent runs version {version} now. It paused for {seconds} s; its settings are unchanged.',
  'update.result.already': 'The agent was already current; nothing changed.',
  'update.phase.check': 'Check the installed agent',
  'update.phase.upload': 'Upload the new program',
  'update.phase.restart': 'Restart the agent',
  'update.phase.verify': 'Wait for its first heartbeat',
  'alertTest.title': 'Test alerts',
  'alertTest.intro':
    'The server’s agent sends a test message through the e-mail relay or the webhooks set up for it, the same way real alerts go.',
  'alertTest.server': 'Server',
  'alertTest.sendMail': 'Send test e-mail',
  'alertTest.sendWebhook': 'Send test webhook',
  'alertTest.noServer':
    'No server has backups set up yet. Set up backups first; alerts are chosen there.',
  'alertTest.sent': '{target}: the test message was accepted.',
  'alertTest.failed':
    '{target}: the test message was not delivered ({reason}). Check the address and that the server may reach it, then send again.',
  'alertTest.none.smtp':
    'No e-mail relay is set up for this server. Set it up again with the backup setup’s alerts step.',
  'alertTest.none.webhook':
    'No webhook is set up for this server. Set it up again with the backup setup’s alerts step.',
  'settings.nav': 'Settings',
  'settings.title': 'Settings',
  'settings.language.title': 'Language',
  'settings.language.remembered':
    'The console speaks this language from now on; the choice is remembered on this computer and can be changed at any time, also from the top bar.',
  'settings.defaults.title': 'Defaults for new servers',
  'settings.defaults.intro':
    'A server’s agent starts with these values when backups are set up. Change them per server, in its drill settings.',
  'settings.defaults.drillInterval': 'Scheduled restore drills',
  'settings.defaults.drillIntervalValue':
    'every {days, plural, one {# day} other {# days}} (quarterly)',
  'settings.defaults.scratchRoot': 'Folder of the throwaway environment',
  'settings.defaults.resticRead': 'File data read back per drill',
  'settings.defaults.resticReadValue': '{percent} % of the restic repository',
  'settings.defaults.heapAllIndexed': 'pg_amcheck also checks every index entry',
  'settings.defaults.alerts': 'Alerts by e-mail or webhook',
  'settings.defaults.alertsWhere':
    'Set per server when backups are set up (step “Alerts”); the console keeps no default of its own.',
  'settings.on': 'on',
  'settings.off': 'off',
  'settings.reports.title': 'Drill reports',
  'settings.reports.archive': 'Archive of signed drill reports',
  'settings.reports.exports': 'Report exports are written to',
  'settings.reports.unknown': 'not known (the app did not say)',
  'settings.reports.verify': 'Verify a report',
} as const;
