/**
 * Replaces every occurrence of the given secrets in a text with `***`. Tool output can echo
 * options back (pgBackRest prints its command line at detail level), so everything the agent
 * logs or reports passes through here.
 */
export function makeRedactor(secrets: ReadonlyArray<string | undefined>): (text: string) => string {
  // Short values would redact innocent text and are not secrets worth the name.
  const values = [...new Set(secrets.filter((s): s is string => !!s && s.length >= 4))].sort(
    (a, b) => b.length - a.length,
  );
  return (text) => {
    let out = text;
    for (const value of values) out = out.split(value).join('***');
    return out;
  };
}
