#!/usr/bin/python3
"""Self-check of the reference (llama_model.py, llama_reference.py, safetensors_io.py) before anything is compared
with it: autograd against finite differences in float64, RoPE's rotate_half convention, GQA's head mapping, causal
and packed-document isolation, LoRA scaling, the safetensors reader against a hand-written file, and the CLI.
Prints one line per check; exit code 0 when all pass."""

import contextlib
import io
import json
import math
import os
import sys
import tempfile
import traceback

sys.dont_write_bytecode = True

try:
    import torch
except ImportError:
    print("check_reference: PyTorch is not installed for this python; run `infra/services/install.sh torch`",
          file=sys.stderr)
    sys.exit(3)

import llama_model as lm
import llama_reference
import safetensors_io as st

HERE = os.path.dirname(os.path.abspath(__file__))

# Tiny on purpose, and with head_dim · heads != hidden_size and 2 query heads per key/value head.
TINY = lm.LlamaConfig(vocab_size=11, hidden_size=8, intermediate_size=12, num_hidden_layers=2, num_attention_heads=4,
                      num_key_value_heads=2, head_dim=4, rms_norm_eps=1e-5, rope_theta=10000.0)
IDS = torch.tensor([[3, 1, 4, 1, 5, 9, 2], [6, 5, 3, 5, 8, 9, 7]])
LABELS = torch.tensor([[3, 1, 4, -100, 5, 9, 2], [-100, 5, 3, 5, 8, 9, 7]])
POSITIONS = torch.tensor([[0, 1, 2, 3, 0, 1, 2], [0, 1, 2, 3, 4, 5, 6]])  # row 0 packs two documents
ALL_PROJECTIONS = tuple(lm.PROJECTIONS)


def tiny_params(cfg=TINY, seed=0, dtype=torch.float64):
    params = lm.init_params(cfg, 0.5, torch.Generator().manual_seed(seed))
    return {k: v.to(dtype) for k, v in params.items()}


def tiny_lora(cfg=TINY, r=2, alpha=3.0, targets=ALL_PROJECTIONS, seed=1, dtype=torch.float64):
    weights = lm.init_lora(cfg, r, targets, torch.Generator().manual_seed(seed), b_std=0.5)
    return lm.Lora(r, alpha, targets, {k: v.to(dtype) for k, v in weights.items()})


def assert_close(actual, expected, tol, what):
    err = (actual - expected).abs().max().item()
    scale = max(expected.abs().max().item(), 1e-12)
    if not err <= tol * scale:
        raise AssertionError(f"{what}: max abs error {err:.3g} > {tol:g} x {scale:.3g}")


def finite_difference_check(trainable, loss_fn, elements=3, h=1e-6, tol=1e-6):
    """For every trainable tensor: the directional derivative along a random direction and a few single elements,
    as central differences (L(θ+hv) − L(θ−hv)) / 2h, against the autograd gradient."""
    for t in trainable.values():
        t.requires_grad_(True)
    loss_fn().backward()
    gen = torch.Generator().manual_seed(5)
    for name, t in trainable.items():
        grad = t.grad.clone()
        directions = [torch.randn(t.shape, generator=gen, dtype=t.dtype)]
        for _ in range(elements):
            one_hot = torch.zeros_like(t)
            one_hot.view(-1)[torch.randint(t.numel(), (1,), generator=gen)] = 1.0
            directions.append(one_hot)
        with torch.no_grad():
            for v in directions:
                t += h * v
                plus = loss_fn().item()
                t -= 2 * h * v
                minus = loss_fn().item()
                t += h * v
                numeric, analytic = (plus - minus) / (2 * h), (grad * v).sum().item()
                if abs(numeric - analytic) > tol * max(1.0, abs(numeric)):
                    raise AssertionError(f"{name}: autograd {analytic:.10g} vs finite difference {numeric:.10g}")


