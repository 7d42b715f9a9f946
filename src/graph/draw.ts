// `densec graph` without the I/O: an IR graph (or a decoded ONNX file) -> DOT, SVG or a self-contained HTML page.
import { graphCounts } from '../ir/counts.js';
import type { Graph } from '../ir/graph.js';
import { blockPicture } from './blocks.js';
import { describeShape, grouped } from './describe.js';
import { toDot } from './dot.js';
import { svgPage, toHtml } from './html.js';
import { onnxPicture } from './onnx.js';
import type { ModelInfo } from '../emit/decode.js';
import { layerPicture } from './layers.js';
import { opPicture } from './ops.js';
import type { Claim, Level, Picture } from './picture.js';
import { toSvg } from './render.js';

export type Format = 'svg' | 'dot' | 'html';
export const formats: readonly Format[] = ['svg', 'dot', 'html'];

export function picture(g: Graph, level: Level, claim?: Claim): Picture {
  const p = level === 'blocks' ? blockPicture(g) : level === 'layers' ? layerPicture(g) : opPicture(g);
  return { ...p, subtitle: subtitle(g, claim) };
}

/** `is "DenseNet-121" · input 3 x 224 x 224 · 7,978,856 parameters · 2,834,161,664 MACs`. */
function subtitle(g: Graph, claim: Claim | undefined): string {
  const total = graphCounts(g).total;
  const parts = [
    `input ${describeShape(g.input.shape)}`,
    `${grouped(total.learnable)} parameters`,
    `${grouped(total.macs)} MACs`,
  ];
  if (claim) parts.unshift(`${claim.relation} "${claim.paper}"`);
  return parts.join(' · ');
}

export async function draw(g: Graph, options: { level: Level; format: Format; claim?: Claim }): Promise<string> {
  const dot = toDot(picture(g, options.level, options.claim));
  if (options.format === 'dot') return dot;
  const svg = await toSvg(dot);
  return options.format === 'svg' ? svg : toHtml(g, svg, options.level, options.claim);
}

/** An ONNX file's op-level picture (graph/onnx.ts), titled `title` (its file name, say). */
export async function drawOnnx(info: ModelInfo, options: { title: string; format: Format }): Promise<string> {
  const p = onnxPicture(info, options.title);
  const dot = toDot(p);
  if (options.format === 'dot') return dot;
  const svg = await toSvg(dot);
  return options.format === 'svg' ? svg : svgPage(p.title, p.subtitle ?? '', svg);
}
