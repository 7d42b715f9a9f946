// The reference executor: runs a graph inside ONE ArrayBuffer laid out by a memory plan. Every
// tensor and every kernel's scratch is a range of that buffer at the plan's offsets; views
// (eliminated concats, dropout, flatten) cost nothing, and a layer's conv writes its k channels
// straight into the dense block's buffer.
//
// Checking mode (`poison`): the arena starts as NaN, and as soon as a value dies by the plan's
// liveness, the bytes no other live value of the plan covers are filled with NaN again, as is a
// kernel's scratch after its step. A plan that frees or reuses a range still needed then shows
// as NaN (or a wrong number) in the output instead of passing by luck.
import type { Graph, Node, Value, BnParams } from '../../ir/graph.js';
import { elementCount, exhaustive } from '../../ir/graph.js';
import type { MemoryPlan, Placement } from '../../plan/plan.js';
import { concatOffsets } from '../../plan/views.js';
import { conv2d, type PreActivation } from './conv.js';
import { add, bnScaleShift, channelAffine, copy, globalAveragePool, linear, pool, relu, softmax } from './kernels.js';
import type { View } from './tensor.js';

export interface ExecuteOptions {
  readonly poison?: boolean;
  /** Record the time of every node. */
  readonly profile?: boolean;
}

export interface ExecuteResult {
  /** [batch, ...output shape], samples one after another. */
  readonly shape: number[];
  readonly output: Float32Array;
  readonly ms: number;
  /** With `profile`: milliseconds per node, in node order. */
  readonly nodeMs?: number[];
}

const bnCache = new WeakMap<BnParams, PreActivation>();
const scaleShift = (bn: BnParams): PreActivation => {
  let hit = bnCache.get(bn);
  if (!hit) bnCache.set(bn, (hit = bnScaleShift(bn)));
  return hit;
};

export function execute(g: Graph, plan: MemoryPlan, input: Float32Array, options: ExecuteOptions = {}): ExecuteResult {
  const { batch } = plan;
  const arena = new Float32Array(plan.arenaBytes / 4);
  if (options.poison) arena.fill(NaN);
  const view = (v: Value): View => {
    const p = plan.placement.get(v)!;
    return { data: arena, offset: p.offset / 4, sampleStride: p.sampleStride, shape: v.shape };
  };
  const inputElements = elementCount(g.input.shape);
  if (input.length !== batch * inputElements) throw new Error(`input has ${input.length} elements, expected ${batch} x ${inputElements}`);
  const x0 = view(g.input);
  for (let n = 0; n < batch; n++) arena.set(input.subarray(n * inputElements, (n + 1) * inputElements), x0.offset + n * x0.sampleStride);

  const poisoner = options.poison ? new Poisoner(g, plan, arena) : undefined;
  poisoner?.afterStep(0);
  const nodeMs: number[] = [];
  const start = performance.now();
  for (const node of g.nodes) {
    const t0 = options.profile ? performance.now() : 0;
    run(node, plan, view, batch);
    if (options.profile) nodeMs.push(performance.now() - t0);
    poisoner?.afterStep(plan.liveness.stepOf.get(node)!);
  }
  const ms = performance.now() - start;

  const y = view(g.output);
  const elements = elementCount(g.output.shape);
  const output = new Float32Array(batch * elements);
  for (let n = 0; n < batch; n++) output.set(arena.subarray(y.offset + n * y.sampleStride, y.offset + n * y.sampleStride + elements), n * elements);
  return { shape: [batch, ...g.output.shape], output, ms, ...(options.profile ? { nodeMs } : {}) };
}

function run(node: Node, plan: MemoryPlan, view: (v: Value) => View, batch: number): void {
  const mode = plan.layout.mode.get(node) ?? { kind: 'write' };
  if (mode.kind === 'view') return;
  const x = view(node.inputs[0]);
  const y = view(node.output);
  const scratch = () => plan.workspace.get(node)!.offset / 4;
  const op = node.op;
  switch (op.kind) {
    case 'conv':
      return conv2d(x, y, op, batch, scratch());
    case 'bnReluConv':
      return conv2d(x, y, op.conv, batch, scratch(), scaleShift(op.bn));
    case 'batchnorm': {
      const { scale, shift } = scaleShift(op);
      return channelAffine(x, y, batch, scale, shift);
    }
    case 'affine':
      return channelAffine(x, y, batch, op.scale.data!, op.shift.data!);
    case 'relu':
      return relu(x, y, batch, elementCount(x.shape));
    case 'maxpool':
      return pool('max', x, y, batch, op);
    case 'avgpool':
      return pool('avg', x, y, batch, op);
    case 'globalavgpool':
      return globalAveragePool(x, y, batch);
    case 'flatten':
    case 'dropout':
      return copy(x, y, batch, elementCount(x.shape));
    case 'concat': {
      const offsets = concatOffsets(node);
      node.inputs.forEach((input, i) => {
        if (mode.kind === 'copy' && !mode.copied[i]) return;
        copy(view(input), { ...y, offset: y.offset + offsets[i] }, batch, elementCount(input.shape));
      });
      return;
    }
    case 'linear':
      return linear(x, y, batch, op.weight.data!, op.bias?.data, x.shape[0], op.outFeatures);
    case 'softmax':
      return softmax(x, y, batch, elementCount(x.shape));
    case 'add':
      return add(x, view(node.inputs[1]), y, batch, elementCount(x.shape));
    default:
      return exhaustive(op);
  }
}

/** Fills with NaN what dies at each step, except bytes a value still live by the plan covers. */
class Poisoner {
  private readonly dying = new Map<number, Placement[]>();
  private readonly live: { p: Placement; def: number; lastUse: number }[] = [];

  constructor(
    g: Graph,
    private readonly plan: MemoryPlan,
    private readonly arena: Float32Array,
  ) {
    for (const v of plan.liveness.values) {
      const iv = plan.liveness.interval.get(v)!;
      const p = plan.placement.get(v)!;
      this.live.push({ p, ...iv });
      this.dying.set(iv.lastUse, [...(this.dying.get(iv.lastUse) ?? []), p]);
    }
    for (const n of g.nodes) {
      const ws = plan.workspace.get(n);
      const step = plan.liveness.stepOf.get(n)!;
      if (ws) this.dying.set(step, [...(this.dying.get(step) ?? []), ws]);
    }
  }

  afterStep(step: number): void {
    const dead = this.dying.get(step);
    if (!dead) return;
    const keep = this.live.filter((l) => l.def <= step && l.lastUse > step).flatMap((l) => this.ranges(l.p));
    for (const p of dead) for (const [s, e] of this.ranges(p)) this.fill(s, e, keep);
  }

  /** Element ranges [start, end) of a placement, one per sample (scratch: one). */
  private ranges(p: Placement): [number, number][] {
    const samples = p.sampleStride === 0 ? 1 : this.plan.batch;
    const out: [number, number][] = [];
    for (let n = 0; n < samples; n++) {
      const s = p.offset / 4 + n * p.sampleStride;
      out.push([s, s + p.elements]);
    }
    return out;
  }

  private fill(start: number, end: number, keep: readonly [number, number][]): void {
    const cuts = keep.filter(([s, e]) => s < end && e > start).sort((a, b) => a[0] - b[0]);
    let from = start;
    for (const [s, e] of cuts) {
      if (s > from) this.arena.fill(NaN, from, s);
      from = Math.max(from, e);
    }
    if (from < end) this.arena.fill(NaN, from, end);
  }
}
