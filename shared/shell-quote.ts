/** Single-quotes a value for POSIX sh (the app's commands over SSH, the agent's restore_command). */
export function shq(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
