import type { z } from 'zod';
import { AgentProductionSpec, AgentRestoreSpec } from '../../shared/agent/restore';
import { AgentError, EXIT } from '../runtime/errors';

/**
 * The `--spec` of `restore`, validated before anything happens: ids become folder names and
 * labels pgBackRest arguments, so only the shapes the schema allows get through.
 * @throws AgentError (usage) naming what is wrong, never echoing the whole spec.
 */
export function parseRestoreSpec(text: string | undefined): AgentRestoreSpec {
  return parseSpec(AgentRestoreSpec, text);
}

/** The `--spec` of `restore-production`, validated like {@link parseRestoreSpec}'s. */
export function parseProductionSpec(text: string | undefined): AgentProductionSpec {
  return parseSpec(AgentProductionSpec, text);
}

function parseSpec<T>(schema: z.ZodType<T>, text: string | undefined): T {
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
    throw new AgentError('usage', `--spec is not a valid restore spec (${where})`, EXIT.usage);
  }
  return parsed.data;
}
