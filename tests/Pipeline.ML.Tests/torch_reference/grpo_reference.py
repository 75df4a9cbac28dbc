#!/usr/bin/python3
"""PyTorch reference (test oracle) for the engine's GRPO loss: the GRPO objective of DeepSeekMath written directly in
torch on llama_model.py, with autograd for the gradients.

  grpo_reference.py --model DIR --batch FILE.json --grpo FILE.json --out FILE.safetensors

Batch JSON as llama_reference.py (input_ids, labels; -100 = no loss). GRPO JSON: "advantages" (B), "old_logps" and
"ref_logps" (B, T-1; entry t scores target labels[:, t+1]), "beta", "epsilon", "epsilon_high", "loss_type"
(grpo | bnpo | dr_grpo) and "max_completion_length". Per token: ratio = exp(logp - old), loss
-min(ratio*A, clamp(ratio, 1-eps, 1+eps_high)*A) + beta*(exp(ref-logp) - (ref-logp) - 1); then aggregated by the loss
type. Output: float32 `loss` [] and `grad/NAME` for every weight.
"""

import argparse
import json
import sys

sys.dont_write_bytecode = True

try:
    import torch
except ImportError:
    print("grpo_reference: PyTorch is not installed for this python; run `infra/services/install.sh torch`", file=sys.stderr)
    sys.exit(3)

import llama_model as lm
import llama_reference as ref
import safetensors_io as st


def grpo_loss(logits, labels, g):
    targets = labels[:, 1:]
    mask = (targets != lm.IGNORE_INDEX).to(logits.dtype)
    logp = torch.log_softmax(logits[:, :-1].float(), dim=-1).gather(-1, targets.clamp(min=0).unsqueeze(-1)).squeeze(-1)
    adv = torch.tensor(g["advantages"], dtype=torch.float64).unsqueeze(-1)
    old = torch.tensor(g["old_logps"], dtype=torch.float64)
    logp64 = logp.double()
    ratio = torch.exp(logp64 - old)
    clipped = torch.clamp(ratio, 1 - g["epsilon"], 1 + g["epsilon_high"])
    per_token = -torch.min(ratio * adv, clipped * adv)
    if g["beta"] > 0:
        d = torch.tensor(g["ref_logps"], dtype=torch.float64) - logp64
        per_token = per_token + g["beta"] * (torch.exp(d) - d - 1)
    mask = mask.double()
    kind = g["loss_type"]
    if kind == "grpo":
        return ((per_token * mask).sum(-1) / mask.sum(-1).clamp(min=1)).mean()
    if kind == "bnpo":
        return (per_token * mask).sum() / mask.sum().clamp(min=1)
    if kind == "dr_grpo":
        return (per_token * mask).sum() / (mask.shape[0] * g["max_completion_length"])
    raise ref.InputError(f"unknown loss_type {kind!r}")


def main(argv):
    p = argparse.ArgumentParser(prog="grpo_reference.py", description=__doc__.split("\n\n")[0])
    p.add_argument("--model", required=True)
    p.add_argument("--batch", required=True)
    p.add_argument("--grpo", required=True)
    p.add_argument("--out", required=True)
    args = p.parse_args(argv)
    torch.set_num_threads(2)
    try:
        cfg, params = ref.load_model(args.model)
        ids, labels, positions = ref.load_batch(args.batch, cfg)
        g = ref.read_json(args.grpo)
        for t in params.values():
            t.requires_grad_(True)
        logits = lm.forward(params, cfg, ids, positions, None)
        loss = grpo_loss(logits, labels, g)
        loss.backward()
        out = {"loss": loss.float()}
        out.update({f"grad/{name}": t.grad for name, t in params.items()})
        st.write(args.out, out)
        print(json.dumps({"loss": loss.item()}))
    except (ref.InputError, lm.ModelError, st.SafeTensorsError, OSError, KeyError) as e:
        print(f"grpo_reference: error: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
