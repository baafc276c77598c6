/**
 * An SQL string literal for any text: written as E'…' with backslashes and quotes doubled, so
 * it means the same whether standard_conforming_strings is on or off. Values from a customer's
 * catalog or rows (untrusted) reach SQL only through this or quoteIdent.
 * @throws Error for NUL, which PostgreSQL text cannot hold.
 */
export function quoteLiteral(value: string): string {
  if (value.includes('\0')) throw new Error('SQL literal contains NUL');
  return `E'${value.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}
