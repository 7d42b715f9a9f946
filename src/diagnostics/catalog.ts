// The one catalog of diagnostic messages. One code per message; `{name}` placeholders are filled
// from the arguments given to `diagnostic()`. Messages: lowercase, no trailing period,
// identifiers in backticks. Every code has a test of its rendered text (test/diagnostics).
//
// Ranges: D01 lexical, D02 syntax, D03 names and declarations, D04 values and clauses,
// D05 shapes and limits, D06 compile options and emission, D07 weight import,
// D08 runtime and execution providers, D09 files and tools.

export interface Entry {
  readonly severity: 'error' | 'warning';
  readonly message: string;
  readonly label?: string;
  readonly help?: string;
}

export const catalog = {
  // D01 lexical ---------------------------------------------------------------------------------
  D0101: {
    severity: 'error',
    message: 'unexpected character `{char}`',
    label: 'not part of the .dense language',
    help: 'remove it; comments start with `#`',
  },
  D0102: {
    severity: 'error',
    message: 'unterminated string',
    label: 'this string has no closing `"` on its line',
    help: 'close it with `"`; a string cannot span lines',
  },
  D0103: {
    severity: 'error',
    message: 'malformed number `{text}`',
    label: 'not a number',
    help: '{fix}',
  },

  // D02 syntax ----------------------------------------------------------------------------------
  D0201: {
    severity: 'error',
    message: 'expected {expected}, found {found}',
    label: 'unexpected here',
    help: 'see grammar/dense.ebnf for the syntax',
  },
  D0202: {
    severity: 'error',
    message: 'expected a declaration, found {found}',
    label: 'not a declaration',
    help: 'a file holds `use "file.dense"`, `const name = value`, `family name(params) { ... }` and `model name = family(args)` declarations',
  },
  D0203: {
    severity: 'error',
    message: 'expected a statement, found {found}',
    label: 'not a statement',
    help: 'statements are `input`, `conv`, `bn`, `relu`, `maxpool`, `avgpool`, `dropout`, `linear`, `softmax`, `dense`, `block`, `transition` and `let`, one per line',
  },
  D0204: {
    severity: 'error',
    message: 'expected an expression, found {found}',
    label: 'expected a value here',
    help: 'a value is a number, a name, a list like `[6, 12]`, or arithmetic on them',
  },
  D0205: {
    severity: 'error',
    message: 'unexpected end of file, expected {expected}',
    label: 'the file ends here',
    help: 'the file ends in the middle of a declaration; check for a missing `}` or `)`',
  },

  D0230: {
    severity: 'error',
    message: 'expression nested deeper than {limit} levels',
    label: 'this bracket opens one level too many',
    help: 'name the inner part with `const` or `let`; the limit keeps the parser inside its stack',
  },
  D0231: {
    severity: 'error',
    message: 'expression longer than {limit} operators',
    label: 'this operator is one too many',
    help: 'split it into named parts with `const` or `let`; the limit keeps the checker inside its stack',
  },

  // D03 names and declarations ------------------------------------------------------------------
  D0301: {
    severity: 'error',
    message: 'unknown name `{name}`',
    label: 'not declared',
    help: 'declare it with `const` or `let`, or make it a family parameter',
  },
  D0302: {
    severity: 'error',
    message: 'unknown family `{name}`',
    label: 'no family has this name',
    help: 'declare it with `family {name}(...) { ... }` or `use` the file that does',
  },
  D0303: {
    severity: 'error',
    message: '`{name}` is declared twice',
    label: 'declared again here',
    help: 'give one of them another name',
  },
  D0304: {
    severity: 'error',
    message: 'parameter `{name}` appears twice in family `{family}`',
    label: 'repeated parameter',
    help: 'give each parameter its own name',
  },
  D0305: {
    severity: 'error',
    message: 'missing argument `{name}` for family `{family}`',
    label: 'no value for `{name}`',
    help: 'pass it, e.g. `{family}({name} = ...)`, or give the parameter a default',
  },
  D0306: {
    severity: 'error',
    message: 'family `{family}` has no parameter `{name}`',
    label: 'unknown argument',
    help: '`{family}` takes: {params}',
  },
  D0307: {
    severity: 'error',
    message: 'argument `{name}` is given twice',
    label: 'given again here',
    help: 'remove one of them',
  },
  D0308: {
    severity: 'error',
    message: 'family `{family}` takes {count} arguments, found {found}',
    label: 'one argument too many',
    help: '`{family}` takes: {params}',
  },
  D0309: {
    severity: 'error',
    message: 'positional argument after a named one',
    label: 'needs a name',
    help: 'put positional arguments first, or name this one: `param = value`',
  },
  D0310: {
    severity: 'warning',
    message: '`{name}` is never used',
    label: 'unused {what}',
    help: 'remove it, or use it',
  },
  D0311: {
    severity: 'error',
    message: '`{name}` is defined in terms of itself',
    label: 'refers back to `{name}`',
    help: 'a constant cannot depend on its own value',
  },
  D0312: {
    severity: 'error',
    message: '`{name}` is a family, not a value',
    label: 'a family here',
    help: 'families are instantiated only by `model name = {name}(...)`',
  },

  // D04 values and clauses ----------------------------------------------------------------------
  D0401: {
    severity: 'error',
    message: 'expected {expected}, found {found}',
    label: 'this is {found}',
    help: '{hint}',
  },
  D0402: {
    severity: 'error',
    message: 'division by zero',
    label: 'this is 0',
    help: 'divide by a value other than 0',
  },
  D0403: {
    severity: 'error',
    message: 'index {index} is out of range for a list of {length}',
    label: 'out of range',
    help: 'indexes start at 0; the last item of this list is at {last}',
  },
  D0404: {
    severity: 'error',
    message: 'unknown clause `{name}` for `{stmt}`',
    label: 'not a clause of `{stmt}`',
    help: '`{stmt}` takes: {clauses}',
  },
  D0405: {
    severity: 'error',
    message: 'clause `{name}` is given twice',
    label: 'given again here',
    help: 'keep one of them',
  },
  D0406: {
    severity: 'error',
    message: 'clause `{name}` needs a value',
    label: 'no value',
    help: 'write e.g. `{example}`',
  },
  D0407: {
    severity: 'error',
    message: 'clause `{name}` takes no value',
    label: 'remove this value',
    help: '`{name}` is a flag: write just `{name}`',
  },
  D0408: {
    severity: 'error',
    message: '`{stmt}` needs `{name}`',
    label: 'no `{name}` here',
    help: 'add it, e.g. `{example}`',
  },
  D0409: {
    severity: 'error',
    message: '{what} must be a positive integer, found {value}',
    label: 'not a positive integer',
    help: 'write a whole number of 1 or more',
  },
  D0410: {
    severity: 'error',
    message: '{what} must be a non-negative integer, found {value}',
    label: 'not a whole number of 0 or more',
    help: 'write 0 for no padding',
  },
  D0480: {
    severity: 'error',
    message: 'a pool pads {pad} on a side of a kernel of {kernel}: its padding must be smaller than its kernel',
    label: 'ONNX pooling (and onnxruntime) refuses a window that can lie wholly in the padding',
    help: 'use a padding below the kernel size; half the kernel, rounded down, keeps the size at stride 1',
  },
  D0411: {
    severity: 'error',
    message: 'compression must be in (0, 1], found {value}',
    label: 'a transition keeps floor(theta * m) of its m channels',
    help: 'DenseNet-C uses 0.5; write 1 for no compression',
  },
  D0412: {
    severity: 'error',
    message: 'dropout rate must be in [0, 1), found {value}',
    label: 'the fraction of activations dropped in training',
    help: 'the paper uses 0.2 for C10 and C100 without augmentation; write 0 for none',
  },
  D0413: {
    severity: 'error',
    message: '`{name}` has {found} but `dense` makes {count} {what}',
    label: 'one value per {one}',
    help: 'give one value per {one}, or a single number for all of them',
  },
  D0414: {
    severity: 'error',
    message: 'depth {depth} does not fit {blocks} blocks: ({depth} - {blocks} - 1) / ({blocks} * {convs}) = {result} is not a whole number of layers',
    label: 'depth L of a network with N blocks and c convs per layer: L = N * c * layers + N + 1',
    help: 'use a depth such as {near}',
  },
  D0415: {
    severity: 'error',
    message: '`dense` takes either `layers` or `depth`, not both',
    label: 'remove one of these',
    help: '`layers [6, 12, 24, 16]` lists the layers per block; `depth 100 blocks 3` derives them',
  },
  D0416: {
    severity: 'error',
    message: '`{name}` has no `input`',
    label: 'no `input` statement',
    help: 'start the body with the input shape, e.g. `input 3 x 224 x 224`',
  },
  D0417: {
    severity: 'error',
    message: '`input` must be the first statement, once',
    label: 'not the first statement',
    help: 'keep one `input` and put it before everything else',
  },
  D0418: {
    severity: 'error',
    message: '`{name}` has no dense block',
    label: 'no `dense` or `block` statement',
    help: 'add e.g. `dense layers [6, 12, 24, 16] growth 32`',
  },
  D0419: {
    severity: 'error',
    message: '`{stmt}` needs {count} sizes, found {found}',
    label: '{found} given',
    help: 'write e.g. `{example}`',
  },
  D0420: {
    severity: 'error',
    message: 'a `transition` must follow a dense block',
    label: 'no block before this transition',
    help: 'put a `block` (or `dense`) before it; a transition compresses a block\'s output',
  },

  D0430: {
    severity: 'error',
    message: 'the paper has no model named "{paper}"',
    label: '{hint}',
    help: 'a claim names one of {names}',
  },

  // D05 shapes and limits -----------------------------------------------------------------------
  D0501: {
    severity: 'error',
    message: '{what} reduces the feature map from {from} to {to}',
    label: 'no pixels are left after this',
    help: 'the input is {input}; use a larger input or fewer layers that downsample',
  },
  D0502: {
    severity: 'error',
    message: '{what} makes a tensor of {elements} elements, more than the {limit} a runtime can index',
    label: 'output shape {shape}',
    help: 'ONNX runtimes index tensors with 32-bit integers; reduce the input size or the channels',
  },
  D0503: {
    severity: 'error',
    message: '{what} needs a parameter tensor of {bytes} bytes, more than one ONNX initializer can hold ({limit})',
    label: '`{tensor}` has shape {shape}',
    help: 'a protobuf field holds at most 2^31 - 1 bytes; reduce the channels or the kernel',
  },
  D0505: {
    severity: 'error',
    message: '`linear` needs a flat input, found a {shape} feature map',
    label: 'applied to an unpooled feature map',
    help: 'add `avgpool global` before `linear`',
  },
  D0506: {
    severity: 'error',
    message: '`softmax` must be the last layer of a model',
    label: '`{next}` follows it',
    help: 'move `softmax` to the end, or remove it',
  },
  D0507: {
    severity: 'error',
    message: '{what} needs a feature map (channels x height x width), found a flat vector of {features}',
    label: 'its input was flattened by an earlier `linear`',
    help: 'layers that work on feature maps must come before `linear`',
  },
  D0508: {
    severity: 'error',
    message: 'transition {index} keeps no channels: floor({compression} * {channels}) is 0',
    label: 'compression {compression} of {channels} channels',
    help: 'a transition keeps floor(theta * m) of its m channels; raise the compression',
  },
  D0509: {
    severity: 'error',
    message: 'dense block {index} is too deep to lower: its {layers} layers concatenate {inputs} feature maps, more than {limit}',
    label: 'each layer concatenates all earlier feature maps',
    help: 'use fewer layers per block, or more blocks',
  },

  // D06 compile options and emission ------------------------------------------------------------
  D0601: {
    severity: 'error',
    message: 'opset {opset} is not supported',
    help: 'densec emits ONNX opsets {min} to {max}; the default, {default}, is read by onnx 1.12 and every current onnxruntime',
  },
  D0602: {
    severity: 'error',
    message: '`{file}` declares no model',
    help: 'add a `model name = family(...)` declaration; files that only declare families are libraries for `use`',
  },
  D0603: {
    severity: 'error',
    message: '`{file}` declares {count} models; choose one',
    help: 'models here: {names}; pick one with {option}',
  },
  D0604: {
    severity: 'error',
    message: 'no model named `{name}` in `{file}`',
    help: 'models here: {names}',
  },
  D0605: {
    severity: 'error',
    message: 'the output `{path}` is a file this command reads',
    help: 'densec never writes over its inputs (the spec, the files it `use`s, weights, images, models); choose another path',
  },
  D0606: {
    severity: 'warning',
    message: 'the weights of `{model}` ({size}) exceed the 2 GB protobuf limit; they go to the external data file `{file}`',
    help: 'keep the two files together: the model refers to its data file by a relative path',
  },
  D0607: {
    severity: 'error',
    message: '{option} must be {expected}, found `{value}`',
    help: '{see}',
  },
  D0608: {
    severity: 'error',
    message: '`-o` names one file but `{file}` declares {count} models',
    help: 'pick one with `--model <name>`, or leave out `-o` to write `<out>/<name>.onnx` for each',
  },
  D0609: {
    severity: 'error',
    message: 'cannot write `{path}`: {reason}',
    help: 'check that the directory exists and is writable; nothing was left behind',
  },
  D0610: {
    severity: 'error',
    message: '`{option}` does not apply to an ONNX model: `{file}` runs as it is',
    help: 'model choice, optimization level and weights are compile options of a .dense spec; onnxruntime runs a .onnx file (`--runtime ort`)',
  },
  D0690: {
    severity: 'error',
    message: '`{option}` does not apply to an ONNX file: `{file}` is drawn as it is, every op',
    help: 'model choice and -O are options of a .dense spec: draw the spec (`densec graph spec.dense -O0`), or compile it at that level and draw the file',
  },
  D0691: {
    severity: 'error',
    message: 'cannot draw `{file}`: {reason}',
    help: '`densec graph` draws a .dense spec or an ONNX model file (`.onnx`)',
  },
  D0660: {
    severity: 'error',
    message: '`densec verify` without files verifies `specs/*.dense`, but there is no `specs/` folder in `{cwd}`',
    help: 'name the .dense files to verify, for example the zoo installed with densec: `densec verify {example}`',
  },

  // D07 weight import ---------------------------------------------------------------------------
  D0630: {
    severity: 'error',
    message: '{subject} needs {needed} {what}, more than the limit of {limit}',
    help: 'checked before any work; raise it with the environment variable `{env}` if this machine has the resources',
  },
  D0631: {
    severity: 'error',
    message: 'cannot write `{path}`: it is {kind}, not a regular file',
    help: 'densec replaces only regular files; give the path of a file',
  },
  D0632: {
    severity: 'error',
    message: 'the external data `{data}` does not belong to `{model}`: {reason}',
    help: 'the two files come from different compiles (one interrupted between them?); compile the model again',
  },

  D0633: {
    severity: 'error',
    message: '`{file}` is not an ONNX model: {reason}',
    help: '`densec run` takes a .dense spec or an ONNX model file',
  },
  D0634: {
    severity: 'error',
    message: '`{model}` is stamped with opset {opset}, which onnxruntime does not support',
    help: 'onnxruntime here supports ai.onnx opsets up to {max}; export the model at one of those (densec compile --opset 13..21)',
  },

  D0701: {
    severity: 'error',
    message: '`{file}` is not a valid safetensors file: {reason}',
    help: 'a safetensors file is an 8-byte header length, a JSON header and raw little-endian data; save one with `safetensors.torch.save_file(model.state_dict(), path)`',
  },
  D0702: {
    severity: 'error',
    message: 'missing weight `{name}` (expected {expected})',
    label: 'this layer needs `{name}`',
    help: 'the weights file has no tensor of that name: was it saved from the same architecture?',
  },
  D0703: {
    severity: 'error',
    message: 'weight `{name}` has shape {found}, expected {expected}',
    label: 'this layer makes `{name}` {expected}',
    help: 'the weights were saved from a model with other sizes: compare the growth rate, bottleneck, compression and block sizes',
  },
  D0704: {
    severity: 'error',
    message: 'weight `{name}` has dtype {found}, expected float32',
    label: 'this layer computes in float32',
    help: 'float16 and bfloat16 are widened exactly; convert other types with `model.float()` before saving',
  },
  D0705: {
    severity: 'warning',
    message: 'unused tensor `{name}` in `{file}`',
    help: 'no layer of the model has this name; it is ignored',
  },
  D0706: {
    severity: 'error',
    message: 'weight `{name}` appears twice in `{file}`, as `{first}` and `{second}`',
    help: 'legacy torchvision names such as `norm.1.weight` are read as `norm1.weight`: keep one of the two',
  },
  D0707: {
    severity: 'error',
    message: '`{file}` is not a valid ONNX model: {reason}',
    help: 'weights can be read from the initializers of an ONNX model or from a safetensors file',
  },
  D0708: {
    severity: 'error',
    message: 'initializer `{name}` in `{file}` cannot be read: {reason}',
    help: 'densec reads initializers stored inside the model (raw_data or typed fields), not external data files',
  },
  D0709: {
    severity: 'error',
    message: 'cannot read the weights file `{path}`: {reason}',
    help: 'give a safetensors file (a torch state dict) or an ONNX model whose initializers carry the same names',
  },
  D0760: {
    severity: 'error',
    message: 'the weights in `{file}` do not fit `{model}`: {problems}',
    help: 'nothing was written; `--weights-partial` loads the tensors that fit and keeps the rest seeded',
  },
  D0761: {
    severity: 'warning',
    message: 'stripped the prefix `{prefix}` that all {count} tensor names in `{file}` share',
    help: 'checkpoints saved from `torch.nn.DataParallel` or a training wrapper put `module.` or `model.` before every name; densec reads them without it',
  },
  D0762: {
    severity: 'warning',
    message: 'loaded {imported} of {total} parameter tensors from `{file}`; {seeded} stay seeded ({reasons})',
    help: 'with `--weights-partial` the tensors that fit are loaded and the others keep their seeded values, as torch\'s `load_state_dict(strict=False)`',
  },
  D0763: {
    severity: 'warning',
    message: 'stays seeded: {reason}',
    help: 'loaded with `--weights-partial`: this parameter keeps its seeded value',
  },
  D0730: {
    severity: 'warning',
    message: '{count} tensor(s) of `{file}` hold NaN or infinite values: {names}',
    help: 'the model will compute NaN; check how the file was saved, or pass `--strict` to refuse it',
  },
  D0731: {
    severity: 'error',
    message: '{count} tensor(s) of `{file}` hold NaN or infinite values: {names}',
    help: '`--strict` refuses weights that are not all finite; check how the file was saved',
  },
  D0751: {
    severity: 'error',
    message: '`{file}` is not a PNG, JPEG or WebP image',
    help: 'densec reads PNG, JPEG and WebP files (told by their first bytes, not their names); convert other formats first',
  },
  D0752: {
    severity: 'error',
    message: 'cannot decode `{file}` as {format}: {reason}',
    help: 'the file may be truncated or damaged; open it in an image viewer to check',
  },
  D0753: {
    severity: 'error',
    message: '`{file}` gives 3 color channels but model `{model}` takes {channels}',
    help: 'images feed models whose input is `input 3 x H x W`',
  },
  D0754: {
    severity: 'error',
    message: 'cannot read the image `{path}`: {reason}',
    help: 'check the path; densec reads PNG, JPEG and WebP files',
  },

  // D08 runtime and execution providers ---------------------------------------------------------
  D0801: {
    severity: 'error',
    message: 'no WebGPU adapter: this machine has no GPU with a Vulkan driver',
    help: 'run on a machine with a GPU and its Vulkan driver, or use `--ep cpu`',
  },
  D0802: {
    severity: 'error',
    message: "the CUDA execution provider's libraries are not installed",
    help: 'on a CUDA 12 machine with network access, reinstall with `ONNXRUNTIME_NODE_INSTALL=cuda12 npm ci`; or use `--ep cpu`',
  },
  D0803: {
    severity: 'error',
    message: 'the CUDA execution provider could not start: no usable NVIDIA GPU or driver',
    help: 'check the GPU and its CUDA 12 driver with `nvidia-smi`; or use `--ep cpu`',
  },
  D0804: {
    severity: 'error',
    message: 'the WebGPU execution provider could not start',
    help: 'check the GPU and its Vulkan driver (`vulkaninfo`); or use `--ep cpu`',
  },
  D0805: {
    severity: 'error',
    message: 'onnxruntime could not load the model `{model}` on {ep}',
    help: 'if the model has external data, keep its `.onnx.data` file beside it; otherwise this is a densec bug: please report it',
  },
  D0806: {
    severity: 'error',
    message: 'onnxruntime failed while running the model `{model}` on {ep}',
    help: 'try `--ep cpu`; if that fails too, this is a densec bug: please report it',
  },
  D0807: {
    severity: 'error',
    message: "OpenCV's DNN module is not available: `{python}` {reason}",
    help: 'install OpenCV for that Python (`pip install opencv-python-headless numpy`, or Debian\'s `apt-get install python3-opencv`), or name another interpreter with `--python`',
  },
  D0808: {
    severity: 'error',
    message: 'OpenCV could not load or run the model `{model}`',
    help: 'OpenCV DNN lacks some ONNX operators and types (float16 initializers in 4.6, say); `densec compile --target opencv` writes the forms it reads; otherwise this is a densec bug: please report it',
  },
  D0809: {
    severity: 'error',
    message: "onnxruntime's activation peak of `{model}` could not be measured, so `--objective memory` has nothing to choose by",
    help: "`densec plan --concat none` gives densec's own plan of the least-memory form; `--objective time` tunes for speed without the peaks",
  },

  D0860: {
    severity: 'error',
    message: '`{file}` keeps initializer `{name}` in `{location}`, outside the model\'s folder',
    help: 'densec lets a model read external data only from its own folder: keep the .onnx.data file beside the model and name it by a relative path',
  },

  // D09 files and tools -------------------------------------------------------------------------
  D0901: {
    severity: 'error',
    message: 'cannot read `{path}`: {reason}',
    help: 'check the path; specs are .dense files',
  },
  D0902: {
    severity: 'error',
    message: 'cannot find `{path}`',
    label: 'no such file',
    help: '`use` paths are relative to the file that says them',
  },
  D0903: {
    severity: 'error',
    message: '`use` cycle: {cycle}',
    label: 'this `use` closes the cycle',
    help: 'move what both files need into a third file that both can `use`',
  },
  D0930: {
    severity: 'error',
    message: 'cannot read `{path}`: {reason}',
    label: 'this `use`',
    help: 'a `use` names a regular .dense file',
  },
  D0931: {
    severity: 'error',
    message: '`use` chain deeper than {limit} files',
    label: 'this `use` is {depth} files deep',
    help: 'flatten the chain: a file may `use` several files',
  },
} as const satisfies Record<string, Entry>;

export type Code = keyof typeof catalog;
