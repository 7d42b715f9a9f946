// A Picture as Graphviz DOT: top to bottom, rounded boxes coloured by stage (blue stem, green
// dense blocks, amber transitions, violet head), bold titles, shapes on the edges, clusters for
// stages and dense layers, and the main path kept in one straight column (`group`).
import type { Box, Cell, Cluster, Edge, Picture } from './picture.js';

// Graphviz without font files (WebAssembly) sizes text with built-in Arial metrics only when the
// font is named `Arial`; with a list of names it falls back to narrower Times metrics and the
// text overflows its boxes.
export const FONT = 'Arial';

interface Colours {
  readonly fill: string;
  readonly border: string;
  /** Cluster background: lighter than the boxes inside. */
  readonly area: string;
}

const palette: Record<string, Colours> = {
  io: { fill: '#f1f5f9', border: '#64748b', area: '#f8fafc' },
  convolution: { fill: '#dbeafe', border: '#2563eb', area: '#eff6ff' },
  pooling: { fill: '#e0f2fe', border: '#0284c7', area: '#f0f9ff' },
  dense: { fill: '#dcfce7', border: '#16a34a', area: '#f0fdf4' },
  transition: { fill: '#fef3c7', border: '#d97706', area: '#fffbeb' },
  classification: { fill: '#f3e8ff', border: '#9333ea', area: '#faf5ff' },
};

/** The colours of a stage: every dense block alike, every transition alike. */
export function colours(stage: string): Colours {
  if (stage.startsWith('dense_block_')) return palette.dense;
  if (stage.startsWith('transition_')) return palette.transition;
  return palette[stage] ?? palette.io;
}

const quote = (s: string): string => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
const html = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function boxLabel(b: Box): string {
  const parts = [`<B>${html(b.title)}</B>`, ...b.lines.map(html)];
  if (b.note) parts.push(`<FONT POINT-SIZE="9" COLOR="#475569">${html(b.note)}</FONT>`);
  return `<${parts.join('<BR/>')}>`;
}

/** A box with a grid of cells, as a Graphviz HTML table: a header row, then rows of cells. */
function gridLabel(b: Box, grid: readonly (readonly Cell[])[]): string {
  const c = colours(b.stage);
  const columns = Math.max(...grid.map((row) => row.length));
  const head = [`<B>${html(b.title)}</B>`, ...b.lines.map(html)];
  if (b.note) head.push(`<FONT POINT-SIZE="9" COLOR="#475569">${html(b.note)}</FONT>`);
  const cell = (x: Cell) => {
    const parts = [`<B>${html(x.title)}</B>`, ...x.lines.map(html)];
    if (x.note) parts.push(`<FONT POINT-SIZE="8" COLOR="#475569">${html(x.note)}</FONT>`);
    return `<TD BGCOLOR="${c.fill}" COLOR="${c.border}">${parts.join('<BR/>')}</TD>`;
  };
  const rows = [
    `<TR><TD COLSPAN="${columns}" BORDER="0" CELLPADDING="3">${head.join('<BR/>')}</TD></TR>`,
    ...grid.map((row) => `<TR>${row.map(cell).join('')}${row.length < columns ? `<TD BORDER="0" COLSPAN="${columns - row.length}"></TD>` : ''}</TR>`),
  ];
  return `<<TABLE BORDER="1" CELLBORDER="1" CELLSPACING="5" CELLPADDING="4" STYLE="ROUNDED" BGCOLOR="${c.area}" COLOR="${c.border}">${rows.join('')}</TABLE>>`;
}

