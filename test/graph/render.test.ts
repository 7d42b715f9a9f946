// Graphviz (WebAssembly) lays out the block-level and op-level pictures of every model in specs/
// into SVG with one drawn node per box and the stage titles as text; DOT and HTML escape what
// they must, and the HTML page stands alone.
import { describe, expect, it } from 'vitest';
import { draw, picture } from '../../src/graph/draw.js';
import { toDot } from '../../src/graph/dot.js';
import type { Picture } from '../../src/graph/picture.js';
import { specModels } from './helpers.js';

const models = specModels();
const count = (text: string, re: RegExp): number => (text.match(re) ?? []).length;

describe.each(models.map((m) => [m.spec.name, m] as const))('%s', (_name, { spec, graph }) => {
  const blocks = spec.layers.filter((l) => l.kind === 'block').length;

  it('renders the block level: a node per box, each dense block titled', async () => {
    const svg = await draw(graph, { level: 'blocks', format: 'svg' });
    expect(svg).toMatch(/^<\?xml[\s\S]*<svg[\s\S]*<\/svg>\s*$/);
    expect(count(svg, /<g id="node\d+" class="node"/g)).toBe(picture(graph, 'blocks').boxes.length);
    for (let i = 1; i <= blocks; i++) expect(svg).toContain(`>Dense Block (${i})</text>`);
  });

  // Every dense connection is an edge: L(L+1)/2 per block at -O0, which Graphviz takes minutes
  // to route for the deep models (densenet264: 3,355), so only the smaller ones are laid out here.
  const dense = spec.layers.reduce((n, l) => n + (l.kind === 'block' ? (l.layers * (l.layers + 1)) / 2 : 0), 0);
  it.runIf(dense <= 600)('renders the op level: a node per IR node plus input and output, a cluster per dense layer', async () => {
    const svg = await draw(graph, { level: 'ops', format: 'svg' });
    expect(count(svg, /<g id="node\d+" class="node"/g)).toBe(graph.nodes.length + 2);
    const layers = spec.layers.reduce((n, l) => n + (l.kind === 'block' ? l.layers : 0), 0);
    expect(count(svg, /<title>cluster_dense_block_\d+_layer\d+<\/title>/g)).toBe(layers);
  }, 60_000);
});

describe('output formats', () => {
  const { graph, spec } = models.find((m) => m.spec.name === 'densenet121')!;

  it('writes DOT that reads top to bottom', async () => {
    const dot = await draw(graph, { level: 'blocks', format: 'dot' });
    expect(dot).toMatch(/^digraph "densenet121" \{\n {2}graph \[rankdir=TB/);
  });

  it('writes a self-contained HTML page with the title, the summary and the SVG', async () => {
    const html = await draw(graph, { level: 'layers', format: 'html', claim: spec.claim });
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<h1>densenet121</h1>');
    expect(html).toContain('<th>Learnable parameters</th><td class="n">7,978,856</td>');
    expect(html).toContain('<td>Dense Block (3)</td><td>1024 x 14 x 14</td>');
    expect(html).toContain('<svg');
    expect(html).not.toContain('<?xml');
    expect(html).not.toMatch(/<(script|link|img)\b/);
    expect(html).not.toMatch(/(src|href)="https?:/);
  });

  it('escapes quotes in DOT strings and markup in labels', () => {
    const p: Picture = {
      title: 'a "b" <c>',
      level: 'blocks',
      boxes: [{ id: 'x"y', title: 'A & <B>', lines: ['1 -> 2'], stage: 'io', kind: 'io' }],
      edges: [],
      clusters: [],
    };
    const dot = toDot(p);
    expect(dot).toContain('digraph "a \\"b\\" <c>"');
    expect(dot).toContain('"x\\"y" [label=<<B>A &amp; &lt;B&gt;</B><BR/>1 -&gt; 2>');
  });
});
