#!/usr/bin/python3
"""PyTorch reference (test oracle) for the engine's reward model: HF's LlamaForSequenceClassification with one label
(a bias-free `score` linear head on the final-norm hidden state, read at each row's last real token) and the
Bradley-Terry loss of TRL's RewardTrainer, with autograd gradients.

  reward_reference.py --model DIR [--adapter DIR] --pairs FILE.json --out FILE.safetensors [--center C]

DIR holds config.json and model.safetensors with the backbone's HF names plus score.weight (1, C) and no lm_head.
An adapter is PEFT's SEQ_CLS layout: LoRA weights plus the head as base_model.model.score.weight (modules_to_save).
Pairs JSON: {"chosen": [[ids...], ...], "rejected": [[ids...], ...]}, rows of any length; they are right-padded
with 0 and the reward is read at index len(row) - 1. Output: float32 `rewards_chosen` (P), `rewards_rejected` (P),
`loss` [] = mean(-logsigmoid(r_w - r_l)) + C * mean((r_w + r_l)^2), and `grad/NAME` for every trainable parameter
(every weight without an adapter; the LoRA weights and base_model.model.score.weight with one).
Bad input: one line on stderr, exit code 2; a missing torch: exit code 3.
"""

import argparse
import dataclasses
import json
import os
import sys

sys.dont_write_bytecode = True

try:
    import torch
    import torch.nn.functional as F
except ImportError:
    print("reward_reference: PyTorch is not installed for this python; run `infra/services/install.sh torch`",
          file=sys.stderr)
    sys.exit(3)

import llama_model as lm
import llama_reference as ref
import safetensors_io as st

HEAD = "score.weight"
SAVED_HEAD = "base_model.model.score.weight"


def load_reward_model(model_dir):
    """(LlamaConfig, {HF name: float32 tensor}) for a one-label LlamaForSequenceClassification."""
    config_path = os.path.join(model_dir, "config.json")
    d = ref.read_json(config_path)
    if "LlamaForSequenceClassification" not in (d.get("architectures") or []):
        raise ref.InputError(f"{config_path}: architectures must include LlamaForSequenceClassification")
    if len(d.get("id2label", {"0": "LABEL_0"})) != 1:
        raise ref.InputError(f"{config_path}: a reward model has exactly one label")
    cfg = lm.LlamaConfig.from_dict(d, config_path)
    path = os.path.join(model_dir, "model.safetensors")
    tensors, _ = st.read(path)
    shapes = {n: s for n, s in lm.parameter_shapes(cfg).items() if n != "lm_head.weight"}
    shapes[HEAD] = (1, cfg.hidden_size)
    ref.check_tensors(path, tensors, shapes)
    return cfg, {name: tensors[name].float() for name in shapes}


def load_seq_cls_adapter(adapter_dir, cfg):
    """(Lora, head) from a PEFT SEQ_CLS adapter whose modules_to_save is ["score"]."""
    config_path = os.path.join(adapter_dir, "adapter_config.json")
    d = ref.read_json(config_path)
    for key, expected in {**ref.LORA_FORMAT, "task_type": "SEQ_CLS", "modules_to_save": ["score"]}.items():
        if d.get(key) != expected:
            raise ref.InputError(f"{config_path}: '{key}' is {d.get(key)!r}; expected {expected!r}")
    r, alpha, targets = d["r"], float(d["lora_alpha"]), d["target_modules"]
    path = os.path.join(adapter_dir, "adapter_model.safetensors")
    tensors, _ = st.read(path)
    shapes = {**lm.lora_shapes(cfg, r, targets), SAVED_HEAD: (1, cfg.hidden_size)}
    ref.check_tensors(path, tensors, shapes)
    weights = {name: tensors[name].float() for name in shapes if name != SAVED_HEAD}
    return lm.Lora(r, alpha, tuple(targets), weights), tensors[SAVED_HEAD].float()


def rewards(params, cfg, rows, lora):
    """rows: list of id lists -> (len(rows),) rewards: score(final_norm) at each row's last real token."""
    T = max(len(r) for r in rows)
    ids = torch.tensor([r + [0] * (T - len(r)) for r in rows], dtype=torch.int64)
    # The score head in lm_head's place: llama_model.forward then returns score(final_norm) per token, (B, T, 1).
    head_params = {**{n: t for n, t in params.items() if n != HEAD}, "lm_head.weight": params[HEAD]}
    head_cfg = dataclasses.replace(cfg, tie_word_embeddings=False)
    scores = lm.forward(head_params, head_cfg, ids, None, lora)[..., 0]
    last = torch.tensor([len(r) - 1 for r in rows])
    return scores[torch.arange(len(rows)), last]


def bradley_terry(chosen, rejected, center):
    loss = -F.logsigmoid(chosen - rejected).mean()
    return loss + center * ((chosen + rejected) ** 2).mean() if center else loss


def load_pairs(path, vocab):
    d = ref.read_json(path)
    ok = isinstance(d, dict) and set(d) == {"chosen", "rejected"}
    ok = ok and all(isinstance(d[k], list) and d[k] and all(isinstance(r, list) and r for r in d[k]) for k in d)
    ok = ok and len(d["chosen"]) == len(d["rejected"])
    ok = ok and all(isinstance(v, int) and 0 <= v < vocab for k in d for r in d[k] for v in r)
    if not ok:
        raise ref.InputError(f"{path}: expected {{'chosen': [[ids]], 'rejected': [[ids]]}}, equal counts, ids in [0, {vocab})")
    return d["chosen"], d["rejected"]


def run(args):
    cfg, params = load_reward_model(args.model)
    lora = None
    if args.adapter:
        lora, params[HEAD] = load_seq_cls_adapter(args.adapter, cfg)
        trainable = {**lora.weights, SAVED_HEAD: params[HEAD]}
    else:
        trainable = params
    for t in trainable.values():
        t.requires_grad_(True)
    chosen_rows, rejected_rows = load_pairs(args.pairs, cfg.vocab_size)
    # One pass over chosen then rejected rows, as the trainer batches them.
    r = rewards(params, cfg, chosen_rows + rejected_rows, lora)
    chosen, rejected = r[:len(chosen_rows)], r[len(chosen_rows):]
    loss = bradley_terry(chosen, rejected, args.center)
    loss.backward()
    out = {"rewards_chosen": chosen, "rewards_rejected": rejected, "loss": loss}
    out.update({f"grad/{name}": t.grad for name, t in trainable.items()})
    st.write(args.out, out)
    print(json.dumps({"loss": loss.item(), "pairs": len(chosen_rows), "trainable": len(trainable)}))


def main(argv):
    p = argparse.ArgumentParser(prog="reward_reference.py", description=__doc__.split("\n\n")[0])
    p.add_argument("--model", required=True, help="reward model directory (config.json, model.safetensors)")
    p.add_argument("--adapter", help="PEFT SEQ_CLS LoRA adapter directory with the score head")
    p.add_argument("--pairs", required=True, help="pairs JSON file")
    p.add_argument("--out", required=True, help="output .safetensors file")
    p.add_argument("--center", type=float, default=0.0, help="center_rewards_coefficient")
    args = p.parse_args(argv)
    torch.set_num_threads(2)
    try:
        run(args)
    except (ref.InputError, lm.ModelError, st.SafeTensorsError, OSError, KeyError, TypeError, ValueError) as e:
        print(f"reward_reference: error: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
