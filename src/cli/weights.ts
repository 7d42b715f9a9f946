// Weight-import problems for people. A file of another model makes one diagnostic per tensor
// (densenet121's weights into densenet169: 330), so the text output leads with one summary
// (D0760: how many tensors are missing, of the wrong shape or dtype, unexpected; which zoo model
// the file most resembles, computed by matching it against every spec of the zoo), then at most
// 20 one-line problems and "... and N more"; `--verbose` renders every one with its source line.
// `--json` gives every diagnostic as data, the summary included.
import fs from 'node:fs';
import path from 'node:path';
import { analyze } from '../check/analyze.js';
import { diagnostic, sortDiagnostics, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Sources } from '../diagnostics/render.js';
import { SourceFile } from '../diagnostics/source.js';
import { lower } from '../ir/lower.js';
import { namedParams } from '../weights/names.js';
import { mostSimilar } from '../weights/similar.js';
import type { TensorMap } from '../weights/tensor.js';
import { packagedSpecs, readFileOrUndefined, reportDiagnostics, specsIn, type Terminal } from './io.js';
import { grouped } from '../diagnostics/grouped.js';

/** Per-tensor diagnostics: the ones condensed. */
const perTensor = new Set<string>(['D0702', 'D0703', 'D0704', 'D0705', 'D0763']);
export const shownProblems = 20;

export interface WeightsContext {
  /** The weights file as the user named it. */
  readonly file: string;
  readonly tensors: TensorMap;
  /** What they were loaded into: `--model`'s name, or the spec file. */
  readonly target: string;
  readonly verbose: boolean;
}

interface ZooModel {
  readonly name: string;
  readonly file: string;
  readonly params: ReadonlyMap<string, readonly number[]>;
}

/** Every model of the zoo (the specs/ folder densec ships), with its parameters' names and shapes. */
export function zooModels(dir = packagedSpecs()): ZooModel[] {
  const out: ZooModel[] = [];
  if (!fs.existsSync(dir)) return out;
  for (const file of specsIn(dir)) {
    const text = readFileOrUndefined(file);
    if (text === undefined) continue;
    for (const spec of analyze(new SourceFile(file, text), readFileOrUndefined).models) {
      const { graph } = lower(spec);
      if (graph) out.push({ name: spec.name, file, params: new Map(namedParams(graph).map((p) => [p.name, p.tensor.shape])) });
    }
  }
  return out;
}

const plural = (n: number, one: string, many = `${one}s`): string => `${grouped(n)} ${n === 1 ? one : many}`;

/** D0760 for a file that does not fit: the counts, and the zoo model it most resembles. */
export function weightsSummary(details: readonly Diagnostic[], ctx: WeightsContext, zoo: readonly ZooModel[]): Diagnostic {
  const count = (code: string) => details.filter((d) => d.code === code).length;
  const dtype = count('D0704');
  const problems = [
    `${plural(count('D0702'), 'tensor')} missing`,
    `${grouped(count('D0703'))} of the wrong shape`,
    ...(dtype > 0 ? [`${grouped(dtype)} of the wrong dtype`] : []),
    `${grouped(count('D0705'))} unexpected`,
  ].join(', ');
  const args = { file: ctx.file, model: ctx.target, problems };
  const best = mostSimilar(ctx.tensors, zoo);
  const plain = diagnostic('D0760', undefined, args);
  const like = best
    ? `it most resembles \`${best.name}\` (${path.relative(process.cwd(), best.file) || best.file}): ${grouped(best.resemblance.matched)} of the file's ${plural(best.resemblance.fileTensors, 'tensor')} match that model's ${plural(best.resemblance.modelTensors, 'parameter')} by name and shape`
    : 'it shares no tensor name and shape with any model of the zoo';
  return diagnostic('D0760', undefined, args, { help: `${like}; ${plain.help}` });
}

/** One line: `error[D0702]: missing weight ... (specs/lib/imagenet.dense:9:3)`. */
function terse(d: Diagnostic, sources: Sources): string {
  const file = d.span ? sources(d.span.file) : undefined;
  const at = d.span && file ? (({ line, column }) => ` (${d.span!.file}:${line}:${column})`)(file.position(d.span.start)) : '';
  return `${d.severity}[${d.code}]: ${d.message}${at}`;
}

/**
 * Prints `diagnostics` (errors only with --quiet) with the weight problems condensed as the header
 * says. Without `ctx` (no --weights) it is reportDiagnostics.
 */
export function reportWithWeights(term: Terminal, diagnostics: readonly Diagnostic[], sources: Sources, ctx: WeightsContext | undefined): void {
  const shown = sortDiagnostics(term.quiet ? diagnostics.filter((d) => d.severity === 'error') : diagnostics);
  const details = shown.filter((d) => perTensor.has(d.code));
  if (!ctx || details.length === 0) return reportDiagnostics(term, shown, sources);
  const failed = details.some((d) => d.severity === 'error');
  const summary = failed ? [weightsSummary(details, ctx, zooModels())] : [];
  const others = shown.filter((d) => !perTensor.has(d.code));
  if (term.json || ctx.verbose) return reportDiagnostics(term, [...summary, ...others, ...details], sources);
  reportDiagnostics(term, [...summary, ...others], sources);
  const lines = details.slice(0, shownProblems).map((d) => terse(d, sources));
  if (details.length > shownProblems) lines.push(`... and ${details.length - shownProblems} more (\`--verbose\` shows them all, with their source lines)`);
  term.err(lines.join('\n'));
}
