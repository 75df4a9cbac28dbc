#!/usr/bin/python3
"""OpenBLAS reference for `pipeline bench gemm`, timed by the same run that times the C# kernel.

A line protocol on stdin/stdout, so the benchmark can interleave the two (ours, theirs, ours, ...) and both see
the same machine load:
  first line out: {"torch": ..., "blas": "<BLAS library mapped>", "config": "<openblas_get_config()>",
                   "core": "<openblas_get_corename()>", "threads": 2}
  each line in:   {"m": 2048, "n": 128, "k": 128, "transA": false, "transB": true, "min_seconds": 0.05}
  each line out:  {"seconds": <per call>, "calls": <calls timed>}   (one sample; the caller takes the median)

torch.mm calls the system BLAS (Debian: libopenblas0-openmp through libblas.so.3). Run it with OPENBLAS_CORETYPE
unset: forcing Haswell makes OpenBLAS skip its AVX-512 kernels (about half speed).
"""
import ctypes
import json
import sys
import time

import torch


def loaded_blas():
    """The BLAS shared object this process mapped, and what OpenBLAS says about itself."""
    with open("/proc/self/maps") as maps:
        paths = sorted({line.split()[-1] for line in maps if "blas" in line.lower() and ".so" in line})
    path = next((p for p in paths if "openblas" in p), paths[0] if paths else "")
    config = core = ""
    try:
        lib = ctypes.CDLL(path)
        lib.openblas_get_config.restype = ctypes.c_char_p
        lib.openblas_get_corename.restype = ctypes.c_char_p
        config = lib.openblas_get_config().decode()
        core = lib.openblas_get_corename().decode()
    except (OSError, AttributeError):
        pass  # not OpenBLAS: the benchmark reports the blank core name
    return path, config, core


def operands(m, n, k, trans_a, trans_b):
    """op(A) is (m, k) and op(B) is (k, n); a transposed operand is a transposed view of a contiguous tensor,
    which torch hands to sgemm as a transpose flag (no copy): the layout Gemm.Multiply sees."""
    a = torch.randn(k, m).t() if trans_a else torch.randn(m, k)
    b = torch.randn(n, k).t() if trans_b else torch.randn(k, n)
    return a, b, torch.empty(m, n)


def sample(a, b, c, calls):
    t0 = time.perf_counter()
    for _ in range(calls):
        torch.mm(a, b, out=c)
    return time.perf_counter() - t0


def main():
    torch.set_num_threads(int(sys.argv[1]) if len(sys.argv) > 1 else 2)
    torch.mm(torch.ones(64, 64), torch.ones(64, 64))  # maps the BLAS library and starts its threads
    path, config, core = loaded_blas()
    print(json.dumps({"torch": torch.__version__, "blas": path, "config": config, "core": core,
                      "threads": torch.get_num_threads()}), flush=True)
    prepared = {}  # shape -> (a, b, c, calls): calibrated once, so every sample times the same loop
    for line in sys.stdin:
        req = json.loads(line)
        key = (req["m"], req["n"], req["k"], req["transA"], req["transB"])
        if key not in prepared:
            a, b, c = operands(*key)
            calls = 1
            while sample(a, b, c, calls) < req.get("min_seconds", 0.05):
                calls *= 2
            prepared[key] = (a, b, c, calls)
        a, b, c, calls = prepared[key]
        print(json.dumps({"seconds": sample(a, b, c, calls) / calls, "calls": calls}), flush=True)


if __name__ == "__main__":
    main()
