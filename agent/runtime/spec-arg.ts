import type { z } from 'zod';
import { AgentError, EXIT } from './errors';

/**
 * A command's `--spec <json>`, validated before anything happens: specs carry ids that become
 * folder names and names that reach SQL, so only the shapes the schema allows get through.
 * @param what how the error names a spec that does not fit ("a valid restore spec").
 * @throws AgentError (usage) naming what is wrong, never echoing the whole spec.
 */
export function parseSpecArg<T>(schema: z.ZodType<T>, text: string | undefined, what = 'valid'): T {
  if (!text) throw new AgentError('usage', 'this command needs --spec <json>', EXIT.usage);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AgentError('usage', '--spec is not JSON', EXIT.usage);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const where = parsed.error.issues
      .slice(0, 3)
      .map((i) => `${i.path.join('.') || 'spec'}: ${i.message}`)
      .join('; ');
    throw new AgentError('usage', `--spec is not ${what} (${where})`, EXIT.usage);
  }
  return parsed.data;
}
