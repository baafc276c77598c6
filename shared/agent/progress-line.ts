import { z } from 'zod';

// Long agent commands (drill, restore, restore-production, snapshot --progress) report progress
// as stderr lines `<prefix><json>`; stdout stays their one JSON result. One schema shape and one
// line codec serve them all; each command has its own prefix and phases.

/** A progress report: the phase, what happens, and how far where that is known. */
export function progressSchema<const P extends readonly [string, ...string[]]>(phases: P) {
  return z
    .object({
      phase: z.enum(phases),
      message: z.string().max(500),
      done: z.number().nonnegative().optional(),
      total: z.number().nonnegative().optional(),
    })
    .strict();
}

/** Formats (without the newline) and parses one command's progress lines. */
export function progressLines<T>(prefix: string, schema: z.ZodType<T>) {
  return {
    format: (progress: T): string => `${prefix}${JSON.stringify(progress)}`,
    /** null for anything that is not a valid line of this command (log lines, other prefixes). */
    parse: (line: string): T | null => {
      if (!line.startsWith(prefix)) return null;
      try {
        const parsed = schema.safeParse(JSON.parse(line.slice(prefix.length)));
        return parsed.success ? parsed.data : null;
      } catch {
        return null;
      }
    },
  };
}
