# OpenCV DNN latency for the bench, alternating like bench/latency.ts: after the warm-up rounds,
# each round runs every model once, rotating which goes first. The input is the bench's
# deterministic sin(0.7 i + 0.3), NCHW float32, 224x224.
# Usage: opencv.py BATCH THREADS RUNS WARMUP FILE [FILE...]; prints JSON {"version", "times": [[ms per round] per file]}.
import json
import sys
import time

import cv2
import numpy as np


def main(argv):
    batch, threads, runs, warmup = (int(x) for x in argv[:4])
    files = argv[4:]
    cv2.setNumThreads(threads)
    n = batch * 3 * 224 * 224
    x = np.sin(0.7 * np.arange(n, dtype=np.float64) + 0.3).astype(np.float32).reshape(batch, 3, 224, 224)
    nets = []
    for f in files:
        net = cv2.dnn.readNetFromONNX(f)
        net.setPreferableBackend(cv2.dnn.DNN_BACKEND_OPENCV)
        net.setPreferableTarget(cv2.dnn.DNN_TARGET_CPU)
        nets.append(net)
    times = [[] for _ in files]
    for r in range(-warmup, runs):
        for j in range(len(nets)):
            i = (r % len(nets) + j) % len(nets)
            start = time.perf_counter()
            nets[i].setInput(x)
            nets[i].forward()
            if r >= 0:
                times[i].append(1000 * (time.perf_counter() - start))
    print(json.dumps({"version": cv2.__version__, "times": times}))


if __name__ == "__main__":
    main(sys.argv[1:])