function boxLine(b: Box): string {
  if (b.grid) return `${quote(b.id)} [shape=plain, label=${gridLabel(b, b.grid)}${b.spine ? ', group="spine"' : ''}];`;
  const c = colours(b.stage);
  const attrs = [
    `label=${boxLabel(b)}`,
    `fillcolor=${quote(c.fill)}`,
    `color=${quote(c.border)}`,
    b.kind === 'io' ? 'shape=box, style="rounded,filled,dashed"' : '',
    b.kind === 'op' ? 'fontsize=10, margin="0.08,0.03"' : '',
    b.tooltip ? `tooltip=${quote(b.tooltip)}` : '',
    b.spine ? 'group="spine"' : '',
  ].filter((a) => a !== '');
  return `${quote(b.id)} [${attrs.join(', ')}];`;
}

function edgeLine(e: Edge): string {
  const attrs: string[] = [];
  if (e.label) attrs.push(`label=${quote(` ${e.label}`)}`);
  if (e.invisible) attrs.push('style=invis', 'weight=20');
  // Unranked (constraint=false): dense connections would otherwise set the layout, n^2 per block.
  if (e.dense) attrs.push('color="#16a34a80"', 'penwidth=0.6', 'constraint=false');
  return `${quote(e.from)} -> ${quote(e.to)}${attrs.length > 0 ? ` [${attrs.join(', ')}]` : ''};`;
}

function clusterLines(c: Cluster, boxes: ReadonlyMap<string, Box>, indent: string, depth = 0): string[] {
  const col = colours(c.stage);
  const sub = c.sublabel ? `<FONT POINT-SIZE="10">${html(c.sublabel)}</FONT><BR ALIGN="LEFT"/>` : '';
  // Nested clusters (a dense layer inside its block) get a smaller label and a tighter margin.
  const size = depth === 0 ? 'fontsize=14; margin=10;' : 'fontsize=10; margin=6;';
  const out = [
    `${indent}subgraph ${quote(`cluster_${c.id}`)} {`,
    `${indent}  label=<<B>${html(c.label)}</B><BR ALIGN="LEFT"/>${sub}>; labeljust=l; ${size} style="rounded,filled"; fillcolor=${quote(col.area)}; color=${quote(col.border)}; penwidth=1.2;`,
  ];
  for (const id of c.boxes) out.push(`${indent}  ${boxLine(boxes.get(id)!)}`);
  if (c.row && c.boxes.length > 1) out.push(`${indent}  { rank=same; ${c.boxes.map(quote).join('; ')}; }`);
  for (const inner of c.clusters) out.push(...clusterLines(inner, boxes, indent + '  ', depth + 1));
  out.push(`${indent}}`);
  return out;
}

function clustered(c: Cluster, into: Set<string>): void {
  for (const id of c.boxes) into.add(id);
  for (const inner of c.clusters) clustered(inner, into);
}

function title(p: Picture): string {
  const sub = p.subtitle ? `<BR/><FONT POINT-SIZE="11" COLOR="#334155">${html(p.subtitle)}</FONT>` : '';
  return `<B>${html(p.title)}</B>${sub}`;
}

export function toDot(p: Picture): string {
  const boxes = new Map(p.boxes.map((b) => [b.id, b]));
  const inClusters = new Set<string>();
  for (const c of p.clusters) clustered(c, inClusters);
  const lines = [
    `digraph ${quote(p.title)} {`,
    `  graph [rankdir=TB, fontname=${quote(FONT)}, fontsize=16, labelloc=t, label=<${title(p)}>, nodesep=0.25, ranksep=0.25, newrank=true, bgcolor="white"];`,
    `  node [shape=box, style="rounded,filled", fontname=${quote(FONT)}, fontsize=12, margin="0.15,0.06", penwidth=1.2];`,
    `  edge [fontname=${quote(FONT)}, fontsize=9, fontcolor="#334155", color="#475569", arrowsize=0.6];`,
  ];
  for (const b of p.boxes) if (!inClusters.has(b.id)) lines.push(`  ${boxLine(b)}`);
  for (const c of p.clusters) lines.push(...clusterLines(c, boxes, '  '));
  for (const e of p.edges) lines.push(`  ${edgeLine(e)}`);
  lines.push('}');
  return lines.join('\n') + '\n';
}
