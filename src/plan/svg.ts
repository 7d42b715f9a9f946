// The arena over time as an SVG picture: steps left to right, arena offsets bottom to top. Each
// buffer is a pale rectangle over its lifetime (reserved), and each tensor in it a solid one from
// the step that writes it to the last step that needs it, coloured by stage: a dense block shows
// as a staircase of layers filling one buffer. The black line is the bytes of live data (the
// lower bound's curve); hover a rectangle for its tensor.
import type { Graph, Node, Value } from '../ir/graph.js';
import { elementCount } from '../ir/graph.js';
import type { MemoryPlan } from './plan.js';
import { liveDataBytes, type PlanFigures } from './figures.js';

const W = 1400;
const H = 760;
const M = { left: 80, right: 230, top: 60, bottom: 50 };
const palette = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac', '#86bcb6', '#d37295'];

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
export const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(2)} MiB`;

function niceStep(max: number, ticks: number): number {
  const raw = max / ticks;
  const p = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw)!;
}

export function planSvg(g: Graph, plan: MemoryPlan, figures: PlanFigures): string {
  const { liveness: live, batch } = plan;
  const steps = live.steps;
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const top = Math.max(plan.arenaBytes, 1);
  const x = (s: number) => M.left + (s / steps) * pw;
  const y = (b: number) => M.top + ph - (b / top) * ph;

  const stages = [...new Set(['input', ...g.nodes.map((n) => n.stage)])];
  const colour = new Map(stages.map((s, i) => [s, palette[i % palette.length]]));
  const stageOf = (v: Value) => v.producer?.stage ?? 'input';
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`);
  out.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  out.push(`<text x="${M.left}" y="24" font-size="16" font-weight="bold">${escape(g.name)}: memory plan, batch ${batch}</text>`);
  out.push(`<text x="${M.left}" y="44">peak ${mb(figures.peakBytes)} · lower bound ${mb(figures.lowerBoundBytes)} (×${figures.ratio.toFixed(3)}) · naive ${mb(figures.naiveBytes)} · concat copies ${mb(figures.concatCopyBytes.planned)} (naive graph ${mb(figures.concatCopyBytes.withoutElimination)})</text>`);

  // Stage bands along the time axis.
  let i = 0;
  while (i < g.nodes.length) {
    const stage = g.nodes[i].stage;
    let j = i;
    while (j + 1 < g.nodes.length && g.nodes[j + 1].stage === stage) j++;
    const x0 = x(i + 1);
    const x1 = x(j + 2);
    out.push(`<rect x="${x0}" y="${M.top}" width="${x1 - x0}" height="${ph}" fill="${colour.get(stage)}" fill-opacity="0.03"/>`);
    out.push(`<line x1="${x0}" y1="${M.top}" x2="${x0}" y2="${M.top + ph}" stroke="#ccc"/>`);
    i = j + 1;
  }

  // Buffers (reserved) and the tensors in them (holding data).
  for (const b of plan.buffers) {
    const fill = b.kind === 'workspace' ? '#999' : colour.get(b.stage)!;
    const label = b.kind === 'workspace' ? `scratch of ${(b.owner as Node).scope}` : `buffer of ${(b.owner as Value).producer?.scope ?? 'input'}`;
    out.push(`<rect x="${x(b.def)}" y="${y(b.offset + b.bytes)}" width="${x(b.lastUse + 1) - x(b.def)}" height="${y(b.offset) - y(b.offset + b.bytes)}" fill="${fill}" fill-opacity="0.25" stroke="${fill}" stroke-width="0.5"><title>${escape(`${label}: ${mb(b.bytes)}, steps ${b.def}..${b.lastUse}`)}</title></rect>`);
  }
  for (const v of live.values) {
    const mode = v.producer ? plan.layout.mode.get(v.producer) : undefined;
    if (mode?.kind === 'view') continue;
    const p = plan.placement.get(v)!;
    const iv = live.interval.get(v)!;
    const span = (batch - 1) * p.sampleStride * 4 + p.elements * 4;
    const scope = v.producer?.scope ?? 'input';
    out.push(`<rect x="${x(iv.def)}" y="${y(p.offset + span)}" width="${x(iv.lastUse + 1) - x(iv.def)}" height="${Math.max(0.5, y(p.offset) - y(p.offset + span))}" fill="${colour.get(stageOf(v))}" fill-opacity="0.85"><title>${escape(`${scope} [${v.shape.join('x')}] ${mb(batch * elementCount(v.shape) * 4)} at ${p.offset}, steps ${iv.def}..${iv.lastUse}`)}</title></rect>`);
  }

  // Live data: the lower bound's curve.
  const data = liveDataBytes(g, plan);
  const path = data.map((d, s) => `${s === 0 ? 'M' : 'L'}${x(s).toFixed(1)},${y(d).toFixed(1)} L${x(s + 1).toFixed(1)},${y(d).toFixed(1)}`).join(' ');
  out.push(`<path d="${path}" fill="none" stroke="black" stroke-width="1.2"/>`);

  // Axes.
  const yt = niceStep(top / 2 ** 20, 8);
  out.push(`<line x1="${M.left}" y1="${M.top + ph}" x2="${M.left + pw}" y2="${M.top + ph}" stroke="black"/><line x1="${M.left}" y1="${M.top}" x2="${M.left}" y2="${M.top + ph}" stroke="black"/>`);
  for (let v = 0; v * 2 ** 20 <= top; v += yt) {
    out.push(`<line x1="${M.left - 4}" y1="${y(v * 2 ** 20)}" x2="${M.left}" y2="${y(v * 2 ** 20)}" stroke="black"/><text x="${M.left - 8}" y="${y(v * 2 ** 20) + 4}" text-anchor="end">${+v.toFixed(3)}</text>`);
  }
  out.push(`<text x="20" y="${M.top + ph / 2}" transform="rotate(-90 20 ${M.top + ph / 2})" text-anchor="middle">arena offset (MiB)</text>`);
  const xt = niceStep(steps, 10);
  for (let s = 0; s <= steps; s += xt) out.push(`<text x="${x(s)}" y="${M.top + ph + 16}" text-anchor="middle">${s}</text>`);
  out.push(`<text x="${M.left + pw / 2}" y="${H - 12}" text-anchor="middle">step (node order)</text>`);

  // Legend.
  const lx = W - M.right + 20;
  stages.forEach((s, k) => {
    out.push(`<rect x="${lx}" y="${M.top + k * 20}" width="14" height="14" fill="${colour.get(s)}"/><text x="${lx + 20}" y="${M.top + k * 20 + 11}">${escape(s)}</text>`);
  });
  const ly = M.top + stages.length * 20 + 10;
  out.push(`<rect x="${lx}" y="${ly}" width="14" height="14" fill="#4e79a7" fill-opacity="0.25" stroke="#4e79a7"/><text x="${lx + 20}" y="${ly + 11}">a buffer (pale)</text>`);
  out.push(`<rect x="${lx}" y="${ly + 20}" width="14" height="14" fill="#999" fill-opacity="0.25" stroke="#999"/><text x="${lx + 20}" y="${ly + 31}">kernel scratch</text>`);
  out.push(`<line x1="${lx}" y1="${ly + 47}" x2="${lx + 14}" y2="${ly + 47}" stroke="black" stroke-width="1.2"/><text x="${lx + 20}" y="${ly + 51}">bytes of live data</text>`);
  out.push('</svg>');
  return out.join('\n');
}
