/**
 * What a smoke check's SQL may be: exactly one statement (issue 15 §5). This is the first line
 * of defence only, for a clear message where checks are saved: the agent sends each check with
 * PostgreSQL's extended query protocol, where the server itself refuses more than one
 * statement, as a role without superuser rights, read-only (agent/drill/smoke-sandbox.ts).
 */

/**
 * The role a drill's smoke checks log in as, created in the throwaway cluster only. The scratch
 * cluster's pg_hba.conf (shared/restore/scratch-settings.ts) lets it in over the socket with
 * the password the drill sets.
 */
export const SMOKE_CHECK_ROLE = 'kumiko_smoke_check';

const IDENT_CHAR = /[A-Za-z0-9_$\u0080-\uffff]/;
const DOLLAR_TAG = /^\$(?:[A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/;

/** Where the string literal starting at `at` (its opening quote) ends, after the closing quote. */
function endOfQuoted(sql: string, at: number, quote: string, backslashEscapes: boolean): number {
  let i = at + 1;
  while (i < sql.length) {
    const c = sql[i];
    if (backslashEscapes && c === '\\') {
      i += 2;
      continue;
    }
    if (c === quote) {
      if (sql[i + 1] === quote) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i += 1;
  }
  return sql.length;
}

/** Where the (nestable) block comment starting at `at` ends. */
function endOfBlockComment(sql: string, at: number): number {
  let depth = 0;
  let i = at;
  while (i < sql.length) {
    if (sql.startsWith('/*', i)) {
      depth += 1;
      i += 2;
    } else if (sql.startsWith('*/', i)) {
      depth -= 1;
      i += 2;
      if (depth === 0) return i;
    } else {
      i += 1;
    }
  }
  return sql.length;
}

/**
 * Splits SQL into its statements the way PostgreSQL's lexer sees semicolons: not inside
 * comments (`--`, nested `/* *\/`), string literals (`'…'`, `E'…'` with backslash escapes),
 * quoted identifiers or dollar-quoted bodies (`$$…$$`, `$tag$…$tag$`). Comments become a
 * space; statements are trimmed and empty ones (a trailing semicolon) dropped. Unterminated
 * quotes or comments run to the end, as one statement.
 */
export function splitSqlStatements(sql: string): string[] {
  const statements: string[] = [];
  let current = '';
  let i = 0;
  const flush = (): void => {
    const text = current.trim();
    if (text !== '') statements.push(text);
    current = '';
  };
  while (i < sql.length) {
    const c = sql[i] ?? '';
    const prev = i > 0 ? (sql[i - 1] ?? '') : '';
    let end = i + 1;
    if (c === ';') {
      flush();
      i += 1;
      continue;
    }
    if (sql.startsWith('--', i)) {
      const newline = sql.indexOf('\n', i);
      i = newline === -1 ? sql.length : newline;
      current += ' ';
      continue;
    }
    if (sql.startsWith('/*', i)) {
      i = endOfBlockComment(sql, i);
      current += ' ';
      continue;
    }
    if (c === "'") {
      // E'…' (and e'…') takes backslash escapes; the E must start a token, not end a word.
      const escaped = /[Ee]/.test(prev) && !IDENT_CHAR.test(sql[i - 2] ?? '');
      end = endOfQuoted(sql, i, "'", escaped);
    } else if (c === '"') {
      end = endOfQuoted(sql, i, '"', false);
    } else if (c === '$' && !IDENT_CHAR.test(prev)) {
      const tag = DOLLAR_TAG.exec(sql.slice(i))?.[0];
      if (tag) {
        const close = sql.indexOf(tag, i + tag.length);
        end = close === -1 ? sql.length : close + tag.length;
      }
    }
    current += sql.slice(i, end);
    i = end;
  }
  flush();
  return statements;
}

/** Why SQL is no valid smoke check: 'empty' (only comments or blanks), 'several' statements. */
export type SmokeSqlProblem = 'empty' | 'several';

/** What is wrong with a smoke check's SQL, or null when it is exactly one statement. */
export function smokeSqlProblem(sql: string): SmokeSqlProblem | null {
  const statements = splitSqlStatements(sql);
  if (statements.length === 0) return 'empty';
  return statements.length > 1 ? 'several' : null;
}

/** The message a save refused for {@link SmokeSqlProblem} carries. */
export const SMOKE_SQL_MESSAGES: Record<SmokeSqlProblem, string> = {
  empty: 'A smoke check needs one SQL statement; this one holds only comments.',
  several:
    'A smoke check must be exactly one SQL statement; this one holds several (separated by semicolons).',
};
