#!/usr/bin/python3
"""PyTorch reference (test oracle) for the engine's LLaMA model: HF checkpoint and PEFT adapter in, logits, loss
and autograd gradients out; also writes random HF checkpoints and PEFT adapters. The model is llama_model.py.

  llama_reference.py --model DIR [--adapter DIR] --batch FILE.json --out FILE.safetensors
  llama_reference.py --init-model DIR --config FILE.json --seed S [--dtype f32|bf16] [--std 0.2]
  llama_reference.py --init-adapter DIR --model DIR --r R --alpha A --targets q_proj,v_proj --seed S

Batch JSON: {"input_ids": [[...]], "labels": [[...]] (optional, default input_ids; -100 = ignored),
"position_ids": [[...]] (optional, default 0..T-1; a 0 inside a row starts a new packed document)}.
Output: float32 `logits` (B, T, V), `loss` (shape []), and `grad/NAME` for every trainable parameter: HF names
without an adapter (all weights), PEFT names with one (only the LoRA weights; the base model is frozen).
Bad input ends with one line on stderr and exit code 2; a missing torch with exit code 3.
"""

import argparse
import json
import os
import sys

sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree and the test output

try:
    import torch
except ImportError:
    print("llama_reference: PyTorch is not installed for this python; run `infra/services/install.sh torch`",
          file=sys.stderr)
    sys.exit(3)

import llama_model as lm
import safetensors_io as st

LORA_FORMAT = {"peft_type": "LORA", "bias": "none", "use_rslora": False, "fan_in_fan_out": False}


class InputError(Exception):
    """Bad input: reported as one line, without a traceback."""


