// onnxruntime WebGPU latency of -O0, -O2 and the peer at batch 1 and 8 (bench/gpu.sh runs it on a
// machine with a GPU). Alternating rounds as bench/latency.ts; ratios round by round.
// Usage: node dist/bench/gpu.js [--models densenet121,densenet169] [--runs 40] [--peer-dir DIR]
// Writes gpu.json and gpu.md under --out (default out/bench).
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileTimed } from './compile.js';
import { measure, type Model } from './latency.js';
import { ratioOf } from './matrix.js';

async function main(argv: string[]): Promise<void> {
  const opt = (name: string, fallback: string): string => {
    const i = argv.indexOf(name);
    return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : fallback;
  };
  const models = opt('--models', 'densenet121,densenet169').split(',');
  const runs = Number(opt('--runs', '40'));
  const out = opt('--out', 'out/bench');
  const peerDir = opt('--peer-dir', join(out, 'peer'));
  mkdirSync(out, { recursive: true });
  const lines = ['# densec on WebGPU (onnxruntime-node)', '', `${new Date().toISOString()}`, ''];
  lines.push('| model | batch | rounds | -O0 ms | -O2 ms | peer ms | -O2 vs -O0 | -O2 vs peer |', '| --- | --- | --- | --- | --- | --- | --- | --- |');
  const results = [];
  for (const model of models) {
    const files: Model[] = [0, 2].map((level) => ({ name: `-O${level}`, file: compileTimed(join('specs', `${model}.dense`), { level: level as 0 | 2, emit: { head: 'logits' } }, out, 1).file }));
    const peer = join(peerDir, `${model}.tv17.onnx`);
    if (existsSync(peer)) files.push({ name: 'peer', file: peer });
    for (const batch of [1, 8]) {
      const rows = await measure(files, [batch, 3, 224, 224], 1, batch === 1 ? runs : Math.ceil(runs / 2), 5, 'webgpu');
      const r = (of: string, over: string): string => {
        const x = ratioOf(rows, of, over);
        return x ? `${x.median.toFixed(3)} (${x.p10.toFixed(3)}-${x.p90.toFixed(3)})` : '';
      };
      const t = (name: string): string => rows.find((x) => x.name === name)?.median.toFixed(2) ?? '';
      lines.push(`| ${model} | ${batch} | ${rows[0].runs} | ${t('-O0')} | ${t('-O2')} | ${t('peer')} | ${r('-O2', '-O0')} | ${r('-O2', 'peer')} |`);
      results.push({ model, batch, rows });
    }
  }
  writeFileSync(join(out, 'gpu.json'), JSON.stringify(results, null, 2) + '\n');
  writeFileSync(join(out, 'gpu.md'), lines.join('\n') + '\n');
  process.stdout.write(lines.join('\n') + '\n');
}

main(process.argv.slice(2)).catch((e: unknown) => {
  process.stderr.write(`gpu bench: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
