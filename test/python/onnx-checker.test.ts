// onnx's own checker (full_check) and shape inference on every model densec emits for the specs,
// plus hand graphs with every op kind (both forms of the fused node, stage outputs, external
// data). Needs the reference Python (scripts/python.ts) with onnx; skipped, saying why, when `import onnx` fails.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { compileAll } from '../../src/index.js';
import { emitOnnx } from '../../src/emit/onnx.js';
import { python, pythonLacks } from '../../scripts/python.js';
import { everyOp } from '../emit/graphs.js';

const script = path.join(import.meta.dirname, 'check_models.py');
const skipReason = pythonLacks(['onnx'], ['python3-onnx']);
if (skipReason) console.warn(`test/python skipped: ${skipReason}`);

let dir: string;
const readFile = (p: string): string | undefined => (fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : undefined);

interface Checked {
  path: string;
  ok: boolean;
  compared?: number;
  error?: string;
  mismatches?: unknown[];
}

function check(paths: string[]): Checked[] {
  const r = spawnSync(python, [script, ...paths], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const lines = r.stdout.trim().split('\n').filter(Boolean);
  return lines.map((l) => JSON.parse(l) as Checked);
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'densec-python-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe.skipIf(skipReason !== undefined)('onnx.checker and onnx shape inference', () => {
  test('every spec model (-O2, -O2 with concat none, -O0) passes check_model(full_check=True) and its value_info matches inference', () => {
    const paths: string[] = [];
    const specs = fs.readdirSync('specs').filter((f) => f.endsWith('.dense')).map((f) => path.join('specs', f));
    const builds = [{ optLevel: 2 }, { optLevel: 2, concat: 'none' }, { optLevel: 0 }] as const;
    for (const file of specs) {
      for (const build of builds) {
        const r = compileAll(fs.readFileSync(file, 'utf8'), { fileName: file, readFile, ...build });
        expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        for (const m of r.models) {
          const p = path.join(dir, `${m.name}-O${build.optLevel}${'concat' in build ? `-${build.concat}` : ''}.onnx`);
          fs.writeFileSync(p, m.model);
          paths.push(p);
        }
      }
      // Check as we go, so that no more than one spec's models sit in the temporary folder.
      const results = check(paths.splice(0));
      for (const r of results) expect(r, r.path).toMatchObject({ ok: true });
      for (const r of results) expect(r.compared).toBeGreaterThan(10);
      for (const f of fs.readdirSync(dir)) fs.rmSync(path.join(dir, f));
    }
  });

  test('hand graphs: every op kind, both fused forms, dropout as Identity, stage outputs, external data', () => {
    const variants = {
      bn: emitOnnx(everyOp(), { stageOutputs: true }),
      affine: emitOnnx(everyOp(), { fusedForm: 'affine', dropout: 'identity' }),
      logits: emitOnnx(everyOp(), { head: 'logits', opset: 13 }),
      external: emitOnnx(everyOp(), { externalData: true, externalDataLocation: 'external.onnx.data' }),
    };
    const paths = Object.entries(variants).map(([name, e]) => {
      const p = path.join(dir, `${name}.onnx`);
      fs.writeFileSync(p, e.model);
      if (e.externalData) fs.writeFileSync(path.join(dir, e.externalData.location), e.externalData.bytes);
      return p;
    });
    for (const r of check(paths)) expect(r, r.path).toMatchObject({ ok: true });
  });
});
