import { AgentProductionSpec, AgentRestoreSpec } from '../../shared/agent/restore';
import { parseSpecArg } from '../runtime/spec-arg';

/**
 * The `--spec` of `restore`, validated before anything happens: ids become folder names and
 * labels pgBackRest arguments, so only the shapes the schema allows get through.
 * @throws AgentError (usage) naming what is wrong, never echoing the whole spec.
 */
export function parseRestoreSpec(text: string | undefined): AgentRestoreSpec {
  return parseSpecArg(AgentRestoreSpec, text, 'a valid restore spec');
}

/** The `--spec` of `restore-production`, validated like {@link parseRestoreSpec}'s. */
export function parseProductionSpec(text: string | undefined): AgentProductionSpec {
  return parseSpecArg(AgentProductionSpec, text, 'a valid restore spec');
}
