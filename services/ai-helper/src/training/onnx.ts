/**
 * ONNX export of the two models with onnx-proto (IR 8, opset 13, `ai.onnx` ops only), so
 * onnxruntime-node runs exactly the arithmetic of ./nn.ts's forward passes:
 *  - recommender: features [N,F] → (x - mean) / std → [Gemm → Relu] → Gemm → Sigmoid → score [N,1]
 *  - forecast:    features [N,F] → (x - mean) / std → Gemm (W [F,K], b [K]) → -Softplus → CumSum → Exp → survival [N,K]
 * The bytes depend only on the parameters: the same training gives the same file.
 */
import onnxPkg from 'onnx-proto';
import type { HazardParams, ScorerParams, Standardiser } from './nn.ts';

const { onnx } = onnxPkg;
type AttributeProto = InstanceType<typeof onnx.AttributeProto>;
type GraphInit = Parameters<typeof onnx.GraphProto.create>[0];
const FLOAT = onnx.TensorProto.DataType.FLOAT;
const INT64 = onnx.TensorProto.DataType.INT64;

const floatTensor = (name: string, dims: number[], values: readonly number[]) => onnx.TensorProto.create({ name, dims, dataType: FLOAT, floatData: [...values] });
const node = (opType: string, input: string[], output: string[], attribute: AttributeProto[] = []) =>
  onnx.NodeProto.create({ opType, input, output, name: output[0], attribute });
const valueInfo = (name: string, dims: Array<number | string>) =>
  onnx.ValueInfoProto.create({
    name,
    type: {
      tensorType: {
        elemType: FLOAT,
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  });
const intAttr = (name: string, i: number) => onnx.AttributeProto.create({ name, type: onnx.AttributeProto.AttributeType.INT, i });

function model(graph: GraphInit, docString: string): Uint8Array {
  const m = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'goorm-ai-helper',
    producerVersion: '1',
    docString,
    opsetImport: [{ domain: '', version: 13 }],
    graph,
  });
  return onnx.ModelProto.encode(m).finish();
}

const standardiseNodes = (s: Standardiser, features: number) => ({
  initializer: [floatTensor('mean', [1, features], s.mean), floatTensor('std', [1, features], s.std)],
  node: [node('Sub', ['features', 'mean'], ['centred']), node('Div', ['centred', 'std'], ['z'])],
});

export function exportScorer(p: ScorerParams, featureNames: readonly string[]): Uint8Array {
  const f = featureNames.length;
  const std = standardiseNodes(p.standardiser, f);
  const initializer = [...std.initializer];
  const nodes = [...std.node];
  let last = 'z';
  if (p.kind === 'mlp') {
    const h = p.w1.length;
    initializer.push(floatTensor('w1', [h, f], p.w1.flat()), floatTensor('b1', [h], p.b1));
    nodes.push(node('Gemm', ['z', 'w1', 'b1'], ['hidden_linear'], [intAttr('transB', 1)]), node('Relu', ['hidden_linear'], ['hidden']));
    last = 'hidden';
  }
  initializer.push(floatTensor('w2', [1, p.w2.length], p.w2), floatTensor('b2', [1], [p.b2]));
  nodes.push(node('Gemm', [last, 'w2', 'b2'], ['logit'], [intAttr('transB', 1)]), node('Sigmoid', ['logit'], ['score']));
  return model(
    {
      name: 'recommender',
      node: nodes,
      initializer,
      input: [valueInfo('features', ['N', f])],
      output: [valueInfo('score', ['N', 1])],
      docString: `features: ${featureNames.join(', ')}`,
    },
    'Goorm section recommender: P(student carts section | features)',
  );
}

export function exportHazard(p: HazardParams, featureNames: readonly string[]): Uint8Array {
  const f = featureNames.length;
  const k = p.b.length;
  const std = standardiseNodes(p.standardiser, f);
  return model(
    {
      name: 'forecast',
      node: [
        ...std.node,
        node('Gemm', ['z', 'w', 'b'], ['logits']),
        node('Softplus', ['logits'], ['neg_log_survive']),
        node('Neg', ['neg_log_survive'], ['log_survive']),
        node('CumSum', ['log_survive', 'axis'], ['log_survival']),
        node('Exp', ['log_survival'], ['survival']),
      ],
      initializer: [
        ...std.initializer,
        floatTensor('w', [f, k], p.w.flat()),
        floatTensor('b', [k], p.b),
        onnx.TensorProto.create({ name: 'axis', dims: [], dataType: INT64, int64Data: [1] }),
      ],
      input: [valueInfo('features', ['N', f])],
      output: [valueInfo('survival', ['N', k])],
      docString: `features: ${featureNames.join(', ')}; survival[:, k] = P(not full by bin edge k)`,
    },
    'Goorm seat-competition forecast: discrete-time hazard of a section filling',
  );
}
