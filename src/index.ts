// The public API of densec. No file system, process or console here: the CLI does I/O.
export { SourceFile } from './diagnostics/source.js';
export type { Diagnostic } from './diagnostics/diagnostic.js';
export type { Span } from './diagnostics/span.js';
