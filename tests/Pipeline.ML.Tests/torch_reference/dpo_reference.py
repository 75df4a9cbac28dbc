#!/usr/bin/python3
"""PyTorch reference (test oracle) for the engine's DPO objective: the loss of TRL's DPOTrainer (loss_type sigmoid,
hinge, ipo; rpo_alpha) and CPOTrainer's simpo, on the plain-torch LLaMA of llama_model.py, with autograd gradients.

  dpo_reference.py --model DIR [--adapter DIR] --pairs FILE.json --out FILE.safetensors

Pairs JSON: {"input_ids": [[...]] (2B rows: the B chosen rows, then the B rejected rows), "labels": [[...]]
(-100 except on completion tokens), "ref_chosen": [B], "ref_rejected": [B] (reference completion log-prob SUMS),
"loss_type": "sigmoid"|"hinge"|"ipo"|"simpo", "beta": b, "label_smoothing": e, "simpo_gamma": g, "rpo_alpha": a|null}.
Output: float32 `loss` [] and `grad/NAME` per trainable parameter, named as llama_reference.py names them.
"""

import argparse
import json
import sys

sys.dont_write_bytecode = True

try:
    import torch
    import torch.nn.functional as F
except ImportError:
    print("dpo_reference: PyTorch is not installed for this python; run `infra/services/install.sh torch`", file=sys.stderr)
    sys.exit(3)

import llama_model as lm
import llama_reference as ref
import safetensors_io as st


def completion_logps(logits, labels):
    """(sum over completion tokens of log p, completion length) per row; logits at t score labels at t + 1."""
    logits, labels = logits[:, :-1], labels[:, 1:]
    mask = labels != lm.IGNORE_INDEX
    safe = torch.where(mask, labels, torch.zeros_like(labels))
    per_token = torch.gather(logits.log_softmax(-1), 2, safe.unsqueeze(2)).squeeze(2)
    return (per_token * mask).sum(-1), mask.sum(-1)


def pair_losses(spec, chosen, rejected, ref_chosen, ref_rejected):
    """Per-pair losses, written from the papers as TRL implements them."""
    kind, beta, eps = spec["loss_type"], spec["beta"], spec.get("label_smoothing", 0.0)
    if kind == "simpo":
        # SimPO (Meng et al. 2024): reference-free, margin gamma; TRL's CPOTrainer subtracts gamma / beta inside.
        h = (chosen - rejected) - spec["simpo_gamma"] / beta
    else:
        h = (chosen - ref_chosen) - (rejected - ref_rejected)
    if kind in ("sigmoid", "simpo"):
        return -F.logsigmoid(beta * h) * (1 - eps) - F.logsigmoid(-beta * h) * eps
    if kind == "hinge":
        return torch.relu(1 - beta * h)
    if kind == "ipo":
        return (h - 1 / (2 * beta)) ** 2
    raise ref.InputError(f"unknown loss_type {kind!r}")


def run(args):
    cfg, params = ref.load_model(args.model)
    lora = ref.load_adapter(args.adapter, cfg) if args.adapter else None
    spec = ref.read_json(args.pairs)
    ids = ref.int_matrix(spec, "input_ids", args.pairs)
    labels = ref.int_matrix(spec, "labels", args.pairs, *ids.shape)
    n = ids.shape[0] // 2
    ref_chosen = torch.tensor(spec["ref_chosen"], dtype=torch.float32)
    ref_rejected = torch.tensor(spec["ref_rejected"], dtype=torch.float32)
    trainable = lora.weights if lora else params
    for t in trainable.values():
        t.requires_grad_(True)
    logits = lm.forward(params, cfg, ids, None, lora)
    sums, lengths = completion_logps(logits, labels)
    if spec["loss_type"] in ("ipo", "simpo"):
        # TRL averages over the completion for IPO (DPOTrainer) and SimPO (CPOTrainer); the reference too.
        sums = sums / lengths
        ref_chosen, ref_rejected = ref_chosen / lengths[:n], ref_rejected / lengths[n:]
    loss = pair_losses(spec, sums[:n], sums[n:], ref_chosen, ref_rejected).mean()
    if spec.get("rpo_alpha") is not None:
        # TRL's RPO term: the cross-entropy of the chosen rows, a mean over their completion tokens.
        V = logits.shape[-1]
        nll = F.cross_entropy(logits[:n, :-1].reshape(-1, V), labels[:n, 1:].reshape(-1), ignore_index=lm.IGNORE_INDEX)
        loss = loss + spec["rpo_alpha"] * nll
    loss.backward()
    out = {"loss": loss}
    out.update({f"grad/{name}": t.grad for name, t in trainable.items()})
    st.write(args.out, out)
    print(json.dumps({"loss": loss.item(), "pairs": n}))


def main(argv):
    p = argparse.ArgumentParser(prog="dpo_reference.py", description=__doc__.split("\n\n")[0])
    p.add_argument("--model", required=True)
    p.add_argument("--adapter")
    p.add_argument("--pairs", required=True)
    p.add_argument("--out", required=True)
    args = p.parse_args(argv)
    torch.manual_seed(0)
    torch.set_num_threads(2)
    try:
        run(args)
    except (ref.InputError, lm.ModelError, st.SafeTensorsError, OSError, KeyError) as e:
        print(f"dpo_reference: error: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