def read_json(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except OSError as e:
        raise InputError(f"{path}: cannot read ({e.strerror})") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise InputError(f"{path}: not valid JSON ({e})") from None


def check_tensors(source, tensors, shapes, optional=()):
    """Every expected tensor present with its shape, nothing else (names in `optional` may be present)."""
    missing = [n for n in shapes if n not in tensors]
    extra = [n for n in tensors if n not in shapes and n not in optional]
    if missing or extra:
        raise InputError(f"{source}: missing tensors {missing[:5]}{'...' if len(missing) > 5 else ''}, "
                         f"unexpected tensors {extra[:5]}{'...' if len(extra) > 5 else ''}")
    for name, shape in shapes.items():
        if tuple(tensors[name].shape) != tuple(shape):
            raise InputError(f"{source}: tensor '{name}' has shape {list(tensors[name].shape)}, expected {list(shape)}")
        if not tensors[name].is_floating_point():
            raise InputError(f"{source}: tensor '{name}' has dtype {tensors[name].dtype}, expected a float type")


def load_model(model_dir):
    """(LlamaConfig, {HF name: float32 tensor}) from config.json and model.safetensors."""
    cfg = lm.LlamaConfig.from_dict(read_json(os.path.join(model_dir, "config.json")),
                                   os.path.join(model_dir, "config.json"))
    path = os.path.join(model_dir, "model.safetensors")
    tensors, _ = st.read(path)
    shapes = lm.parameter_shapes(cfg)
    # Tied checkpoints sometimes store lm_head.weight as well; HF ignores it and uses the embedding.
    check_tensors(path, tensors, shapes, optional=("lm_head.weight",) if cfg.tie_word_embeddings else ())
    return cfg, {name: tensors[name].float() for name in shapes}


def load_adapter(adapter_dir, cfg):
    """A Lora from a PEFT adapter directory (adapter_config.json + adapter_model.safetensors)."""
    config_path = os.path.join(adapter_dir, "adapter_config.json")
    d = read_json(config_path)
    for key, expected in LORA_FORMAT.items():
        if d.get(key, expected) != expected:
            raise InputError(f"{config_path}: '{key}' is {d[key]!r}; this reference supports only {expected!r}")
    for key in ["layers_to_transform", "modules_to_save", "rank_pattern", "alpha_pattern"]:
        if d.get(key):
            raise InputError(f"{config_path}: '{key}' is not supported (found {d[key]!r})")
    r, alpha, targets = d.get("r"), d.get("lora_alpha"), d.get("target_modules")
    if not isinstance(r, int) or isinstance(r, bool) or r <= 0:
        raise InputError(f"{config_path}: 'r' must be a positive integer, got {r!r}")
    if not isinstance(alpha, (int, float)) or isinstance(alpha, bool):
        raise InputError(f"{config_path}: 'lora_alpha' must be a number, got {alpha!r}")
    if not isinstance(targets, list) or not targets or not set(targets) <= set(lm.PROJECTIONS):
        raise InputError(f"{config_path}: 'target_modules' must be a non-empty list drawn from "
                         f"{', '.join(lm.PROJECTIONS)}; got {targets!r}")
    # lora_dropout is not applied: the checks are deterministic (PEFT in eval mode).
    path = os.path.join(adapter_dir, "adapter_model.safetensors")
    tensors, _ = st.read(path)
    shapes = lm.lora_shapes(cfg, r, targets)
    check_tensors(path, tensors, shapes)
    return lm.Lora(r, float(alpha), tuple(targets), {name: tensors[name].float() for name in shapes})


def int_matrix(d, key, source, rows=None, cols=None):
    """A (B, T) int64 tensor from a rectangular JSON list of integer lists."""
    m = d[key]
    ok = isinstance(m, list) and m and all(isinstance(row, list) and row for row in m)
    ok = ok and all(isinstance(v, int) and not isinstance(v, bool) for row in m for v in row)
    if not ok or len({len(row) for row in m}) != 1:
        raise InputError(f"{source}: '{key}' must be a non-empty rectangular list of integer lists")
    if rows is not None and (len(m), len(m[0])) != (rows, cols):
        raise InputError(f"{source}: '{key}' is {len(m)}x{len(m[0])}, input_ids is {rows}x{cols}")
    return torch.tensor(m, dtype=torch.int64)


def load_batch(path, cfg):
    """(input_ids, labels, position_ids), each (B, T) int64."""
    d = read_json(path)
    if not isinstance(d, dict) or "input_ids" not in d:
        raise InputError(f"{path}: expected an object with 'input_ids'")
    unknown = set(d) - {"input_ids", "labels", "position_ids"}
    if unknown:
        raise InputError(f"{path}: unknown keys {sorted(unknown)} (input_ids, labels, position_ids)")
    ids = int_matrix(d, "input_ids", path)
    B, T = ids.shape
    labels = int_matrix(d, "labels", path, B, T) if "labels" in d else ids.clone()
    positions = int_matrix(d, "position_ids", path, B, T) if "position_ids" in d else None
    V = cfg.vocab_size
    if ids.min() < 0 or ids.max() >= V:
        raise InputError(f"{path}: input_ids must lie in [0, {V})")
    if ((labels != lm.IGNORE_INDEX) & ((labels < 0) | (labels >= V))).any():
        raise InputError(f"{path}: labels must lie in [0, {V}) or be {lm.IGNORE_INDEX}")
    if T < 2 or not (labels[:, 1:] != lm.IGNORE_INDEX).any():
        raise InputError(f"{path}: no label to predict (all of labels[:, 1:] are {lm.IGNORE_INDEX})")
    if positions is not None and positions.min() < 0:
        raise InputError(f"{path}: position_ids must be non-negative")
    return ids, labels, positions


def run_grads(args):
    cfg, params = load_model(args.model)
    lora = load_adapter(args.adapter, cfg) if args.adapter else None
    ids, labels, positions = load_batch(args.batch, cfg)
    trainable = lora.weights if lora else params
    for t in trainable.values():
        t.requires_grad_(True)
    logits = lm.forward(params, cfg, ids, positions, lora)
    loss = lm.causal_lm_loss(logits, labels)
    loss.backward()
    out = {"logits": logits, "loss": loss}
    out.update({f"grad/{name}": t.grad for name, t in trainable.items()})
    st.write(args.out, out)
    print(json.dumps({"loss": loss.item(), "tokens": int(ids.numel()), "trainable": len(trainable)}))


def init_model(args):
    config_dict = read_json(args.config)
    cfg = lm.LlamaConfig.from_dict(config_dict, args.config)
    generator = torch.Generator().manual_seed(args.seed)
    params = lm.init_params(cfg, args.std, generator)
    os.makedirs(args.init_model, exist_ok=True)
    full = {**config_dict, **cfg.to_dict(), "torch_dtype": {"f32": "float32", "bf16": "bfloat16"}[args.dtype]}
    with open(os.path.join(args.init_model, "config.json"), "w", encoding="utf-8") as f:
        json.dump(full, f, indent=2)
    st.write(os.path.join(args.init_model, "model.safetensors"), params, args.dtype.upper())


def init_adapter(args):
    cfg, _ = load_model(args.model)
    targets = [t for t in args.targets.split(",") if t]
    unknown = [t for t in targets if t not in lm.PROJECTIONS]
    if not targets or unknown:
        raise InputError(f"--targets: {unknown or 'none given'}; choose from {', '.join(lm.PROJECTIONS)}")
    if args.r <= 0:
        raise InputError(f"--r must be positive, got {args.r}")
    generator = torch.Generator().manual_seed(args.seed)
    weights = lm.init_lora(cfg, args.r, targets, generator)
    os.makedirs(args.init_adapter, exist_ok=True)
    config = {**LORA_FORMAT, "task_type": "CAUSAL_LM", "r": args.r, "lora_alpha": args.alpha,
              "target_modules": targets, "lora_dropout": 0.0, "base_model_name_or_path": os.path.abspath(args.model),
              "inference_mode": True, "modules_to_save": None, "layers_to_transform": None}
    with open(os.path.join(args.init_adapter, "adapter_config.json"), "w", encoding="utf-8") as f:
        json.dump(config, f, indent=2)
    st.write(os.path.join(args.init_adapter, "adapter_model.safetensors"), weights)


def parse_args(argv):
    p = argparse.ArgumentParser(prog="llama_reference.py", description=__doc__.split("\n\n")[0])
    p.add_argument("--model", help="HF model directory (config.json, model.safetensors)")
    p.add_argument("--adapter", help="PEFT LoRA adapter directory (adapter_config.json, adapter_model.safetensors)")
    p.add_argument("--batch", help="batch JSON file")
    p.add_argument("--out", help="output .safetensors file: logits, loss, grad/NAME")
    p.add_argument("--init-model", metavar="DIR", help="write a random model to DIR")
    p.add_argument("--config", help="HF config JSON for --init-model")
    p.add_argument("--dtype", choices=["f32", "bf16"], default="f32", help="stored dtype for --init-model")
    p.add_argument("--std", type=float, default=0.2,
                   help="std of linear/embedding weights for --init-model (0.2: logits far from uniform)")
    p.add_argument("--init-adapter", metavar="DIR", help="write a random PEFT LoRA adapter for --model to DIR")
    p.add_argument("--r", type=int, help="LoRA rank for --init-adapter")
    p.add_argument("--alpha", type=float, help="LoRA alpha for --init-adapter")
    p.add_argument("--targets", help="comma-separated projections for --init-adapter, e.g. q_proj,v_proj")
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args(argv)
    modes = [m for m in ("out", "init_model", "init_adapter") if getattr(args, m)]
    if len(modes) != 1:
        p.error("give exactly one of --out, --init-model, --init-adapter")
    required = {"out": ["model", "batch"], "init_model": ["config"], "init_adapter": ["model", "r", "alpha", "targets"]}
    missing = [f"--{k}" for k in required[modes[0]] if getattr(args, k) is None]
    if missing:
        p.error(f"--{modes[0].replace('_', '-')} needs {', '.join(missing)}")
    return modes[0], args


def main(argv):
    mode, args = parse_args(argv)
    torch.manual_seed(args.seed)
    torch.set_num_threads(2)
    try:
        {"out": run_grads, "init_model": init_model, "init_adapter": init_adapter}[mode](args)
    except (InputError, lm.ModelError, st.SafeTensorsError, OSError) as e:
        print(f"llama_reference: error: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
