#!/usr/bin/python3
"""PyTorch side of the training benchmark, on the same model code as the test oracle
(tests/Pipeline.ML.Tests/torch_reference/llama_model.py): a LLaMA model with tied embeddings, random weights and tokens.

Modes (one JSON line each; `all`, the default, runs each in its own process so peak_rss_mb is per mode):
  full      full fine-tune, AdamW: warm up, then time N steps of forward + backward (+ clip) + optimizer step
  lora      LoRA (default r 8, alpha 16) on all 7 projections, base frozen, AdamW on the LoRA weights
  generate  greedy decode tokens/s at batch 1 and 16, with a KV cache and without (recomputing the prefix)

  env -u OPENBLAS_CORETYPE /usr/bin/python3 bench/torch_train_bench.py --vocab 128 --layers 4 --d-model 128 \\
      --heads 4 --ffn 512 --context 64 --batch 32
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time

sys.dont_write_bytecode = True

# Both are read once at process start, so the script re-executes itself with them in place:
# - this image exports OPENBLAS_CORETYPE=Haswell, which halves OpenBLAS on AVX-512;
# - glibc hands every large freed tensor back to the kernel (mmap / heap trim), so each step page-faults its
#   activations in again: 10-20k faults a step on this VM and steps 2-4x slower and erratic. Keeping freed memory in
#   the heap is the usual CPU PyTorch tuning (what jemalloc or tcmalloc would give); an explicit setting wins.
MALLOC_ENV = {"MALLOC_MMAP_THRESHOLD_": str(1 << 30), "MALLOC_TRIM_THRESHOLD_": str(1 << 36)}
BENCH_ENV = {**MALLOC_ENV, **{k: v for k, v in os.environ.items() if k != "OPENBLAS_CORETYPE"}}
if BENCH_ENV != dict(os.environ):
    os.execve(sys.executable, [sys.executable, *sys.argv], BENCH_ENV)

import torch

ORACLE_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "Pipeline.ML.Tests", "torch_reference")
sys.path.insert(0, ORACLE_DIR)
import llama_model as lm  # noqa: E402  (the oracle's model, found through the path above)

MODES = ("full", "lora", "generate")


def model_config(args):
    return lm.LlamaConfig(vocab_size=args.vocab, hidden_size=args.d_model, intermediate_size=args.ffn,
                          num_hidden_layers=args.layers, num_attention_heads=args.heads,
                          num_key_value_heads=args.kv_heads or args.heads, head_dim=args.d_model // args.heads,
                          rms_norm_eps=1e-5, tie_word_embeddings=True, max_position_embeddings=args.context)


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def train(args, cfg, use_lora):
    gen = torch.Generator().manual_seed(args.seed)
    params = lm.init_params(cfg, 0.02, gen)
    lora = None
    if use_lora:
        # PEFT's init: B = 0, so the adapted model starts as the base model.
        weights = lm.init_lora(cfg, args.lora_r, tuple(lm.PROJECTIONS), gen, b_std=0.0)
        lora = lm.Lora(args.lora_r, 2.0 * args.lora_r, tuple(lm.PROJECTIONS), weights)
    trainable = lora.weights if lora else params
    for t in trainable.values():
        t.requires_grad_(True)
    optimizer = torch.optim.AdamW(trainable.values(), lr=args.lr, weight_decay=0.0 if lora else 0.1)
    batches = [torch.randint(args.vocab, (args.batch, args.context), generator=gen) for _ in range(8)]

    step_seconds, losses = [], []
    for step in range(args.warmup + args.steps):
        ids = batches[step % len(batches)]
        start = time.perf_counter()
        loss = lm.causal_lm_loss(lm.forward(params, cfg, ids, lora=lora), ids)
        loss.backward()
        if args.max_grad_norm > 0:
            torch.nn.utils.clip_grad_norm_(trainable.values(), args.max_grad_norm)
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        elapsed = time.perf_counter() - start
        losses.append(loss.item())
        if step >= args.warmup:
            step_seconds.append(elapsed)

    median = statistics.median(step_seconds)
    return {
        "params": sum(p.numel() for p in params.values()),
        "trainable_params": sum(p.numel() for p in trainable.values()),
        "tokens_per_step": args.batch * args.context,
        "warmup_steps": args.warmup,
        "timed_steps": args.steps,
        "tokens_per_s_median": round(args.batch * args.context / median, 1),
        "step_ms_median": round(1000 * median, 2),
        "step_ms_min": round(1000 * min(step_seconds), 2),
        "step_ms_max": round(1000 * max(step_seconds), 2),
        "max_grad_norm": args.max_grad_norm,
        "loss_first": round(losses[0], 4),
        "loss_last": round(losses[-1], 4),
    }


def decode(params, cfg, prompt, new_tokens, use_cache):
    """Greedy decode; returns the generated ids (B, new_tokens)."""
    if use_cache:
        cache = lm.KVCache(cfg.num_hidden_layers)
        logits = lm.forward(params, cfg, prompt, cache=cache)
        out = [logits[:, -1].argmax(-1)]
        for _ in range(new_tokens - 1):
            out.append(lm.forward(params, cfg, out[-1][:, None], cache=cache)[:, -1].argmax(-1))
        return torch.stack(out, dim=1)
    seq = prompt
    for _ in range(new_tokens):
        seq = torch.cat([seq, lm.forward(params, cfg, seq)[:, -1].argmax(-1, keepdim=True)], dim=1)
    return seq[:, prompt.shape[1]:]


def generate(args, cfg):
    gen = torch.Generator().manual_seed(args.seed)
    params = lm.init_params(cfg, 0.02, gen)
    new_tokens = args.context - args.prompt
    result = {"prompt_tokens": args.prompt, "new_tokens": new_tokens, "repeats": args.gen_repeats}
    with torch.inference_mode():
        for batch in (1, 16):
            prompt = torch.randint(args.vocab, (batch, args.prompt), generator=gen)
            outputs = {}
            for use_cache in (True, False):
                decode(params, cfg, prompt, new_tokens, use_cache)  # warm-up
                seconds = []
                for _ in range(args.gen_repeats):
                    start = time.perf_counter()
                    outputs[use_cache] = decode(params, cfg, prompt, new_tokens, use_cache)
                    seconds.append(time.perf_counter() - start)
                key = f"{'kv_cache' if use_cache else 'no_cache'}_b{batch}_tokens_per_s"
                result[key] = round(batch * new_tokens / statistics.median(seconds), 1)
            # Float rounding may differ between the paths; report rather than assert.
            result[f"b{batch}_cache_matches_no_cache"] = bool(torch.equal(outputs[True], outputs[False]))
    return result


def run_all(argv):
    for mode in MODES:
        done = subprocess.run([sys.executable, os.path.abspath(__file__), *argv, "--mode", mode],
                              stdout=subprocess.PIPE, text=True)
        if done.returncode != 0:
            return done.returncode
        print(done.stdout, end="", flush=True)
    return 0


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--vocab", type=int, default=128)
    p.add_argument("--layers", type=int, default=4)
    p.add_argument("--d-model", type=int, default=128)
    p.add_argument("--heads", type=int, default=4)
    p.add_argument("--kv-heads", type=int, default=None, help="default: --heads")
    p.add_argument("--ffn", type=int, default=512)
    p.add_argument("--context", type=int, default=64)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--mode", choices=("all", *MODES), default="all")
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--steps", type=int, default=20)
    p.add_argument("--lora-r", type=int, default=8)
    p.add_argument("--lr", type=float, default=3e-4)
    p.add_argument("--max-grad-norm", type=float, default=0.0,
                   help="clip the global gradient norm before each update (as our trainer); 0: no clipping")
    p.add_argument("--prompt", type=int, default=8, help="prompt tokens for generate; it decodes up to --context")
    p.add_argument("--gen-repeats", type=int, default=3)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seed", type=int, default=0)
    return p.parse_args(argv)


def main(argv):
    args = parse_args(argv)
    if args.mode == "all":
        return run_all([a for a in argv if a not in ("--mode", "all", "--mode=all")])
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    cfg = model_config(args)
    if args.mode == "generate":
        figures = generate(args, cfg)
    else:
        figures = train(args, cfg, use_lora=args.mode == "lora")
    config = {k: getattr(args, k) for k in ("vocab", "layers", "d_model", "heads", "ffn", "context", "batch")}
    config["kv_heads"] = cfg.num_key_value_heads
    malloc = {k: os.environ[k] for k in MALLOC_ENV}
    print(json.dumps({"mode": args.mode, **figures, "peak_rss_mb": round(peak_rss_mb(), 1), "config": config,
                      "threads": torch.get_num_threads(), "torch": torch.__version__, "malloc": malloc}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
