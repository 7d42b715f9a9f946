// The rule registry, in the order their diagnostics read best. Adding a rule: one file in this
// folder exporting a SourceRule or ModelRule, one line here, and a test in test/check/rules.
import { claims } from './claims.js';
import { clauses } from './clauses.js';
import { compression } from './compression.js';
import { counts } from './counts.js';
import { dims } from './dims.js';
import { dropout } from './dropout.js';
import { duplicates } from './duplicates.js';
import { names } from './names.js';
import type { ModelRule, SourceRule } from './rule.js';
import { structure } from './structure.js';
import { unused } from './unused.js';

/** Run once per loaded file. */
export const sourceRules: readonly SourceRule[] = [duplicates, names, structure, dims, clauses, claims, unused];

/** Run once per elaborated model. */
export const modelRules: readonly ModelRule[] = [counts, compression, dropout];