def check_gradients_full_untied():
    params = tiny_params()
    finite_difference_check(params, lambda: lm.causal_lm_loss(lm.forward(params, TINY, IDS, POSITIONS), LABELS))


def check_gradients_full_tied():
    cfg = lm.LlamaConfig(**{**TINY.__dict__, "tie_word_embeddings": True})
    params = tiny_params(cfg)
    if "lm_head.weight" in params:
        raise AssertionError("a tied model has no lm_head.weight")
    finite_difference_check(params, lambda: lm.causal_lm_loss(lm.forward(params, cfg, IDS, POSITIONS), LABELS))


def check_gradients_lora():
    params, lora = tiny_params(), tiny_lora()
    loss = lambda: lm.causal_lm_loss(lm.forward(params, TINY, IDS, POSITIONS, lora), LABELS)  # noqa: E731
    finite_difference_check(lora.weights, loss)
    if any(p.grad is not None for p in params.values()):
        raise AssertionError("base weights got gradients although only LoRA weights are trainable")


def check_rope_rotate_half():
    # Dimension i pairs with i + D/2 and rotates by angle position · theta^(-2i/D).
    D, theta, positions = 8, 10000.0, torch.tensor([[0, 1, 7, 100]])
    x = torch.randn(1, 1, 4, D, dtype=torch.float64, generator=torch.Generator().manual_seed(3))
    cos, sin = lm.rope_cos_sin(positions, D, theta, torch.float64)
    got = lm.apply_rope(x, cos, sin)
    expected = torch.empty_like(x)
    for t, p in enumerate(positions[0].tolist()):
        for i in range(D // 2):
            a = p * theta ** (-2 * i / D)
            x1, x2 = x[0, 0, t, i].item(), x[0, 0, t, i + D // 2].item()
            expected[0, 0, t, i] = x1 * math.cos(a) - x2 * math.sin(a)
            expected[0, 0, t, i + D // 2] = x2 * math.cos(a) + x1 * math.sin(a)
    assert_close(got, expected, 1e-5, "rotate_half RoPE vs the explicit rotation")  # angles are float32, as HF
    # The score of a rotated query and key depends on the position difference only.
    q, k = x[:, :, :1], x[:, :, 1:2]

    def score(m, n):
        cq, sq = lm.rope_cos_sin(torch.tensor([[m]]), D, theta, torch.float64)
        ck, sk = lm.rope_cos_sin(torch.tensor([[n]]), D, theta, torch.float64)
        return (lm.apply_rope(q, cq, sq) * lm.apply_rope(k, ck, sk)).sum()

    assert_close(score(9, 4), score(5, 0), 1e-5, "RoPE score at positions (9, 4) vs (5, 0)")


def check_gqa_matches_expanded_heads():
    # A GQA model equals the multi-head model whose key/value head h is a copy of GQA head h // (H / KV).
    params = tiny_params()
    n_rep = TINY.num_attention_heads // TINY.num_key_value_heads
    mha = lm.LlamaConfig(**{**TINY.__dict__, "num_key_value_heads": TINY.num_attention_heads})
    expanded = dict(params)
    for i in range(TINY.num_hidden_layers):
        for proj in ("k_proj", "v_proj"):
            name = f"model.layers.{i}.self_attn.{proj}.weight"
            heads = params[name].view(TINY.num_key_value_heads, TINY.head_dim, -1)
            expanded[name] = heads.repeat_interleave(n_rep, dim=0).reshape(-1, TINY.hidden_size)
    assert_close(lm.forward(params, TINY, IDS, POSITIONS), lm.forward(expanded, mha, IDS, POSITIONS), 1e-12,
                 "GQA vs expanded multi-head attention")


def check_layer_ops_match_explicit_formulas():
    # RMSNorm, SwiGLU and attention (scale 1/sqrt(D), softmax over the allowed keys) written out element by element.
    params, gen = tiny_params(), torch.Generator().manual_seed(8)
    x = torch.randn(2, 7, TINY.hidden_size, dtype=torch.float64, generator=gen)
    w = params["model.layers.0.input_layernorm.weight"]
    norm = torch.stack([torch.stack([x[b, t] / math.sqrt((x[b, t] ** 2).mean().item() + TINY.rms_norm_eps) * w
                                     for t in range(7)]) for b in range(2)])
    assert_close(lm.rms_norm(x, w, TINY.rms_norm_eps), norm, 1e-12, "rms_norm")
    p = {k.split("layers.0.")[-1]: v for k, v in params.items() if "layers.0." in k}
    gate, up = x @ p["mlp.gate_proj.weight"].T, x @ p["mlp.up_proj.weight"].T
    swiglu = (gate / (1 + torch.exp(-gate)) * up) @ p["mlp.down_proj.weight"].T
    assert_close(lm.mlp(x, params, 0, None), swiglu, 1e-12, "SwiGLU mlp")

    H, KV, D = TINY.num_attention_heads, TINY.num_key_value_heads, TINY.head_dim
    cos, sin = lm.rope_cos_sin(POSITIONS, D, TINY.rope_theta, torch.float64)

    def heads(proj, n):
        return (x @ p[f"self_attn.{proj}_proj.weight"].T).view(2, 7, n, D).transpose(1, 2)  # (B, n, T, D)

    q, k, v = lm.apply_rope(heads("q", H), cos, sin), lm.apply_rope(heads("k", KV), cos, sin), heads("v", KV)
    y = torch.zeros(2, 7, H, D, dtype=torch.float64)
    for b in range(2):
        for h in range(H):
            for t in range(7):
                start = max(s for s in range(t + 1) if POSITIONS[b, s] == 0)
                keys = range(start, t + 1)
                scores = [(q[b, h, t] * k[b, h // (H // KV), s]).sum().item() / math.sqrt(D) for s in keys]
                weights = [math.exp(sc - max(scores)) for sc in scores]
                y[b, t, h] = sum(wt * v[b, h // (H // KV), s] for wt, s in zip(weights, keys)) / sum(weights)
    expected = y.reshape(2, 7, H * D) @ p["self_attn.o_proj.weight"].T
    mask = lm.attention_mask(POSITIONS)
    assert_close(lm.self_attention(x, params, 0, TINY, cos, sin, mask, None, None), expected, 1e-12, "attention")


def check_loss_shifts_and_ignores():
    # Logits at t predict labels at t + 1; the loss is the mean over the targets that are not -100.
    logits = torch.randn(2, 7, TINY.vocab_size, dtype=torch.float64, generator=torch.Generator().manual_seed(9))
    terms = [-torch.log_softmax(logits[b, t - 1], -1)[LABELS[b, t]] for b in range(2) for t in range(1, 7)
             if LABELS[b, t] != -100]
    assert_close(lm.causal_lm_loss(logits, LABELS), sum(terms) / len(terms), 1e-12, "loss")


def check_causal():
    params = tiny_params()
    changed = IDS.clone()
    changed[:, 4] = 0
    before, after = lm.forward(params, TINY, IDS), lm.forward(params, TINY, changed)
    assert_close(after[:, :4], before[:, :4], 1e-12, "logits before a changed token")
    if torch.allclose(after[:, 4:], before[:, 4:]):
        raise AssertionError("changing token 4 did not change the logits from position 4 on")


def check_packing_isolation():
    # Each document's logits are the same alone as packed after another one with positions restarting at 0.
    params = tiny_params()
    a, b = torch.tensor([[3, 1, 4, 1, 5]]), torch.tensor([[9, 2, 6, 5]])
    packed_ids = torch.cat([a, b], dim=1)
    packed_pos = torch.tensor([[0, 1, 2, 3, 4, 0, 1, 2, 3]])
    packed = lm.forward(params, TINY, packed_ids, packed_pos)
    assert_close(packed[:, :5], lm.forward(params, TINY, a), 1e-12, "first packed document vs alone")
    assert_close(packed[:, 5:], lm.forward(params, TINY, b), 1e-12, "second packed document vs alone")
    unpacked = lm.forward(params, TINY, packed_ids)  # plain positions: b attends to a
    if torch.allclose(unpacked[:, 5:], packed[:, 5:]):
        raise AssertionError("the check is blind: b's logits do not depend on a when not packed")


def check_lora_scaling():
    # y = W x + (alpha / r) · B (A x): the adapted model equals the base model with W + (alpha / r) · B A merged in.
    params, lora = tiny_params(), tiny_lora(r=2, alpha=3.0)
    merged = dict(params)
    for i in range(TINY.num_hidden_layers):
        for proj, sub in lm.PROJECTIONS.items():
            module = f"model.layers.{i}.{sub}.{proj}"
            a, b = lora.pair(module)
            merged[module + ".weight"] = params[module + ".weight"] + 1.5 * (b @ a)
    adapted = lm.forward(params, TINY, IDS, POSITIONS, lora)
    assert_close(adapted, lm.forward(merged, TINY, IDS, POSITIONS), 1e-12, "LoRA vs merged weights")
    zero = lm.Lora(2, 0.0, lora.targets, lora.weights)
    assert_close(lm.forward(params, TINY, IDS, POSITIONS, zero), lm.forward(params, TINY, IDS, POSITIONS), 1e-12,
                 "LoRA with alpha 0 vs base")
    if torch.allclose(adapted, lm.forward(params, TINY, IDS, POSITIONS)):
        raise AssertionError("the adapter does not change the logits")


def check_kv_cache_matches_full_forward():
    params = tiny_params()
    full = lm.forward(params, TINY, IDS)
    cache = lm.KVCache(TINY.num_hidden_layers)
    steps = [lm.forward(params, TINY, IDS[:, :3], cache=cache)]
    steps += [lm.forward(params, TINY, IDS[:, t : t + 1], cache=cache) for t in range(3, IDS.shape[1])]
    assert_close(torch.cat(steps, dim=1), full, 1e-12, "decoding with a KV cache vs one full forward")


def check_safetensors_hand_written_fixture():
    # fixtures/tiny.safetensors was written by hand from the spec (see fixtures/README.md).
    tensors, metadata = st.read(os.path.join(HERE, "..", "fixtures", "tiny.safetensors"))
    if metadata != {"format": "pt"} or sorted(tensors) != ["a", "b", "c", "d"]:
        raise AssertionError(f"unexpected header: {metadata}, {sorted(tensors)}")
    expected = {"a": [1.0, -2.5], "b": [[0.5, -3.0]], "c": 42, "d": [1.5]}
    dtypes = {"a": torch.float32, "b": torch.bfloat16, "c": torch.int64, "d": torch.float16}
    for name, value in expected.items():
        if tensors[name].dtype != dtypes[name] or tensors[name].tolist() != value:
            raise AssertionError(f"{name}: {tensors[name]!r}, expected {value} as {dtypes[name]}")


def check_safetensors_round_trip():
    values = torch.tensor([[1.0, -2.5, 3.14159, 1e-20], [65504.0, -0.0, 1 / 3, 7.0]])
    with tempfile.TemporaryDirectory() as tmp:
        for dtype, torch_dtype in (("F32", torch.float32), ("BF16", torch.bfloat16)):
            path = os.path.join(tmp, f"{dtype}.safetensors")
            st.write(path, {"x": values, "s": torch.tensor(2.0)}, dtype)
            with open(path, "rb") as f:
                header_len = int.from_bytes(f.read(8), "little")
            back, _ = st.read(path)
            if header_len % 8 or back["x"].dtype != torch_dtype or back["s"].shape != ():
                raise AssertionError(f"{dtype}: header {header_len} bytes, x {back['x'].dtype}, s {back['s'].shape}")
            if not torch.equal(back["x"], values.to(torch_dtype)):
                raise AssertionError(f"{dtype}: values changed in the round trip")


def run_cli(*argv):
    """(exit code, stderr) of llama_reference.main, in-process."""
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            code = llama_reference.main([str(a) for a in argv])
        except SystemExit as e:
            code = e.code
    return code, err.getvalue()


def check_cli_round_trip():
    cfg = {"vocab_size": 13, "hidden_size": 8, "intermediate_size": 12, "num_hidden_layers": 1,
           "num_attention_heads": 2, "num_key_value_heads": 1, "tie_word_embeddings": True}
    batch = {"input_ids": [[1, 2, 3, 4], [5, 6, 7, 8]], "labels": [[1, 2, -100, 4], [5, 6, 7, 8]]}
    with tempfile.TemporaryDirectory() as tmp:
        model, adapter, out = (os.path.join(tmp, n) for n in ("model", "adapter", "out.safetensors"))
        for name, content in (("cfg.json", cfg), ("batch.json", batch)):
            with open(os.path.join(tmp, name), "w") as f:
                json.dump(content, f)
        steps = [("--init-model", model, "--config", os.path.join(tmp, "cfg.json"), "--seed", 4, "--dtype", "bf16"),
                 ("--init-adapter", adapter, "--model", model, "--r", 2, "--alpha", 4, "--targets", "q_proj,up_proj"),
                 ("--model", model, "--adapter", adapter, "--batch", os.path.join(tmp, "batch.json"), "--out", out)]
        for argv in steps:
            code, err = run_cli(*argv)
            if code != 0:
                raise AssertionError(f"{argv[0]} failed ({code}): {err}")
        got, _ = st.read(out)
        config, params = llama_reference.load_model(model)
        lora = llama_reference.load_adapter(adapter, config)
        for t in lora.weights.values():
            t.requires_grad_(True)
        logits = lm.forward(params, config, torch.tensor(batch["input_ids"]), lora=lora)
        loss = lm.causal_lm_loss(logits, torch.tensor(batch["labels"]))
        loss.backward()
        expected = {"logits": logits, "loss": loss, **{f"grad/{k}": v.grad for k, v in lora.weights.items()}}
        if sorted(got) != sorted(expected):
            raise AssertionError(f"output tensors {sorted(got)}, expected {sorted(expected)}")
        for name, value in expected.items():
            assert_close(got[name], value.detach(), 1e-6, f"CLI output {name}")


def check_cli_rejects_bad_input_in_one_line():
    with tempfile.TemporaryDirectory() as tmp:
        cfg_path = os.path.join(tmp, "cfg.json")
        with open(cfg_path, "w") as f:
            json.dump({"vocab_size": 8, "hidden_size": 8, "intermediate_size": 8, "num_hidden_layers": 1,
                       "num_attention_heads": 3, "hidden_act": "silu"}, f)
        cases = [(("--init-model", os.path.join(tmp, "m"), "--config", cfg_path), "not a multiple"),
                 (("--model", os.path.join(tmp, "nowhere"), "--batch", cfg_path, "--out", "x"), "cannot read"),
                 (("--init-model", os.path.join(tmp, "m")), "needs --config")]
        for argv, expected in cases:
            code, err = run_cli(*argv)
            if code != 2 or expected not in err or "Traceback" in err:
                raise AssertionError(f"{argv}: exit {code}, stderr {err!r}; expected exit 2 and {expected!r}")


def main():
    torch.set_num_threads(2)
    checks = [(name, fn) for name, fn in globals().items() if name.startswith("check_")]
    failed = 0
    for name, fn in checks:
        try:
            fn()
            print(f"ok   {name}")
        except Exception:
            failed += 1
            print(f"FAIL {name}\n{traceback.format_exc()}")
    print(f"{len(checks) - failed}/{len(checks)} checks passed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
