#!/usr/bin/env bash
# The GPU check (issue 15, part 6), for a machine with a GPU and a Vulkan driver: verify every
# spec on onnxruntime's WebGPU provider against a CPU run, then WebGPU latency of -O0, -O2 and the
# peer (torchvision's export, when bench/peer.py could make it) at batch 1 and 8.
# Usage: bash bench/gpu.sh [OUT_DIR]   (default out/bench; writes verify-webgpu.txt, gpu.md, gpu.json)
# Untested on a GPU so far: no GPU machine was lent when it was written.
set -u
out="${1:-out/bench}"
mkdir -p "$out"
[ -d node_modules ] || npm ci --no-audit --no-fund
npx tsc -p tsconfig.json || exit 1
python="${DENSEC_PYTHON:-python3}"
if [ ! -f "$out/peer/densenet121.tv17.onnx" ] && "$python" -c 'import torch, torchvision' 2>/dev/null; then
  mkdir -p "$out/peer" && "$python" bench/peer.py "$out/peer" densenet121,densenet169 --opsets 17 > "$out/peer/export.json"
fi
status=0
: > "$out/verify-webgpu.txt"
for spec in specs/*.dense; do
  echo "== $spec" >> "$out/verify-webgpu.txt"
  timeout 300 node bin/densec.js verify "$spec" --ep webgpu --out-dir "$out/verify" >> "$out/verify-webgpu.txt" 2>&1 || status=$?
done
cat "$out/verify-webgpu.txt"
timeout 400 node dist/bench/gpu.js --out "$out" --runs 40 || status=$?
exit $status
