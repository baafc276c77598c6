/**
 * `kumiko-agent`'s exit code when another run holds its lock (agent/runtime/errors.ts EXIT.busy):
 * a snapshot, retention run or drill has the repository. The app cannot import the agent, so
 * the number is repeated here; test/unit/point.test.ts checks both agree.
 */
export const EXIT_BUSY_AGENT = 4;
/** The point's attached files depend on data gone from the bucket (EXIT.filesMissing). */
export const EXIT_FILES_MISSING = 5;
