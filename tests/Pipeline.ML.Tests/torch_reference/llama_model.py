"""LLaMA as HF transformers' LlamaForCausalLM computes it (eager attention, default RoPE), with optional PEFT LoRA.

Plain functions over a dict of tensors keyed by the HF parameter names, so the same code runs in float32 (the
oracle, the benchmark) and float64 (the finite-difference self-check), and autograd gives the gradients. Shapes:
B batch, T time, C hidden_size, H heads, KV key/value heads, D head_dim, F intermediate_size, V vocab_size.
"""

import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F

IGNORE_INDEX = -100

# The seven linear projections LoRA may target, with the submodule each lives under in a decoder layer.
PROJECTIONS = {
    "q_proj": "self_attn",
    "k_proj": "self_attn",
    "v_proj": "self_attn",
    "o_proj": "self_attn",
    "gate_proj": "mlp",
    "up_proj": "mlp",
    "down_proj": "mlp",
}


class ModelError(Exception):
    """Bad configuration or weights; the message says which field or tensor and what was expected."""


@dataclass(frozen=True)
class LlamaConfig:
    vocab_size: int
    hidden_size: int
    intermediate_size: int
    num_hidden_layers: int
    num_attention_heads: int
    num_key_value_heads: int
    head_dim: int
    rms_norm_eps: float = 1e-6
    rope_theta: float = 10000.0
    tie_word_embeddings: bool = False
    max_position_embeddings: int = 2048

    @staticmethod
    def from_dict(d, source="config"):
        """Reads HF config.json fields; rejects the features this reference does not implement."""

        def need(key, kind, default=None):
            value = d.get(key, default)
            if value is None:
                raise ModelError(f"{source}: '{key}' is required")
            if kind is float and isinstance(value, int) and not isinstance(value, bool):
                value = float(value)
            if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
                raise ModelError(f"{source}: '{key}' must be {kind.__name__}, got {value!r}")
            return value

        if not isinstance(d, dict):
            raise ModelError(f"{source}: expected a JSON object")
        for key, allowed in [("hidden_act", "silu"), ("attention_bias", False), ("mlp_bias", False),
                             ("rope_scaling", None), ("pretraining_tp", 1), ("attention_dropout", 0.0)]:
            if key in d and d[key] != allowed:
                raise ModelError(f"{source}: '{key}' is {d[key]!r}; this reference supports only {allowed!r}")
        hidden = need("hidden_size", int)
        heads = need("num_attention_heads", int)
        kv_heads = need("num_key_value_heads", int, heads)
        if heads <= 0:
            raise ModelError(f"{source}: 'num_attention_heads' must be positive, got {heads}")
        if hidden % heads != 0 and "head_dim" not in d:
            raise ModelError(f"{source}: hidden_size {hidden} is not a multiple of num_attention_heads {heads}")
        cfg = LlamaConfig(
            vocab_size=need("vocab_size", int),
            hidden_size=hidden,
            intermediate_size=need("intermediate_size", int),
            num_hidden_layers=need("num_hidden_layers", int),
            num_attention_heads=heads,
            num_key_value_heads=kv_heads,
            head_dim=need("head_dim", int, hidden // heads),
            rms_norm_eps=need("rms_norm_eps", float, 1e-6),
            rope_theta=need("rope_theta", float, 10000.0),
            tie_word_embeddings=need("tie_word_embeddings", bool, False),
            max_position_embeddings=need("max_position_embeddings", int, 2048),
        )
        for key in ["vocab_size", "hidden_size", "intermediate_size", "num_hidden_layers", "num_key_value_heads",
                    "head_dim", "max_position_embeddings"]:
            if getattr(cfg, key) <= 0:
                raise ModelError(f"{source}: '{key}' must be positive, got {getattr(cfg, key)}")
        if heads % kv_heads != 0:
            raise ModelError(f"{source}: num_attention_heads {heads} is not a multiple of "
                             f"num_key_value_heads {kv_heads}")
        if cfg.head_dim % 2 != 0:
            raise ModelError(f"{source}: head_dim {cfg.head_dim} must be even for rotary embeddings")
        return cfg

    def to_dict(self):
        """A complete HF config.json."""
        return {
            "architectures": ["LlamaForCausalLM"],
            "model_type": "llama",
            "hidden_act": "silu",
            "attention_bias": False,
            "mlp_bias": False,
            "rope_scaling": None,
            "torch_dtype": "float32",
            **self.__dict__,
        }


def parameter_shapes(cfg):
    """{HF name: shape} of every parameter, in the order HF registers them."""
    C, F_, V = cfg.hidden_size, cfg.intermediate_size, cfg.vocab_size
    q_out, kv_out = cfg.num_attention_heads * cfg.head_dim, cfg.num_key_value_heads * cfg.head_dim
    shapes = {"model.embed_tokens.weight": (V, C)}
    for i in range(cfg.num_hidden_layers):
        p = f"model.layers.{i}."
        shapes[p + "self_attn.q_proj.weight"] = (q_out, C)
        shapes[p + "self_attn.k_proj.weight"] = (kv_out, C)
        shapes[p + "self_attn.v_proj.weight"] = (kv_out, C)
        shapes[p + "self_attn.o_proj.weight"] = (C, q_out)
        shapes[p + "mlp.gate_proj.weight"] = (F_, C)
        shapes[p + "mlp.up_proj.weight"] = (F_, C)
        shapes[p + "mlp.down_proj.weight"] = (C, F_)
        shapes[p + "input_layernorm.weight"] = (C,)
        shapes[p + "post_attention_layernorm.weight"] = (C,)
    shapes["model.norm.weight"] = (C,)
    if not cfg.tie_word_embeddings:
        shapes["lm_head.weight"] = (V, C)
    return shapes


@dataclass
class Lora:
    """PEFT LoRA on some projections: y = W x + (alpha / r) · B (A x), A: (r, in), B: (out, r).
    `weights` is keyed by PEFT's saved names (see peft_name)."""

    r: int
    alpha: float
    targets: tuple
    weights: dict

    @property
    def scale(self):
        return self.alpha / self.r

    def pair(self, module):
        """(A, B) for a module path like 'model.layers.0.self_attn.q_proj', or None when it is not adapted."""
        a = self.weights.get(peft_name(module, "A"))
        return None if a is None else (a, self.weights[peft_name(module, "B")])


def peft_name(module, which):
    return f"base_model.model.{module}.lora_{which}.weight"


def lora_shapes(cfg, r, targets):
    """{PEFT name: shape} of the A and B matrices for every layer and target projection."""
    shapes = {}
    base = parameter_shapes(cfg)
    for i in range(cfg.num_hidden_layers):
        for proj in targets:
            module = f"model.layers.{i}.{PROJECTIONS[proj]}.{proj}"
            out_features, in_features = base[module + ".weight"]
            shapes[peft_name(module, "A")] = (r, in_features)
            shapes[peft_name(module, "B")] = (out_features, r)
    return shapes


class KVCache:
    """Keys and values (after RoPE, before repeat_kv) of every position seen so far, per layer: (B, KV, T_past, D)."""

    def __init__(self, num_layers):
        self.layers = [None] * num_layers

    @property
    def length(self):
        return 0 if self.layers[0] is None else self.layers[0][0].shape[2]

    def extend(self, layer, k, v):
        if self.layers[layer] is not None:
            k = torch.cat([self.layers[layer][0], k], dim=2)
            v = torch.cat([self.layers[layer][1], v], dim=2)
        self.layers[layer] = (k, v)
        return k, v


def rms_norm(x, weight, eps):
    # x: (..., C) -> x / sqrt(mean(x²) + eps) * weight
    return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps) * weight


