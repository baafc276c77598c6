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
} as const;
