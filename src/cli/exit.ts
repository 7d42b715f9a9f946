// Exit codes, documented in the README and tested (test/e2e/exit-codes.test.ts).
export const Exit = {
  ok: 0,
  /** Bad command line: unknown option, missing argument. */
  usage: 1,
  /** Errors in the spec (or its weights): diagnostics were printed. */
  spec: 2,
  /** The model compiled but verification found a difference. */
  verify: 3,
  /** An execution provider or runtime the user asked for is not available here. */
  runtime: 4,
  /** An input file (spec, weights, image, model) is missing, unreadable or over its size limit (sysexits' EX_NOINPUT). */
  input: 66,
  /** A bug in densec itself. */
  internal: 70,
} as const;
export type ExitCode = (typeof Exit)[keyof typeof Exit];