def rope_cos_sin(position_ids, head_dim, theta, dtype):
    # position_ids: (B, T) -> cos, sin: (B, T, D). HF's default rotary embedding, computed in float32 as HF does:
    # inv_freq_i = 1 / theta^(2i / D), angle = position · inv_freq, the D/2 angles repeated for both halves.
    inv_freq = 1.0 / (theta ** (torch.arange(0, head_dim, 2, dtype=torch.int64).float() / head_dim))
    angles = position_ids.float()[..., None] * inv_freq
    emb = torch.cat((angles, angles), dim=-1)
    return emb.cos().to(dtype), emb.sin().to(dtype)


def rotate_half(x):
    # x: (..., D) -> (-x[D/2:], x[:D/2]): HF pairs dimension i with i + D/2 (not adjacent pairs as in Meta's code)
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


def apply_rope(x, cos, sin):
    # x: (B, heads, T, D); cos, sin: (B, T, D)
    return x * cos[:, None] + rotate_half(x) * sin[:, None]


def repeat_kv(x, n_rep):
    # x: (B, KV, T, D) -> (B, KV·n_rep, T, D); query head h reads key/value head h // n_rep
    if n_rep == 1:
        return x
    B, KV, T, D = x.shape
    return x[:, :, None].expand(B, KV, n_rep, T, D).reshape(B, KV * n_rep, T, D)


def attention_mask(position_ids, past_length=0):
    # position_ids: (B, T) -> (B, T, past + T) bool, True where query t may attend to key s. Causal; without a
    # cache a position 0 inside a row starts a new document (packing), and a query sees only its own document.
    B, T = position_ids.shape
    query = torch.arange(T)[:, None] + past_length
    key = torch.arange(past_length + T)[None, :]
    mask = (key <= query)[None].expand(B, T, past_length + T)
    if past_length == 0:
        doc = torch.cumsum((position_ids == 0).long(), dim=1)
        mask = mask & (doc[:, :, None] == doc[:, None, :])
    return mask


