// A self-contained HTML page for `densec graph --format html`: the title, the model summary
// (totals and one row per Table 1 stage, from ir/summary.ts) and the SVG inline. No scripts,
// no external resources: it opens from disk anywhere.
import type { Graph } from '../ir/graph.js';
import { summarize, summaryToJson } from '../ir/summary.js';
import { grouped } from './describe.js';
import type { Claim, Level } from './picture.js';

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const style = `
body { font-family: Arial, Helvetica, "Liberation Sans", sans-serif; margin: 24px; color: #0f172a; }
h1 { margin: 0 0 4px; font-size: 24px; }
p.claim { margin: 0 0 16px; color: #334155; }
table { border-collapse: collapse; margin: 8px 0 20px; font-size: 14px; }
th, td { padding: 3px 12px; border-bottom: 1px solid #e2e8f0; }
th { text-align: left; background: #f1f5f9; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.graph { overflow: auto; border: 1px solid #e2e8f0; border-radius: 6px; padding: 8px; }
.graph svg { display: block; margin: 0 auto; }
`;

export function toHtml(g: Graph, svg: string, level: Level, claim?: Claim): string {
  const s = summaryToJson(summarize(g, { claim }));
  const totals: [string, string][] = [
    ['Input', s.input.join(' x ')],
    ['Output', s.output.join(' x ')],
    ['Learnable parameters', grouped(s.params.learnable)],
    ['BN running statistics', grouped(s.params.bnRunningStats)],
    ['Multiply-accumulates', `${grouped(s.macs)} (${s.gflops.toFixed(2)} GFLOPs)`],
    ['Weights (float32)', `${s.weights.mb.toFixed(2)} MB`],
  ];
  const stageRows = s.stages.map(
    (st) => `<tr><td>${esc(st.label)}</td><td>${esc(st.tensorShape.join(' x '))}</td><td class="n">${grouped(st.params)}</td><td class="n">${grouped(st.macs)}</td></tr>`,
  );
  // The SVG goes inline: drop its XML prolog and doctype.
  const inline = svg.slice(Math.max(0, svg.indexOf('<svg')));
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${esc(s.model)}: densec graph (${level})</title>
<style>${style}</style>
</head>
<body>
<h1>${esc(s.model)}</h1>
${claim ? `<p class="claim">${esc(claim.relation)} &ldquo;${esc(claim.paper)}&rdquo;</p>` : ''}
<table class="totals">
${totals.map(([k, v]) => `<tr><th>${esc(k)}</th><td class="n">${esc(v)}</td></tr>`).join('\n')}
</table>
<table class="stages">
<tr><th>Stage</th><th>Output shape</th><th>Parameters</th><th>MACs</th></tr>
${stageRows.join('\n')}
</table>
<div class="graph">
${inline}
</div>
</body>
</html>
`;
}

/** A page for a picture without an IR behind it (an ONNX file): the title, one line, the SVG. */
export function svgPage(title: string, line: string, svg: string): string {
  const inline = svg.slice(Math.max(0, svg.indexOf('<svg')));
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${esc(title)}: densec graph</title>
<style>${style}</style>
</head>
<body>
<h1>${esc(title)}</h1>
<p class="claim">${esc(line)}</p>
<div class="graph">
${inline}
</div>
</body>
</html>
`;
}
