// The shape of a body: D0416 no `input`, D0417 `input` not first or twice, D0418 no dense
// block at all, D0420 a `transition` before any block. `let` may come before `input`.
import { diagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { bodiesOf, type SourceRule } from './rule.js';

export const structure: SourceRule = {
  name: 'structure',
  check(file) {
    const out: Diagnostic[] = [];
    for (const { owner, body } of bodiesOf(file)) {
      const layers = body.filter((s) => s.kind !== 'let');
      const inputs = layers.filter((s) => s.kind === 'input');
      if (inputs.length === 0) out.push(diagnostic('D0416', owner.span, { name: owner.name }));
      for (const s of inputs) {
        if (s !== layers[0]) {
          const first = layers[0];
          const secondary = first.kind === 'input' ? [{ span: first.span, message: 'the first `input`' }] : [{ span: first.span, message: 'the first statement' }];
          out.push(diagnostic('D0417', s.span, {}, { secondary }));
        }
      }
      if (!layers.some((s) => s.kind === 'dense' || s.kind === 'block')) {
        out.push(diagnostic('D0418', owner.span, { name: owner.name }));
      }
      let blockSeen = false;
      for (const s of layers) {
        if (s.kind === 'dense' || s.kind === 'block') blockSeen = true;
        if (s.kind === 'transition' && !blockSeen) out.push(diagnostic('D0420', s.span));
      }
    }
    return out;
  },
};
