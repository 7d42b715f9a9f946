// DOT -> SVG with Graphviz compiled to WebAssembly (@viz-js/viz: no network, no binaries), and
// the self-contained HTML page that embeds it.
import type { Viz } from '@viz-js/viz';

let viz: Promise<Viz> | undefined;

export async function toSvg(dot: string): Promise<string> {
  // Loaded on first use: Graphviz in WebAssembly is a few MB that only pictures need.
  viz ??= import('@viz-js/viz').then((m) => m.instance());
  const v = await viz;
  const result = v.render(dot, { format: 'svg' });
  if (result.status !== 'success') {
    // Our own DOT failed to lay out: a bug in densec, not in the user's spec.
    throw new Error(`graphviz failed: ${result.errors.map((e) => e.message).join('; ')}`);
  }
  return result.output;
}
