// The invariants checker: well-formed graphs pass, and each rule catches its own violation and
// names the offending node.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { addNode, type Graph, type Node, type Op, type Value } from '../../src/ir/graph.js';
import { checkInvariants } from '../../src/ir/invariants.js';
import { lower } from '../../src/ir/lower.js';
import { graphCounts } from '../../src/ir/counts.js';
import { at, dense, head, model } from './handmade.js';

/** A small DenseNet-BC: stem conv, two blocks of two layers, head. */
function small(): Graph {
  const layers = [
    { kind: 'conv' as const, kernel: [3, 3] as const, stride: [1, 1] as const, pad: [1, 1] as const, out: 8, bias: false, span: at(1) },
    ...dense({ blocks: [2, 2], growth: 4, bottleneck: 16, compression: 0.5 }),
    ...head(10),
  ];
  return lower(model('small', [3, 8, 8], layers)).graph!;
}

const find = (g: Graph, scope: string): Node => g.nodes.find((n) => n.scope === scope)!;
/** Replaces a node's op (ops are immutable values; passes swap them the same way). */
const setOp = (n: Node, op: Op) => void (n.op = op);

describe('checkInvariants', () => {
  test('accepts lowered graphs', () => {
    expect(checkInvariants(small())).toEqual([]);
  });

  const cases: Array<[string, (g: Graph) => void, RegExp]> = [
    ['1: repeated ids', (g) => void ((g.nodes[3] as { id: number }).id = g.nodes[2].id), /^invariant 1: node \d+ \(conv, `features\.denseblock1\.denselayer1\.conv1`\): id \d+ is used twice/],
    ['2: a use before its definition', (g) => void ([g.nodes[1], g.nodes[2]] = [g.nodes[2], g.nodes[1]]), /^invariant 2: node \d+ \(relu, `features\.denseblock1\.denselayer1\.relu1`\): reads value \d+, which is defined later, by node \d+ \(batchnorm/],
    ['3: a wrong producer', (g) => void (g.nodes[4].output.producer = g.nodes[5]), /^invariant 3: node \d+ \(batchnorm, `features\.denseblock1\.denselayer1\.norm2`\): its output \d+ names another producer/],
    ['4: a missing user', (g) => void (g.nodes[1].inputs[0].users = []), /^invariant 4: node \d+ \(batchnorm, `features\.denseblock1\.denselayer1\.norm1`\): reads value \d+ but is not among its users/],
    ['5: a relu with two inputs', (g) => { const relu = g.nodes[2]; relu.inputs.push(g.input); g.input.users.push(relu); }, /^invariant 5: node \d+ \(relu, `features\.denseblock1\.denselayer1\.relu1`\): has 2 inputs/],
    ['6: a wrong output shape', (g) => void (find(g, 'features.transition1.pool').output.shape = [8, 8, 8]), /^invariant 6: node \d+ \(avgpool, `features\.transition1\.pool`\): output shape \[8,8,8\], but inferShape gives \[8,4,4\]/],
    ['7: a weight that does not fit the input', (g) => {
      const n = find(g, 'features.denseblock1.denselayer1.conv1');
      if (n.op.kind === 'conv') setOp(n, { ...n.op, weight: { shape: [16, 9, 1, 1], data: undefined } });
    }, /^invariant 7: node \d+ \(conv, `features\.denseblock1\.denselayer1\.conv1`\): weight has shape \[16,9,1,1\], expected \[16,8,1,1\]/],
    ['7: data of the wrong length', (g) => {
      const n = find(g, 'features.norm5');
      if (n.op.kind === 'batchnorm') n.op.gamma.data = new Float32Array(3);
    }, /^invariant 7: node \d+ \(batchnorm, `features\.norm5`\): weight has 3 values for shape \[\d+\]/],
    ['8: a dropout rate of 1.5', (g) => {
      const relu = find(g, 'features.relu5');
      const drop = addNode(g, { kind: 'dropout', rate: 1.5 }, [relu.output], { span: at(), scope: 'features.dropout', stage: 'classification' }, g.nodes.indexOf(relu) + 1);
      const pool = find(g, 'features.pool5');
      pool.inputs = [drop.output];
      relu.output.users = relu.output.users.filter((u) => u !== pool);
      drop.output.users.push(pool);
    }, /^invariant 8: node \d+ \(dropout, `features\.dropout`\): rate 1.5 is not in \[0, 1\)/],
    ['9: an output from nowhere', (g) => void (g.output = { id: 9999, shape: [10], producer: undefined, users: [] }), /^invariant 9: the graph output \(value 9999\) is not produced by a node of the graph/],
    ['10: a dangling node', (g) => void addNode(g, { kind: 'relu' }, [g.nodes[0].output], { span: at(), scope: 'extra', stage: 'convolution' }, 1), /^invariant 10: node \d+ \(relu, `extra`\): its output is never used/],
    ['11: an unknown stage', (g) => void ((g.nodes[0] as { stage: string }).stage = 'stem'), /^invariant 11: node \d+ \(conv, `features\.conv0`\): its stage `stem` is not in g.stages/],
    ['11: stages out of order', (g) => void ((g.nodes[0] as { stage: string }).stage = 'classification'), /^invariant 11: node \d+ \(batchnorm, `features\.denseblock1\.denselayer1\.norm1`\): its stage `dense_block_1` comes after a node of stage `classification`/],
    ['12: two convs with one scope', (g) => void ((find(g, 'features.transition1.conv') as { scope: string }).scope = 'features.conv0'), /^invariant 12: node \d+ \(conv, `features\.conv0`\): shares its scope with node \d+ \(conv, `features\.conv0`\)/],
  ];

  test.each(cases)('reports rule %s', (_, breakIt, message) => {
    const g = small();
    breakIt(g);
    const found = checkInvariants(g);
    expect(found.length).toBeGreaterThan(0);
    expect(found.some((m) => message.test(m)), found.join('\n')).toBe(true);
  });

  test('holds, and counts match a closed form, for random DenseNet configurations', () => {
    const config = fc.record({
      stem: fc.integer({ min: 1, max: 24 }),
      size: fc.integer({ min: 8, max: 40 }),
      blocks: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 3 }),
      growth: fc.integer({ min: 1, max: 16 }),
      bottleneck: fc.option(fc.integer({ min: 1, max: 32 }), { nil: undefined }),
      compression: fc.constantFrom(0.25, 0.5, 0.75, 1),
      dropout: fc.constantFrom(0, 0.2),
      classes: fc.integer({ min: 1, max: 100 }),
    });
    fc.assert(
      fc.property(config, (c) => {
        const stem = { kind: 'conv' as const, kernel: [3, 3] as const, stride: [1, 1] as const, pad: [1, 1] as const, out: c.stem, bias: true, span: at(1) };
        const spec = model('random', [3, c.size, c.size], [stem, ...dense({ ...c }), ...head(c.classes)]);
        const { graph, diagnostics } = lower(spec);
        // Closed form: conv 3x3 stem with bias, per layer BN + (1x1 + BN) + 3x3, per transition BN + 1x1.
        let m = c.stem;
        let starved = false;
        let learnable = 3 * 9 * c.stem + c.stem;
        c.blocks.forEach((layers, i) => {
          for (let l = 0; l < layers; l++, m += c.growth) {
            const b = c.bottleneck;
            learnable += 2 * m + (b === undefined ? m * 9 * c.growth : m * b + 2 * b + b * 9 * c.growth);
          }
          if (i < c.blocks.length - 1) {
            const out = Math.floor(c.compression * m);
            starved ||= out < 1;
            learnable += 2 * m + m * out;
            m = out;
          }
        });
        learnable += 2 * m + m * c.classes + c.classes;
        if (starved) {
          expect(diagnostics.map((d) => d.code)).toEqual(['D0508']);
          return;
        }
        expect(diagnostics).toEqual([]);
        expect(checkInvariants(graph!)).toEqual([]);
        expect(graphCounts(graph!).total.learnable).toBe(learnable);
      }),
      { numRuns: 100 },
    );
  });
});
