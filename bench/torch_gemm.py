#!/usr/bin/python3
"""OpenBLAS reference for `pipeline bench gemm`: times torch.mm (which calls the system BLAS, OpenBLAS) on the
shapes given as JSON on stdin and prints JSON on stdout.

stdin:  {"threads": 2, "repeats": 7, "min_seconds": 0.05,
         "shapes": [{"m": 256, "n": 256, "k": 256, "transA": false, "transB": false}, ...]}
stdout: {"torch": "...", "blas": "<loaded library>", "config": "<openblas_get_config()>", "core": "<corename>",
         "threads": 2, "results": [{"seconds": median per call, "gflops": ...}, ...]}

Run it with OPENBLAS_CORETYPE unset: forcing Haswell makes OpenBLAS skip its AVX-512 kernels (about half speed).
"""
import ctypes
import json
import statistics
import sys
import time

import torch


def loaded_blas():
    """The BLAS shared object torch actually mapped, and what OpenBLAS says about itself."""
    with open("/proc/self/maps") as maps:
        paths = {line.split()[-1] for line in maps if "blas" in line.lower() and ".so" in line}
    path = next((p for p in sorted(paths) if "openblas" in p), next(iter(sorted(paths)), ""))
    config = core = ""
    if "openblas" in path:
        lib = ctypes.CDLL(path)
        lib.openblas_get_config.restype = ctypes.c_char_p
        lib.openblas_get_corename.restype = ctypes.c_char_p
        config = lib.openblas_get_config().decode()
        core = lib.openblas_get_corename().decode()
    return path, config, core


def operands(s):
    """op(A) is (m, k) and op(B) is (k, n); a transposed operand is a transposed view of a contiguous tensor,
    which torch hands to sgemm as a transpose flag (no copy), the same layout `Gemm.Multiply` sees."""
    m, n, k = s["m"], s["n"], s["k"]
    a = torch.randn(k, m).t() if s["transA"] else torch.randn(m, k)
    b = torch.randn(n, k).t() if s["transB"] else torch.randn(k, n)
    return a, b, torch.empty(m, n)


def time_shape(s, repeats, min_seconds):
    a, b, c = operands(s)
    torch.mm(a, b, out=c)
    calls = 1
    while True:  # calibrate: enough calls per repeat that the clock and Python overhead are small
        t0 = time.perf_counter()
        for _ in range(calls):
            torch.mm(a, b, out=c)
        if time.perf_counter() - t0 >= min_seconds:
            break
        calls *= 2
    samples = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        for _ in range(calls):
            torch.mm(a, b, out=c)
        samples.append((time.perf_counter() - t0) / calls)
    seconds = statistics.median(samples)
    return {"seconds": seconds, "gflops": 2.0 * s["m"] * s["n"] * s["k"] / seconds / 1e9}


def main():
    req = json.load(sys.stdin)
    torch.set_num_threads(req.get("threads", 2))
    results = [time_shape(s, req.get("repeats", 7), req.get("min_seconds", 0.05)) for s in req["shapes"]]
    path, config, core = loaded_blas()
    json.dump({"torch": torch.__version__, "blas": path, "config": config, "core": core,
               "threads": torch.get_num_threads(), "results": results}, sys.stdout)


if __name__ == "__main__":
    main()
