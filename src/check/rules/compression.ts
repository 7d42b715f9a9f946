// D0411: a transition's compression theta must be in (0, 1]: it keeps floor(theta * m) of m
// channels, so 0 would keep none and more than 1 would invent channels.
import { diagnostic } from '../../diagnostics/diagnostic.js';
import { secondary } from '../dense.js';
import { show } from '../suggest.js';
import type { ModelRule } from './rule.js';

export const compression: ModelRule = {
  name: 'compression',
  check(model) {
    return model.layers.flatMap((l) => {
      if (l.kind !== 'transition') return [];
      const theta = l.compression;
      if (theta.value > 0 && theta.value <= 1) return [];
      return [diagnostic('D0411', theta.span, { value: show(theta.value) }, secondary(theta))];
    });
  },
};
