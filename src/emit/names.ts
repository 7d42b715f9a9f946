// Tensor and node names, given only at emission (the IR has none). Nodes take their torchvision
// module path (`features.denseblock1.denselayer1.conv1`), initializers the state-dict name
// (`<module>.weight`, `.bias`, `.running_mean`, `.running_var`), and intermediate values
// `<node>.out`, a suffix no initializer uses. Duplicates get `_2`, `_3`, ... in emission order,
// so names are stable for a given graph.
import { bnScopeOfFused } from '../ir/weights.js';

export class NameAuthority {
  private readonly taken = new Set<string>();

  /** Reserves `wanted`, or the first free `wanted_2`, `wanted_3`, ... */
  claim(wanted: string): string {
    let name = wanted;
    for (let i = 2; this.taken.has(name); i++) name = `${wanted}_${i}`;
    this.taken.add(name);
    return name;
  }
}

/** The module paths of the three parts of a fused BN-ReLU-conv node named after its conv. */
export function fusedScopes(convScope: string): { bn: string; relu: string; conv: string } {
  const m = /^(.*)\.conv(\d*)$/.exec(convScope);
  return {
    bn: bnScopeOfFused(convScope),
    relu: m ? `${m[1]}.relu${m[2]}` : `${convScope}.relu`,
    conv: convScope,
  };
}
