// readNodeTypes (src/emit/decode.ts) scans the wire format for op types; protobufjs's full decode
// of the same bytes is the oracle, on graphs of any nodes with fields around and inside them.
import fc from 'fast-check';
import onnxProto from 'onnx-proto';
import { describe, expect, test } from 'vitest';
import { readNodeTypes } from '../../src/emit/decode.js';
import { emitOnnx } from '../../src/emit/onnx.js';
import { everyOp } from './graphs.js';

const { onnx } = onnxProto;
const decoded = (bytes: Uint8Array): string[] => (onnx.GraphProto.decode(bytes).node as onnxProto.onnx.NodeProto[]).map((n) => n.opType);

const attribute = fc.oneof(
  fc.record({ name: fc.string(), type: fc.constant(onnx.AttributeProto.AttributeType.INT), i: fc.integer() }),
  fc.record({ name: fc.string(), type: fc.constant(onnx.AttributeProto.AttributeType.FLOAT), f: fc.float({ noNaN: true }) }),
  fc.record({ name: fc.string(), type: fc.constant(onnx.AttributeProto.AttributeType.INTS), ints: fc.array(fc.integer({ min: -(2 ** 40), max: 2 ** 40 })) }),
  fc.record({ name: fc.string(), type: fc.constant(onnx.AttributeProto.AttributeType.STRING), s: fc.uint8Array({ maxLength: 200, size: 'max' }) }),
);
const node = fc.record({
  opType: fc.string({ unit: 'grapheme', maxLength: 20 }),
  name: fc.string({ maxLength: 300, size: 'max' }),
  input: fc.array(fc.string(), { maxLength: 4 }),
  output: fc.array(fc.string(), { maxLength: 2 }),
  attribute: fc.array(attribute, { maxLength: 3 }),
  domain: fc.string({ maxLength: 5 }),
});
const graph = fc.record({
  node: fc.array(node, { maxLength: 12 }),
  name: fc.string(),
  docString: fc.string({ maxLength: 400, size: 'max' }),
  initializer: fc.array(fc.record({ name: fc.string(), dims: fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 3 }), dataType: fc.constant(1), rawData: fc.uint8Array({ maxLength: 64 }) }), { maxLength: 3 }),
});

describe('readNodeTypes', () => {
  test('gives the op types protobufjs decodes, in order, from any graph', () => {
    fc.assert(
      fc.property(graph, (g) => {
        const bytes = onnx.GraphProto.encode(onnx.GraphProto.fromObject(g)).finish();
        expect(readNodeTypes(bytes)).toEqual(decoded(bytes));
      }),
      { numRuns: 300 },
    );
  });

  test("gives an emitted model's node list as protobufjs decodes it", () => {
    const e = emitOnnx(everyOp(), {});
    expect(readNodeTypes(e.nodePart)).toEqual(decoded(e.nodePart));
    expect(readNodeTypes(e.nodePart).length).toBe((onnx.ModelProto.decode(e.model).graph!.node ?? []).length);
  });

  test('refuses bytes cut inside a field', () => {
    const bytes = onnx.GraphProto.encode({ node: [{ opType: 'Conv', name: 'n' }] }).finish();
    expect(() => readNodeTypes(bytes.subarray(0, bytes.length - 1))).toThrow(/truncated/);
  });
});
