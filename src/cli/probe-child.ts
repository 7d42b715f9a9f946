// Run by probe.ts in a child process: opens a tiny model on one execution provider and prints
// whether it started, as JSON on stdout. The provider's native libraries (Dawn, Mesa's Vulkan)
// print to this process's stderr, which the parent captures instead of showing the user.
import { compile } from '../index.js';
import { createSession, type Ep } from '../runtime/session.js';

const spec = 'model probe {\n  input 3 x 8 x 8\n  conv 1x1 out 4\n  dense layers [1] growth 2\n  avgpool global\n  linear 2\n}\n';
const ep = process.argv[2] as Ep;
const compiled = compile(spec, { fileName: 'probe.dense', readFile: () => undefined });
if (!compiled.model) throw new Error('the probe spec does not compile');
const opened = await createSession(compiled.model, { ep, name: 'probe' });
if (opened.ok) await opened.session.release();
process.stdout.write(JSON.stringify(opened.ok ? { ok: true } : { ok: false, detail: opened.failure.detail }));
