// Images as torchvision sees them: files written by PIL (pil_images.py: noisy and smooth JPEGs at
// 4:2:0 and 4:4:4, odd sizes, gray, CMYK, RGBA and palette PNGs, WebP) are decoded by densec
// (libvips.ts) and preprocessed (Resize(256), CenterCrop(224), ToTensor, Normalize, with PIL's
// 8-bit resize), and compared with torchvision's own pipeline on PIL's decoding of the same file
// (test/parity/preprocess_reference.py): the decoded pixels must be equal, the tensors within 1e-3
// per element, and a model's top-5 probabilities on the two tensors within 1e-4.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeImageFile } from '../../src/image/libvips.js';
import { preprocess } from '../../src/image/preprocess.js';
import { compile, createSession, runFloat } from '../../src/index.js';
import { readSafetensors } from '../../src/weights/safetensors.js';
import { python, runScript, scratch, torchMissing } from '../parity/python.js';
import { spawnSync } from 'node:child_process';
import type { TensorMap } from '../../src/weights/tensor.js';
import { topK } from '../../src/image/classes.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = fileURLToPath(new URL('../..', import.meta.url));

describe.skipIf(torchMissing !== undefined)(`JPEG, PNG and WebP against PIL and torchvision${torchMissing ? ` (skipped: ${torchMissing})` : ''}`, () => {
  const tmp = scratch();
  const refs = new Map<string, TensorMap>();
  let images: string[] = [];
  afterAll(() => tmp.remove());

  beforeAll(() => {
    const made = spawnSync(python, [join(here, 'pil_images.py'), tmp.dir], { encoding: 'utf8' });
    if (made.status !== 0) throw new Error(`pil_images.py failed: ${made.stderr}`);
    images = readdirSync(tmp.dir).sort();
    runScript('preprocess_reference.py', images.map((f) => join(tmp.dir, f)));
    for (const f of images) {
      const out = join(tmp.dir, `${f}.ref.safetensors`);
      refs.set(f, readSafetensors(readFileSync(out), out).file!.tensors);
    }
  }, 120_000);

  const decoded = async (f: string) => (await decodeImageFile(readFileSync(join(tmp.dir, f)), f)).image!;
  const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
    let m = 0;
    for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
    return m;
  };

  it('decodes every file to the pixels PIL gives (convert("RGB")), CMYK and alpha included', async () => {
    expect(images.length).toBe(9);
    for (const f of images) {
      const image = await decoded(f);
      const ref = refs.get(f)!.get('decoded')!;
      expect([image.height, image.width, 3], f).toEqual(ref.shape);
      expect(maxDiff(image.data, ref.data!), f).toBe(0);
    }
  });

  it("preprocesses to torchvision's tensor within 1e-3 per element", async () => {
    for (const f of images) {
      const ours = preprocess(await decoded(f));
      const ref = refs.get(f)!.get('pil')!;
      expect(ours.shape, f).toEqual(ref.shape);
      expect(maxDiff(ours.data, ref.data!), f).toBeLessThan(1e-3);
    }
  });

  it("gives a model's top-5 probabilities within 1e-4 of torchvision's tensor", async () => {
    // A seeded member of the ImageNet family at 224 x 224 with random BatchNorm statistics, so
    // that its probabilities are far from uniform.
    const spec = `use "${join(root, 'specs/lib/imagenet.dense')}"\nmodel small = imagenet(blocks = [2, 2], k = 8)\n`;
    const r = compile(spec, { fileName: join(tmp.dir, 'small.dense'), readFile: (p) => readFileSync(p, 'utf8'), randomBnStats: true, seed: 3 });
    const opened = await createSession(r.model!, { threads: 1 });
    if (!opened.ok) throw new Error(opened.failure.detail);
    const probabilities = async (data: Float32Array) => [...(await runFloat(opened.session, 'image', data, [1, 3, 224, 224])).values()][0].data;
    try {
      for (const f of images) {
        const ours = await probabilities(preprocess(await decoded(f)).data);
        const theirs = await probabilities(refs.get(f)!.get('pil')!.data!);
        const top = topK(theirs, 5);
        expect(topK(ours, 5).map((t) => t.index), f).toEqual(top.map((t) => t.index));
        for (const t of top) expect(Math.abs(ours[t.index] - t.probability), f).toBeLessThan(1e-4);
      }
    } finally {
      await opened.session.release();
    }
  });
});
