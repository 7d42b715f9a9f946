// D0412: a dropout rate must be in [0, 1): 1 would drop everything.
import { diagnostic } from '../../diagnostics/diagnostic.js';
import { secondary } from '../dense.js';
import type { Num } from '../draft.js';
import { show } from '../suggest.js';
import type { ModelRule } from './rule.js';

export const dropout: ModelRule = {
  name: 'dropout',
  check(model) {
    const rates: Num[] = model.layers.flatMap((l) => (l.kind === 'dropout' ? [l.rate] : l.kind === 'block' || l.kind === 'transition' ? [l.dropout] : []));
    return rates
      .filter((r) => !(r.value >= 0 && r.value < 1))
      .map((r) => diagnostic('D0412', r.span, { value: show(r.value) }, secondary(r)));
  },
};
