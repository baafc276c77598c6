import fs from 'node:fs';
import path from 'node:path';
import { runCommand } from './processes';

/** Files written by {@link createTlsMaterial}. */
export interface TlsMaterial {
  /** PEM of the self-signed CA: give this to clients (repo1-storage-ca-file, restic --cacert). */
  caCert: string;
  caKey: string;
  /** PEM of the server certificate, signed by the CA. */
  serverCert: string;
  serverKey: string;
}

/** Options for {@link createTlsMaterial}. */
export interface TlsOptions {
  /** DNS names in the server certificate's SAN; default ['localhost']. */
  dnsNames?: string[];
  /** IP addresses in the SAN; default ['127.0.0.1']. */
  ipAddresses?: string[];
}

/**
 * Creates a self-signed CA and a server certificate for it with the openssl CLI.
 * The SAN carries DNS:localhost because pgBackRest 2.45 matches DNS SANs only; IP:127.0.0.1
 * is there for clients that do match IPs (restic, node). EC P-256 keys keep this fast.
 * Everything but the keys is world-readable, since pgBackRest reads the CA as `postgres`.
 */
export async function createTlsMaterial(
  dir: string,
  options: TlsOptions = {},
): Promise<TlsMaterial> {
  const dnsNames = options.dnsNames ?? ['localhost'];
  const ipAddresses = options.ipAddresses ?? ['127.0.0.1'];
  fs.mkdirSync(dir, { recursive: true });
  fs.chmodSync(dir, 0o755);
  const file = (name: string): string => path.join(dir, name);
  const material: TlsMaterial = {
    caCert: file('ca.crt'),
    caKey: file('ca.key'),
    serverCert: file('server.crt'),
    serverKey: file('server.key'),
  };
  const openssl = (args: string[]): Promise<unknown> =>
    runCommand('openssl', args, { name: 'openssl', timeoutMs: 30_000 });
  const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

  await openssl([
    'req',
    '-x509',
    ...ecKey,
    '-keyout',
    material.caKey,
    '-out',
    material.caCert,
    '-days',
    '3650',
    '-subj',
    '/CN=Kumiko Test Harness CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  await openssl([
    'req',
    ...ecKey,
    '-keyout',
    material.serverKey,
    '-out',
    file('server.csr'),
    '-subj',
    `/CN=${dnsNames[0] ?? 'localhost'}`,
  ]);
  const san = [...dnsNames.map((n) => `DNS:${n}`), ...ipAddresses.map((ip) => `IP:${ip}`)].join(
    ',',
  );
  fs.writeFileSync(
    file('server.ext'),
    [
      `subjectAltName=${san}`,
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      'extendedKeyUsage=serverAuth',
      '',
    ].join('\n'),
  );
  await openssl([
    'x509',
    '-req',
    '-in',
    file('server.csr'),
    '-CA',
    material.caCert,
    '-CAkey',
    material.caKey,
    '-CAcreateserial',
    '-out',
    material.serverCert,
    '-days',
    '825',
    '-extfile',
    file('server.ext'),
  ]);
  fs.chmodSync(material.caCert, 0o644);
  fs.chmodSync(material.serverCert, 0o644);
  fs.chmodSync(material.caKey, 0o600);
  fs.chmodSync(material.serverKey, 0o600);
  return material;
}
