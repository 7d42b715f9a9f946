// Hover: on a name, its declaration and value; on a model, its Table 1 (the `inspect` summary);
// on a claim, the paper model's figures; on a statement, its output shape, parameters and MACs.
import type { Hover, Position } from 'vscode-languageserver';
import { MarkupKind } from 'vscode-languageserver';
import type { Claim, ModelDecl } from '../ast/nodes.js';
import { summarize } from '../ir/summary.js';
import { paperModel, paperModels } from '../verify/paper.js';
import { contains, offsetAt, rangeOf } from './convert.js';
import { countText, shapeText, statementFigures } from './figures.js';
import { linkAt, targetSpan, type Target } from './names.js';
import { valueOf, valueText } from './values.js';
import { statementAt, view, type FileView } from './view.js';
import type { Workspace } from './workspace.js';

export function hover(ws: Workspace, name: string, position: Position): Hover | null {
  const v = view(ws, name);
  if (!v) return null;
  const offset = offsetAt(v.source, position);
  const markdown = (value: string, span: { start: number; end: number }): Hover => ({
    contents: { kind: MarkupKind.Markdown, value },
    range: rangeOf(v.source, { file: name, ...span }),
  });

  const link = linkAt(v.links, offset);
  if (link?.target?.kind === 'model') return markdown(modelText(v, link.target.decl), link.span);
  if (link?.target) return markdown(nameText(ws, link.target), link.span);
  const claim = claimAt(v, offset);
  if (claim) return markdown(claimText(claim), claim.span);
  const stmt = statementAt(v.loaded, offset);
  if (stmt && stmt.kind !== 'let') {
    const f = statementFigures(ws, stmt.span);
    if (!f) return null;
    const rows = f.stages.length > 1 || stmt.kind === 'dense' || stmt.kind === 'block' || stmt.kind === 'transition'
      ? ['', '| stage | output size | params | MACs |', '| --- | --- | ---: | ---: |', ...f.stages.map((s) => `| ${s.label} | ${shapeText(s.shape)} | ${countText(s.counts.learnable)} | ${countText(s.counts.macs)} |`)]
      : [];
    const lines = [
      `**${shapeText(f.shape)}** · ${countText(f.counts.learnable)} params · ${countText(f.counts.bnRunningStats)} BN running stats · ${countText(f.counts.macs)} MACs`,
      ...rows,
      '',
      `in \`${f.model.spec.name}\` (${f.analysis.entry.split('/').pop()})`,
    ];
    return markdown(lines.join('\n'), stmt.span);
  }
  return null;
}

function claimAt(v: FileView, offset: number): Claim | undefined {
  for (const d of v.loaded.ast.decls) if (d.kind === 'model' && d.claim && contains(d.claim.span, offset)) return d.claim;
  return undefined;
}

function nameText(ws: Workspace, t: Target): string {
  const span = targetSpan(t);
  if (t.kind === 'file') {
    const source = ws.source(t.path);
    if (!source) return `file \`${t.path}\` (not found)`;
    const decls = ws.parsed(source).file.decls.flatMap((d) => (d.kind === 'family' || d.kind === 'const' ? [`${d.kind} \`${d.name.name}\``] : []));
    return [`file \`${t.path}\``, '', ...(decls.length > 0 ? [`brings ${decls.join(', ')}`] : [])].join('\n');
  }
  const source = ws.source(span.file);
  const decl = t.kind === 'const' || t.kind === 'family' || t.kind === 'model' ? t.decl.span : t.kind === 'param' ? t.param.span : t.stmt.span;
  const header = source?.text.slice(decl.start, decl.end).split('\n')[0] ?? '';
  const what = t.kind === 'param' ? `parameter of \`${t.family.name.name}\`` : t.kind === 'let' ? 'local constant' : t.kind === 'const' ? 'constant' : t.kind;
  const lines = ['```dense', header, '```', what];
  if (t.kind !== 'family') {
    const value = valueOf(ws, t);
    if (value) lines.push('', `= **${valueText(value.value)}**${value.model ? ` in \`${value.model}\`` : ''}`);
  }
  return lines.join('\n');
}

/** The `inspect` summary of a model: Table 1 with parameters and MACs, then totals. */
function modelText(v: FileView, decl: ModelDecl): string {
  const model = v.analysis.models.find((m) => m.spec.span.file === decl.span.file && m.spec.span.start === decl.span.start);
  if (!model?.graph) return `model \`${decl.name.name}\` (no figures: it has errors)`;
  const s = summarize(model.graph, { claim: model.spec.claim });
  return [
    `model **${s.model}**${s.claim ? ` (${s.claim.relation} "${s.claim.paper}")` : ''}, input ${s.input.join(' x ')}`,
    '',
    '| stage | output size | params | MACs |',
    '| --- | --- | ---: | ---: |',
    ...s.rows.map((r) => `| ${r.name} | ${shapeText(r.shape)} | ${countText(r.counts.learnable)} | ${countText(r.counts.macs)} |`),
    '',
    `${countText(s.total.learnable)} learnable parameters, ${countText(s.total.bnRunningStats)} BN running statistics, ${countText(s.total.macs)} MACs`,
  ].join('\n');
}

function claimText(c: Claim): string {
  const p = paperModel(c.paper);
  if (!p) return `"${c.paper}" is not a model of the paper; known: ${paperModels.map((m) => `"${m.name}"`).join(', ')}`;
  const stem = `${p.stem.kernel}x${p.stem.kernel} conv, stride ${p.stem.stride}, ${p.stem.channels} channels${p.stem.bnRelu ? ', BN-ReLU' : ''}${p.stem.maxpool ? ', 3x3 max pool stride 2' : ''}`;
  return [
    `**${p.name}** (${p.source}) — \`${c.relation}\`: ${c.relation === 'is' ? 'verify fails on a difference' : 'verify reports the differences'}`,
    '',
    `- input ${p.input.join(' x ')}`,
    `- stem: ${stem}`,
    `- blocks [${p.blocks.join(', ')}], growth k = ${p.growth}${p.bottleneck ? ', bottleneck 4k' : ''}, compression ${p.compression}`,
    `- classes ${p.classes.join(' or ')}${p.params ? `, ${p.params} parameters (Table 2)` : ''}`,
    `- output sizes: ${Object.entries(p.outputSizes).map(([stage, size]) => `${stage} ${size}x${size}`).join(', ')}`,
  ].join('\n');
}
