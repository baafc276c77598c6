import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendMail, type SmtpSettings } from '../../agent/alerts/smtp';
import { createTlsMaterial, stopAll, type TlsMaterial } from '../harness';
import { startSmtpReceiver } from '../harness/smtp-receiver';

// The agent's own minimal SMTP client against a local receiver: a plain relay, and a
// submission server that requires STARTTLS (certificate verified against a private CA) and
// AUTH. Credentials never go over an unencrypted connection.

let dir: string;
let tlsFiles: TlsMaterial;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kumiko-smtp-'));
  tlsFiles = await createTlsMaterial(path.join(dir, 'tls'));
});

afterAll(async () => {
  await stopAll();
  fs.rmSync(dir, { recursive: true, force: true });
});

const base = (port: number): SmtpSettings => ({
  host: 'localhost',
  port,
  secure: false,
  from: 'agent@example.com',
  to: ['ops@example.com'],
});

describe('agent SMTP client', () => {
  it('delivers through a plain relay, with a non-ASCII subject and body', async () => {
    const relay = await startSmtpReceiver();
    await sendMail(base(relay.port), {
      subject: 'Sicherung läuft nicht — server 1',
      text: 'Grüße\n.leading dot line\nend',
    });
    expect(relay.mails).toHaveLength(1);
    expect(relay.mails[0]).toMatchObject({
      from: 'agent@example.com',
      to: ['ops@example.com'],
      subject: 'Sicherung läuft nicht — server 1',
      encrypted: false,
      authenticatedAs: undefined,
    });
    expect(relay.mails[0]?.text).toBe('Grüße\r\n.leading dot line\r\nend');
    await relay.stop();
  });

  it('upgrades with STARTTLS, verifies the certificate, and logs in', async () => {
    const server = await startSmtpReceiver({
      tls: { certFile: tlsFiles.serverCert, keyFile: tlsFiles.serverKey },
      auth: { username: 'alerts', password: 'correct horse' },
    });
    const settings = { ...base(server.port), username: 'alerts', password: 'correct horse' };
    const ca = fs.readFileSync(tlsFiles.caCert);
    await sendMail(settings, { subject: 'hello', text: 'body' }, { ca });
    expect(server.mails[0]).toMatchObject({ encrypted: true, authenticatedAs: 'alerts' });

    // Without the private CA the certificate does not verify, and nothing is sent.
    await expect(sendMail(settings, { subject: 'x', text: 'y' })).rejects.toThrow(/certificate/i);
    // A wrong password is refused; the error does not carry the password.
    const wrong = sendMail(
      { ...settings, password: 'wrong horse' },
      { subject: 'x', text: 'y' },
      { ca },
    );
    await expect(wrong).rejects.toThrow(/535/);
    await expect(wrong).rejects.not.toThrow(/horse/);
    expect(server.mails).toHaveLength(1);
    await server.stop();
  });

  it('refuses to send a password over a connection without TLS', async () => {
    const relay = await startSmtpReceiver();
    const settings = { ...base(relay.port), username: 'alerts', password: 'secret-pass' };
    await expect(sendMail(settings, { subject: 'x', text: 'y' })).rejects.toThrow(/clear text/);
    expect(relay.mails).toHaveLength(0);
    await relay.stop();
  });
});
