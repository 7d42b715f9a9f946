// Small graphs built by hand for the pass tests, with seeded parameter data.
import type { BnParams, ConvParams, Dims, Graph, Op, Pair, Tensor, Value } from '../../../src/ir/graph.js';
import { addNode, createGraph, elementCount } from '../../../src/ir/graph.js';
import { noSpan } from '../../../src/diagnostics/span.js';
import { Rng } from '../../../src/ir/weights.js';

/** A tensor of `shape` with values uniform in [lo, hi). */
export function tensor(rng: Rng, shape: Dims, lo = -1, hi = 1): Tensor {
  const data = new Float32Array(elementCount(shape));
  for (let i = 0; i < data.length; i++) data[i] = rng.range(lo, hi);
  return { shape, data };
}

export interface ConvOptions {
  readonly k?: number;
  readonly stride?: number;
  readonly pad?: number;
  readonly out: number;
  readonly bias?: boolean;
}

/** Builds a graph node by node; `at(stage, scope)` sets where the next nodes belong. */
export class Builder {
  readonly g: Graph;
  readonly rng: Rng;
  private stage: string;
  private scope = 'n';
  private count = 0;

  constructor(inputShape: Dims, seed = 1, stages: readonly string[] = ['dense_block_1']) {
    this.stage = stages[0];
    this.g = createGraph('test', inputShape, stages.map((name) => ({ name, label: name, span: noSpan })));
    this.rng = new Rng(seed);
  }

  get input(): Value {
    return this.g.input;
  }

  at(stage: string, scope?: string): this {
    this.stage = stage;
    if (scope !== undefined) this.scope = scope;
    return this;
  }

  node(op: Op, inputs: Value[], scope?: string): Value {
    const name = scope ?? `${this.scope}.${op.kind}${this.count++}`;
    const v = addNode(this.g, op, inputs, { span: noSpan, scope: name, stage: this.stage }).output;
    this.g.output = v;
    return v;
  }

  convParams(inChannels: number, o: ConvOptions): ConvParams {
    const k = o.k ?? 1;
    const pair = (n: number): Pair => [n, n];
    return {
      kernel: pair(k),
      stride: pair(o.stride ?? 1),
      pad: pair(o.pad ?? 0),
      outChannels: o.out,
      weight: tensor(this.rng, [o.out, inChannels, k, k], -0.5, 0.5),
      bias: o.bias ? tensor(this.rng, [o.out]) : undefined,
    };
  }

  /** BatchNorm parameters with non-trivial statistics. */
  bnParams(channels: number): BnParams {
    return {
      eps: 1e-5,
      gamma: tensor(this.rng, [channels], 0.5, 1.5),
      beta: tensor(this.rng, [channels], -0.5, 0.5),
      mean: tensor(this.rng, [channels], -0.5, 0.5),
      var: tensor(this.rng, [channels], 0.5, 1.5),
    };
  }

  conv(x: Value, o: ConvOptions, scope?: string): Value {
    return this.node({ kind: 'conv', ...this.convParams(x.shape[0], o) }, [x], scope);
  }

  bn(x: Value, scope?: string): Value {
    return this.node({ kind: 'batchnorm', ...this.bnParams(x.shape[0]) }, [x], scope);
  }

  relu(x: Value, scope?: string): Value {
    return this.node({ kind: 'relu' }, [x], scope);
  }

  pool(kind: 'maxpool' | 'avgpool', x: Value, k: number, stride = k, pad = 0, scope?: string): Value {
    return this.node({ kind, kernel: [k, k], stride: [stride, stride], pad: [pad, pad] }, [x], scope);
  }

  concat(xs: Value[], scope?: string): Value {
    return this.node({ kind: 'concat' }, xs, scope);
  }

  dropout(x: Value, rate = 0.2): Value {
    return this.node({ kind: 'dropout', rate }, [x]);
  }

  head(x: Value, classes: number): Value {
    const pooled = this.node({ kind: 'globalavgpool' }, [x]);
    const flat = this.node({ kind: 'flatten' }, [pooled]);
    const features = flat.shape[0];
    return this.node({ kind: 'linear', outFeatures: classes, weight: tensor(this.rng, [classes, features]), bias: tensor(this.rng, [classes]) }, [flat]);
  }
}

/** The op kinds of a graph's nodes, in order: the shape of a graph at a glance. */
export function kinds(g: Graph): string[] {
  return g.nodes.map((n) => n.op.kind);
}

export function randomInput(g: Graph, seed = 7): Float64Array {
  const rng = new Rng(seed, 'input');
  const x = new Float64Array(elementCount(g.input.shape));
  for (let i = 0; i < x.length; i++) x[i] = rng.range(-2, 2);
  return x;
}
