// Inlay hints: Table 1's "Output size" column at the end of each statement's line, and per dense
// block and transition its parameters and MACs; after a model, its output and totals. A family's
// first line names the model its figures come from (figures.ts says which).
import type { InlayHint, InlayHintLabelPart, Range } from 'vscode-languageserver';
import { InlayHintKind } from 'vscode-languageserver';
import type { Stmt } from '../ast/nodes.js';
import type { SourceFile } from '../diagnostics/source.js';
import { countsOf, countText, shapeText, shortText, stageShort, statementFigures, type StageFigures } from './figures.js';
import { offsetAt, positionAt } from './convert.js';
import type { Workspace } from './workspace.js';
import { view } from './view.js';

/** The offset at the end of the line that holds `offset`. */
function lineEnd(source: SourceFile, offset: number): number {
  return source.offset(source.position(offset).line, Number.MAX_SAFE_INTEGER);
}

const figuresText = (s: StageFigures): string => `${shapeText(s.shape)} · ${countText(s.counts.learnable)} params · ${shortText(s.counts.macs)} MACs`;

export function inlayHints(ws: Workspace, name: string, range?: Range): InlayHint[] {
  const v = view(ws, name);
  if (!v) return [];
  const from = range ? offsetAt(v.source, range.start) : 0;
  const to = range ? offsetAt(v.source, range.end) : v.source.text.length;
  const hints: InlayHint[] = [];
  const at = (offset: number, label: string | InlayHintLabelPart[], tooltip?: string): void => {
    if (offset < from || offset > to) return;
    hints.push({ position: positionAt(v.source, lineEnd(v.source, offset)), label, kind: InlayHintKind.Type, paddingLeft: true, ...(tooltip ? { tooltip } : {}) });
  };

  for (const d of v.loaded.ast.decls) {
    if (d.kind === 'model') {
      const model = v.analysis.models.find((m) => m.spec.span.start === d.span.start && m.spec.span.file === d.span.file);
      if (model?.graph && d.call) {
        const total = countsOf(model.graph).total;
        at(d.span.end, `${shapeText(model.graph.output.shape)} · ${countText(total.learnable)} params · ${shortText(total.macs)} MACs`);
      }
    }
    if (d.kind !== 'family' && !(d.kind === 'model' && d.body)) continue;
    const body = d.kind === 'family' ? d.body : d.body!;
    let from: string | undefined;
    for (const s of body) {
      const hint = statementHint(ws, s);
      if (!hint) continue;
      from ??= hint.model;
      at(s.span.end, hint.label);
    }
    if (d.kind === 'family' && from) at(d.span.start, `figures of \`${from}\``, 'the figures in this family are those of this model; open another spec that uses it to see its own');
  }
  return hints;
}

function statementHint(ws: Workspace, s: Stmt): { model: string; label: string | InlayHintLabelPart[] } | undefined {
  if (s.kind === 'let' || s.kind === 'input') return undefined;
  const f = statementFigures(ws, s.span);
  if (!f) return undefined;
  const model = f.model.spec.name;
  if (s.kind === 'block' || s.kind === 'transition') return { model, label: figuresText(f.stages[f.stages.length - 1]) };
  if (s.kind !== 'dense') return { model, label: shapeText(f.shape) };
  const parts = f.stages.flatMap((stage, i): InlayHintLabelPart[] => [
    ...(i > 0 ? [{ value: '   ' }] : []),
    { value: `${stageShort(stage.stage)} ${figuresText(stage)}`, tooltip: `${stage.label}: ${countText(stage.counts.learnable)} parameters, ${countText(stage.counts.macs)} MACs` },
  ]);
  return { model, label: parts };
}
