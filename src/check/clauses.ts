// Which clauses each statement takes. rules/clauses.ts checks statements against this table;
// elaborate.ts reads values through it. (The parser knows only that `bias` is a flag.)
import type { Clause } from '../ast/nodes.js';

export interface ClauseInfo {
  /** A flag takes no value: `bias`. */
  readonly flag?: boolean;
  /** Shown in "needs a value" help. */
  readonly example: string;
}

export interface StatementClauses {
  readonly clauses: Readonly<Record<string, ClauseInfo>>;
  readonly required: readonly string[];
  /** A whole statement, for "needs `out`" help. */
  readonly example: string;
}

export type ClausedKind = 'conv' | 'maxpool' | 'avgpool' | 'dense' | 'block' | 'transition';

const pool: StatementClauses = {
  clauses: { stride: { example: 'stride 2' }, pad: { example: 'pad 1' } },
  required: [],
  example: 'maxpool 3x3 stride 2 pad 1',
};

export const clauseTable: Readonly<Record<ClausedKind, StatementClauses>> = {
  conv: {
    clauses: { stride: { example: 'stride 2' }, pad: { example: 'pad 3' }, out: { example: 'out 64' }, bias: { flag: true, example: 'bias' } },
    required: ['out'],
    example: 'conv 3x3 out 64',
  },
  maxpool: pool,
  avgpool: { ...pool, example: 'avgpool 2x2 stride 2' },
  dense: {
    clauses: {
      layers: { example: 'layers [6, 12, 24, 16]' },
      depth: { example: 'depth 100' },
      blocks: { example: 'blocks 3' },
      growth: { example: 'growth 32' },
      bottleneck: { example: 'bottleneck 4 * k' },
      compression: { example: 'compression 0.5' },
      dropout: { example: 'dropout 0.2' },
    },
    required: ['growth'],
    example: 'dense layers [6, 12, 24, 16] growth 32',
  },
  block: {
    clauses: { growth: { example: 'growth 32' }, bottleneck: { example: 'bottleneck 128' }, dropout: { example: 'dropout 0.2' } },
    required: ['growth'],
    example: 'block 6 growth 32',
  },
  transition: {
    clauses: { compression: { example: 'compression 0.5' }, dropout: { example: 'dropout 0.2' } },
    required: [],
    example: 'transition compression 0.5',
  },
};

/** The first clause of that name (duplicates are reported by rules/clauses.ts). */
export function clause(clauses: readonly Clause[], name: string): Clause | undefined {
  return clauses.find((c) => c.name.name === name);
}
