// D0419: `input` takes three sizes (channels x height x width), kernels two (height x width).
import type { Dims } from '../../ast/nodes.js';
import { diagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { bodiesOf, type SourceRule } from './rule.js';

function count(stmt: string, d: Dims, wanted: number, example: string): Diagnostic[] {
  if (d.items.length === wanted) return [];
  return [diagnostic('D0419', d.span, { stmt, count: wanted, found: d.items.length, example })];
}

export const dims: SourceRule = {
  name: 'dims',
  check(file) {
    return bodiesOf(file).flatMap(({ body }) =>
      body.flatMap((s) => {
        if (s.kind === 'input') return count('input', s.dims, 3, 'input 3 x 224 x 224');
        if (s.kind === 'conv') return count('conv', s.kernel, 2, 'conv 3x3 out 64');
        if (s.kind === 'maxpool' || s.kind === 'avgpool') return count(s.kind, s.kernel, 2, `${s.kind} 2x2`);
        return [];
      }),
    );
  },
};
