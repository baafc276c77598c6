import fs from 'node:fs';
import { AgentConfig } from '../../shared/agent/config';
import { AgentError, EXIT } from './errors';

/** Where the installer writes the config. */
export const DEFAULT_CONFIG_PATH = '/etc/kumiko-agent/config.json';

/**
 * Reads and validates the agent config.
 * @throws AgentError (exit code config) naming the file and the first invalid fields; never
 *   echoes field values, since the file holds keys.
 */
export function loadConfig(file: string): AgentConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new AgentError('config', `cannot read ${file} (${code})`, EXIT.config);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new AgentError('config', `${file} is not valid JSON`, EXIT.config);
  }
  const parsed = AgentConfig.safeParse(raw);
  if (!parsed.success) {
    const fields = parsed.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    throw new AgentError('config', `${file} is invalid: ${fields}`, EXIT.config);
  }
  return parsed.data;
}

/** Every secret the config holds, for the log redactor. */
export function configSecrets(config: AgentConfig): string[] {
  return [
    config.s3.secretAccessKey,
    config.s3.accessKeyId,
    config.alerts.smtp?.password ?? '',
  ].filter((s) => s.length > 0);
}