def linear(x, params, module, lora):
    # x: (..., in) -> (..., out) with W: (out, in) at params[module + ".weight"], plus the LoRA update if adapted
    y = F.linear(x, params[module + ".weight"])
    pair = None if lora is None else lora.pair(module)
    if pair is not None:
        a, b = pair
        y = y + F.linear(F.linear(x, a), b) * lora.scale
    return y


def self_attention(x, params, layer, cfg, cos, sin, mask, lora, cache):
    # x: (B, T, C) -> (B, T, C)
    B, T, _ = x.shape
    H, KV, D = cfg.num_attention_heads, cfg.num_key_value_heads, cfg.head_dim
    p = f"model.layers.{layer}.self_attn."
    q = linear(x, params, p + "q_proj", lora).view(B, T, H, D).transpose(1, 2)  # (B, H, T, D)
    k = linear(x, params, p + "k_proj", lora).view(B, T, KV, D).transpose(1, 2)  # (B, KV, T, D)
    v = linear(x, params, p + "v_proj", lora).view(B, T, KV, D).transpose(1, 2)
    q, k = apply_rope(q, cos, sin), apply_rope(k, cos, sin)
    if cache is not None:
        k, v = cache.extend(layer, k, v)  # (B, KV, T_past + T, D)
    k, v = repeat_kv(k, H // KV), repeat_kv(v, H // KV)
    scores = torch.matmul(q, k.transpose(2, 3)) * D**-0.5  # (B, H, T, T_past + T)
    scores = scores.masked_fill(~mask[:, None], float("-inf"))
    y = torch.matmul(torch.softmax(scores, dim=-1), v)  # (B, H, T, D)
    return linear(y.transpose(1, 2).reshape(B, T, H * D), params, p + "o_proj", lora)


def mlp(x, params, layer, lora):
    # x: (B, T, C) -> (B, T, C): SwiGLU, down(silu(gate(x)) * up(x))
    p = f"model.layers.{layer}.mlp."
    gate = linear(x, params, p + "gate_proj", lora)
    up = linear(x, params, p + "up_proj", lora)
    return linear(F.silu(gate) * up, params, p + "down_proj", lora)


def forward(params, cfg, input_ids, position_ids=None, lora=None, cache=None):
    """input_ids: (B, T) int64 -> logits (B, T, V). position_ids: (B, T), default past..past+T-1 per row. With a
    KVCache the new keys/values are appended to it and attention spans the cached positions too."""
    B, T = input_ids.shape
    past = 0 if cache is None else cache.length
    if position_ids is None:
        position_ids = (torch.arange(T) + past)[None].expand(B, T)
    x = F.embedding(input_ids, params["model.embed_tokens.weight"])  # (B, T, C)
    cos, sin = rope_cos_sin(position_ids, cfg.head_dim, cfg.rope_theta, x.dtype)
    mask = attention_mask(position_ids, past)
    eps = cfg.rms_norm_eps
    for i in range(cfg.num_hidden_layers):
        p = f"model.layers.{i}."
        x = x + self_attention(rms_norm(x, params[p + "input_layernorm.weight"], eps), params, i, cfg, cos, sin,
                               mask, lora, cache)
        x = x + mlp(rms_norm(x, params[p + "post_attention_layernorm.weight"], eps), params, i, lora)
    x = rms_norm(x, params["model.norm.weight"], eps)
    head = params["model.embed_tokens.weight" if cfg.tie_word_embeddings else "lm_head.weight"]
    return F.linear(x, head)


def causal_lm_loss(logits, labels):
    # logits: (B, T, V), labels: (B, T). As HF: logits at t predict labels at t + 1; the mean cross-entropy over
    # the targets that are not IGNORE_INDEX.
    V = logits.shape[-1]
    return F.cross_entropy(logits[:, :-1].reshape(-1, V), labels[:, 1:].reshape(-1), ignore_index=IGNORE_INDEX)


def init_params(cfg, std, generator):
    """Random weights: linear and embedding ~ N(0, std²); norm weights 1 + N(0, 0.1²) so that they matter."""
    params = {}
    for name, shape in parameter_shapes(cfg).items():
        noise = torch.randn(shape, generator=generator)
        params[name] = 1.0 + 0.1 * noise if name.endswith("norm.weight") else std * noise
    return params


def init_lora(cfg, r, targets, generator, b_std=0.2):
    """Random LoRA weights, A ~ N(0, 1/in) and B ~ N(0, b_std²). Unlike PEFT's init (B = 0) the update is non-zero,
    so that an adapter visibly changes the logits in parity tests."""
    weights = {}
    for name, shape in lora_shapes(cfg, r, targets).items():
        std = shape[1] ** -0.5 if ".lora_A." in name else b_std
        weights[name] = std * torch.randn(shape, generator=generator)
    return weights
