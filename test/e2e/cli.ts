// Runs the built CLI as a user would (`node bin/densec.js ...`, from the repository root).
// test/global-setup.ts builds dist/ once before the suite.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createSession, runFloat } from '../../src/runtime/session.js';

export const root = fileURLToPath(new URL('../..', import.meta.url));

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Standard input and environment overrides (an undefined value unsets the variable). */
export interface CliOptions {
  readonly input?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** Colour off unless `env` says otherwise. */
export function densecWith(args: readonly string[], options: CliOptions = {}): CliResult {
  const env = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '', ...options.env };
  const r = spawnSync(process.execPath, ['bin/densec.js', ...args], { cwd: root, input: options.input, encoding: 'utf8', env });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function densec(...args: string[]): CliResult {
  return densecWith(args);
}

/** A written model's `probabilities` output for `input` of shape `dims`, in onnxruntime CPU. */
export async function probabilitiesOf(file: string, input: Float32Array, dims: readonly number[]): Promise<Float32Array> {
  const opened = await createSession(file, { ep: 'cpu', threads: 1 });
  if (!opened.ok) throw new Error(opened.failure.detail);
  const out = await runFloat(opened.session, 'image', input, dims);
  await opened.session.release();
  return out.get('probabilities')!.data;
}
