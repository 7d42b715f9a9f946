// What the paper claims: the figures densec verifies against, transcribed from
// Huang, Liu, van der Maaten and Weinberger, "Densely Connected Convolutional Networks"
// (CVPR 2017, arXiv:1608.06993), and for DenseNet-161 from torchvision's model definition.
// These are the claims under test, not a table of densec's own outputs.

/** A network as the paper describes it. */
export interface PaperModel {
  /** As a spec's `is`/`like` writes it. */
  readonly name: string;
  readonly source: string;
  readonly input: readonly [number, number, number];
  readonly stem: {
    readonly kernel: number;
    readonly stride: number;
    readonly channels: number;
    /** BN-ReLU after the stem conv (ImageNet), or the conv alone (CIFAR). */
    readonly bnRelu: boolean;
    /** 3x3 max pool, stride 2 (ImageNet). */
    readonly maxpool: boolean;
  };
  readonly blocks: readonly number[];
  readonly growth: number;
  /** 1x1 bottleneck to 4k channels (DenseNet-B). */
  readonly bottleneck: boolean;
  /** Transition compression theta (1 for none). */
  readonly compression: number;
  /** Classes the paper counts parameters for. Table 2 also has a CIFAR-100 column. */
  readonly classes: readonly number[];
  /** Output size (square side) of each Table 1 stage; `classification` is the 1x1 pool. */
  readonly outputSizes: Readonly<Record<string, number>>;
  /** Table 2's rounded parameter count ("1.0M"), where the paper gives one. */
  readonly params?: string;
}

/** Table 1: the output size of each stage at 224x224. */
const imagenetSizes = {
  convolution: 112,
  pooling: 56,
  dense_block_1: 56,
  transition_1: 28,
  dense_block_2: 28,
  transition_2: 14,
  dense_block_3: 14,
  transition_3: 7,
  dense_block_4: 7,
  classification: 1,
};

/** Section 4.2 (CIFAR): three dense blocks on 32x32, 16x16 and 8x8 feature maps. */
const cifarSizes = {
  convolution: 32,
  dense_block_1: 32,
  transition_1: 16,
  dense_block_2: 16,
  transition_2: 8,
  dense_block_3: 8,
  classification: 1,
};

function imagenet(name: string, blocks: readonly number[], growth = 32, stemChannels = 2 * growth, source = 'Table 1'): PaperModel {
  return {
    name,
    source,
    input: [3, 224, 224],
    stem: { kernel: 7, stride: 2, channels: stemChannels, bnRelu: true, maxpool: true },
    blocks,
    growth,
    bottleneck: true,
    compression: 0.5,
    classes: [1000],
    outputSizes: imagenetSizes,
  };
}

/** CIFAR: (L - 4) / 3 layers per block, or (L - 4) / 6 with bottlenecks; 16 or 2k stem channels. */
function cifar(bc: boolean, depth: number, growth: number, params: string): PaperModel {
  const layers = (depth - 4) / (bc ? 6 : 3);
  return {
    name: `${bc ? 'DenseNet-BC' : 'DenseNet'} (L=${depth}, k=${growth})`,
    source: 'Table 2',
    input: [3, 32, 32],
    stem: { kernel: 3, stride: 1, channels: bc ? 2 * growth : 16, bnRelu: false, maxpool: false },
    blocks: [layers, layers, layers],
    growth,
    bottleneck: bc,
    compression: bc ? 0.5 : 1,
    classes: [10, 100],
    outputSizes: cifarSizes,
    params,
  };
}

export const paperModels: readonly PaperModel[] = [
  imagenet('DenseNet-121', [6, 12, 24, 16]),
  imagenet('DenseNet-169', [6, 12, 32, 32]),
  imagenet('DenseNet-201', [6, 12, 48, 32]),
  imagenet('DenseNet-264', [6, 12, 64, 48]),
  imagenet('DenseNet-161', [6, 12, 36, 24], 48, 96, 'torchvision (densenet161)'),
  cifar(false, 40, 12, '1.0M'),
  cifar(false, 100, 12, '7.0M'),
  cifar(false, 100, 24, '27.2M'),
  cifar(true, 100, 12, '0.8M'),
  cifar(true, 250, 24, '15.3M'),
  cifar(true, 190, 40, '25.6M'),
];

/** Looks up a claim's paper name, ignoring case and spaces. */
export function paperModel(name: string): PaperModel | undefined {
  const key = (s: string): string => s.toLowerCase().replace(/\s+/g, '');
  return paperModels.find((m) => key(m.name) === key(name));
}

/** The paper's rounding: millions with one decimal ("0.8M", "27.2M"). */
export function roundedMillions(n: number): string {
  return `${(Math.round(n / 1e5) / 10).toFixed(1)}M`;
}
