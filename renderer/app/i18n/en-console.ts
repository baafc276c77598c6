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
