"""Runs ONNX models in OpenCV's DNN module (cv2.dnn.readNetFromONNX), for densec's OpenCV test.

Reads a JSON manifest (argv[1]): a list of {"model", "input", "shape", "output"}; `input` is raw
little-endian float32 of `shape` (NCHW). For each: load, set the input, forward, write the first
output as raw float32 to `output`. Prints one JSON line per model: ok, output shape, load and
forward seconds, or the error. Exit 3 when `import cv2` fails (the caller skips, saying why).
"""
import json
import sys
import time

try:
    import cv2
    import numpy as np
except Exception as e:  # noqa: BLE001 - any import failure means "no OpenCV here"
    print(json.dumps({"skip": f"import cv2 failed: {e}"}))
    sys.exit(3)


def run(entry):
    result = {"model": entry["model"], "opencv": cv2.__version__}
    try:
        t0 = time.perf_counter()
        net = cv2.dnn.readNetFromONNX(entry["model"])
        t1 = time.perf_counter()
        x = np.fromfile(entry["input"], dtype="<f4").reshape(entry["shape"])
        net.setInput(x)
        y = net.forward()
        t2 = time.perf_counter()
        np.ascontiguousarray(y, dtype="<f4").tofile(entry["output"])
        result.update(ok=True, shape=list(y.shape), load_s=round(t1 - t0, 3), forward_s=round(t2 - t1, 3))
    except Exception as e:  # noqa: BLE001 - report any OpenCV failure as data
        result.update(ok=False, error=f"{type(e).__name__}: {e}"[:1500])
    return result


def main():
    cv2.setNumThreads(1)
    with open(sys.argv[1]) as f:
        entries = json.load(f)
    for entry in entries:
        print(json.dumps(run(entry)), flush=True)


if __name__ == "__main__":
    main()
