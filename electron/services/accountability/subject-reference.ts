import crypto from 'node:crypto';
import type { SecretStore } from '../secrets/secret-store';

const SECRET = 'accountability/subject-key';

/**
 * A data subject (a customer id) or a record key as the log names it: an HMAC under a key kept
 * in the secret store, never the value. Whoever reads the log or its export cannot test
 * guessed ids against it; the DPO can, in the app, see that two entries name the same subject.
 */
export class SubjectReference {
  private key: Promise<Buffer> | null = null;

  constructor(private readonly secrets: SecretStore) {}

  async of(value: string): Promise<string> {
    const key = await (this.key ??= this.loadKey());
    return `hmac:${crypto.createHmac('sha256', key).update(value).digest('hex').slice(0, 24)}`;
  }

  private async loadKey(): Promise<Buffer> {
    const stored = await this.secrets.get(SECRET);
    if (stored) return Buffer.from(stored, 'hex');
    const made = crypto.randomBytes(32);
    await this.secrets.set(SECRET, made.toString('hex'));
    return made;
  }
}
