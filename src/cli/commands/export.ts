// `densec export <spec> --to pytorch`: the spec's models (or --model) as one Python file that
// defines a torch.nn module per model with torchvision's module names (export/pytorch.ts), to
// out/<spec>.py (out/<model>.py with --model) or -o. Written atomically; never over the spec.
import fs from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';
import { diagnostic, sortDiagnostics } from '../../diagnostics/diagnostic.js';
import { toJson } from '../../diagnostics/render.js';
import { sha256Hex } from '../../emit/sha256.js';
import { functionNames, toPytorch } from '../../export/pytorch.js';
import { version } from '../../version.js';
import { Exit } from '../exit.js';
import { fail, reportDiagnostics, terminal, writeOutput } from '../io.js';
import { action, modelOption, reporting, type Outcome } from '../program.js';
import { lowerSpecFile } from '../spec.js';

interface ExportOptions {
  readonly to: 'pytorch';
  readonly output?: string;
  readonly model?: string;
  readonly json?: boolean;
  readonly quiet?: boolean;
  readonly color?: boolean;
}

export function register(program: Command, outcome: Outcome): void {
  const cmd = program
    .command('export')
    .description("write a spec's models as a PyTorch file (torch.nn modules with torchvision's names) to train them")
    .argument('<spec>', 'a .dense file')
    .addOption(new Option('--to <framework>', 'the framework to write for').choices(['pytorch']).default('pytorch'))
    .option('-o, --output <file>', 'the .py file to write (default: out/<spec>.py, or out/<model>.py with --model)')
    .addOption(modelOption());
  reporting(cmd).action(action(outcome, (spec: string, options: ExportOptions) => exportCommand(spec, options)));
}

/** As compile's check: the output must not be the spec itself (D0605). */
function sameFile(a: string, b: string): boolean {
  const real = (p: string): string => (fs.existsSync(p) ? fs.realpathSync(p) : path.resolve(p));
  return real(a) === real(b);
}

function exportCommand(file: string, options: ExportOptions): number {
  const term = terminal(options);
  const started = performance.now();
  const stem = options.model ?? path.basename(file).replace(/\.dense$/, '');
  const target = options.output ?? path.join('out', `${stem}.py`);
  if (sameFile(target, file)) return fail(term, [diagnostic('D0605', undefined, { path: target })], () => undefined, Exit.usage);
  const loaded = lowerSpecFile(term, file, options.model);
  if (typeof loaded === 'number') return loaded;
  const python = toPytorch(loaded.models, { file, sha256: sha256Hex(loaded.text), version });
  if (!writeOutput(term, target, python)) return Exit.usage;
  const seconds = (performance.now() - started) / 1000;

  const warnings = term.quiet ? [] : sortDiagnostics(loaded.warnings);
  const names = functionNames(loaded.models);
  if (term.json) {
    const models = loaded.models.map((m, i) => ({ name: m.spec.name, function: names[i] }));
    term.out(JSON.stringify({ path: target, to: options.to, models, bytes: Buffer.byteLength(python), seconds, diagnostics: toJson(warnings, loaded.sources) }, null, 2));
    return Exit.ok;
  }
  reportDiagnostics(term, warnings, loaded.sources);
  if (!term.quiet) {
    const lines = python.split('\n').length - 1;
    term.out(`wrote ${target} (${names.map((n) => `${n}()`).join(', ')}; ${lines} lines, PyTorch) in ${seconds.toFixed(2)} s`);
  }
  return Exit.ok;
}
