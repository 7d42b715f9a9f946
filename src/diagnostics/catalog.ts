// The one catalog of diagnostic messages. One code per message; `{name}` placeholders are filled
// from the arguments given to `diagnostic()`. Messages: lowercase, no trailing period,
// identifiers in backticks. Every code has a test of its rendered text (test/diagnostics).
//
// Ranges: D01 lexical, D02 syntax, D03 names and declarations, D04 values and clauses,
// D05 shapes and limits, D06 compile options and emission, D07 weight import,
// D08 runtime and execution providers, D09 files and tools.

export interface Entry {
  readonly severity: 'error' | 'warning';
  readonly message: string;
  readonly label?: string;
  readonly help?: string;
}

export const catalog = {
  // D01 lexical ---------------------------------------------------------------------------------
  D0101: {
    severity: 'error',
    message: 'unexpected character `{char}`',
    label: 'not part of the .dense language',
    help: 'remove it; comments start with `#`',
  },

  // D02 syntax ----------------------------------------------------------------------------------

  // D03 names and declarations ------------------------------------------------------------------

  // D04 values and clauses ----------------------------------------------------------------------

  // D05 shapes and limits -----------------------------------------------------------------------

  // D06 compile options and emission ------------------------------------------------------------

  // D07 weight import ---------------------------------------------------------------------------

  // D08 runtime and execution providers ---------------------------------------------------------

  // D09 files and tools -------------------------------------------------------------------------
  D0901: {
    severity: 'error',
    message: 'cannot read `{path}`: {reason}',
    help: 'check the path; specs are .dense files',
  },
} as const satisfies Record<string, Entry>;

export type Code = keyof typeof catalog;
