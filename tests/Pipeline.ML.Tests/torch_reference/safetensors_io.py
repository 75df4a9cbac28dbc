"""A small safetensors reader and writer (https://github.com/huggingface/safetensors#format).

The `safetensors` package is not installed here, and the format is simple: an 8-byte little-endian header length N,
N bytes of UTF-8 JSON {name: {"dtype", "shape", "data_offsets": [begin, end)}} with an optional "__metadata__"
string map, then the raw little-endian data buffer. Reads F32, F16, BF16, F64 and I64; writes F32 and BF16.
"""

import json
import struct
import sys

import torch

READ_DTYPES = {
    "F32": torch.float32,
    "F16": torch.float16,
    "BF16": torch.bfloat16,
    "F64": torch.float64,
    "I64": torch.int64,
}
WRITE_DTYPES = {"F32": torch.float32, "BF16": torch.bfloat16}
MAX_HEADER_BYTES = 100_000_000

if sys.byteorder != "little":
    raise RuntimeError("safetensors_io assumes a little-endian machine")


class SafeTensorsError(Exception):
    """A malformed or unsupported file; the message names the file and the tensor."""


def read(path):
    """Returns ({name: tensor}, metadata). Tensors keep their stored dtype (bfloat16 stays bfloat16)."""
    try:
        with open(path, "rb") as f:
            blob = f.read()
    except OSError as e:
        raise SafeTensorsError(f"{path}: cannot read ({e.strerror})") from None
    if len(blob) < 8:
        raise SafeTensorsError(f"{path}: {len(blob)} bytes is too short for the 8-byte header length")
    (header_len,) = struct.unpack("<Q", blob[:8])
    if header_len > MAX_HEADER_BYTES or 8 + header_len > len(blob):
        raise SafeTensorsError(f"{path}: header length {header_len} does not fit the {len(blob)}-byte file")
    try:
        header = json.loads(blob[8 : 8 + header_len].decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise SafeTensorsError(f"{path}: header is not UTF-8 JSON ({e})") from None
    if not isinstance(header, dict):
        raise SafeTensorsError(f"{path}: header is not a JSON object")
    metadata = header.pop("__metadata__", None) or {}
    data = bytearray(blob[8 + header_len :])
    return {name: _tensor(path, name, entry, data) for name, entry in header.items()}, metadata


def _tensor(path, name, entry, data):
    where = f"{path}: tensor '{name}'"
    if not isinstance(entry, dict) or not {"dtype", "shape", "data_offsets"} <= entry.keys():
        raise SafeTensorsError(f"{where}: entry needs dtype, shape and data_offsets")
    dtype = READ_DTYPES.get(entry["dtype"])
    if dtype is None:
        raise SafeTensorsError(f"{where}: dtype {entry['dtype']!r} is not one of {', '.join(READ_DTYPES)}")
    shape = entry["shape"]
    if not isinstance(shape, list) or not all(isinstance(d, int) and d >= 0 for d in shape):
        raise SafeTensorsError(f"{where}: shape {shape!r} is not a list of non-negative integers")
    offsets = entry["data_offsets"]
    if not isinstance(offsets, list) or len(offsets) != 2 or not all(isinstance(o, int) for o in offsets):
        raise SafeTensorsError(f"{where}: data_offsets {offsets!r} is not a pair of integers")
    begin, end = offsets
    count = 1
    for d in shape:
        count *= d
    size = torch.tensor([], dtype=dtype).element_size()
    if not 0 <= begin <= end <= len(data) or end - begin != count * size:
        raise SafeTensorsError(
            f"{where}: data_offsets [{begin}, {end}) do not hold {count} x {entry['dtype']} "
            f"inside the {len(data)}-byte data buffer"
        )
    if count == 0:
        return torch.zeros(shape, dtype=dtype)
    return torch.frombuffer(data, dtype=dtype, count=count, offset=begin).reshape(shape).clone()


def write(path, tensors, dtype="F32", metadata=None):
    """Writes {name: tensor} with every tensor stored as `dtype` (F32 or BF16, round to nearest even).
    Layout as the reference writer: names sorted, contiguous offsets, header space-padded to a multiple of 8."""
    if dtype not in WRITE_DTYPES:
        raise SafeTensorsError(f"{path}: cannot write dtype {dtype!r} (F32 or BF16)")
    header = {"__metadata__": dict(metadata or {"format": "pt"})}
    chunks = []
    offset = 0
    for name in sorted(tensors):
        t = tensors[name].detach().to(WRITE_DTYPES[dtype]).contiguous()
        # numpy has no bfloat16: reinterpret the 2-byte values as int16 to get at the raw bits.
        raw = (t.view(torch.int16) if dtype == "BF16" else t).numpy().tobytes()
        header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    encoded = json.dumps(header, separators=(",", ":")).encode("utf-8")
    encoded += b" " * (-len(encoded) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(encoded)))
        f.write(encoded)
        for raw in chunks:
            f.write(raw)
