"""A micro training run (SFT -> reward model -> DPO) used by the determinism and resume tests.

usage: python micro_train.py OUT_DIR [--die-at-step N] [--resume]
Writes OUT_DIR/metrics.json. With --die-at-step, the DPO stage hard-exits (os._exit) right after step N, like
a killed process; --resume continues the DPO stage from its last checkpoint."""
import argparse, copy, json, os, sys
from pathlib import Path
import torch
from transformers import TrainerCallback
from transformers.utils import logging as hf_logging
from hw2_lib import models as M, synthetic as S, trainer as T, evaluate as E
from hw2_lib.data import load_synthetic

hf_logging.set_verbosity_error()
torch.set_num_threads(1)


class DieAt(TrainerCallback):
    def __init__(self, step): self.step = step
    def on_step_end(self, args, state, control, **kw):
        if state.global_step == self.step:
            sys.stdout.flush(); os._exit(17)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out"); ap.add_argument("--die-at-step",
                                            type=int); ap.add_argument("--resume", action="store_true")
    a = ap.parse_args()
    out = Path(a.out); out.mkdir(parents=True, exist_ok=True)
    S.write_synthetic(out / "data", n_train=96, n_test=48, seed=0)
    tr, te = load_synthetic(out / "data", "train"), load_synthetic(out / "data", "test")
    tok = M.train_tokenizer(S.synthetic_corpus(), 512)
    lm = M.build_causal_lm(tok, "micro", seed=0)
    sft_args = T.training_args(out / "sft", max_steps=8, learning_rate=3e-3, per_device_train_batch_size=16,
                               save_strategy="no", disable_tqdm=True, logging_steps=4)
    T.CompletionTrainer(model=lm, args=sft_args,
                        train_dataset=T.tokenize_completions(tr, tok, max_length=128, responses="both"),
                        data_collator=T.CompletionCollator(tok.pad_token_id)).train()
    tp = T.tokenize_pairs(tr, tok, max_length=128)
    tp = T.precompute_reference_logps(lm, tp, tok.pad_token_id, batch_size=32)
    policy = copy.deepcopy(lm)
    args = T.training_args(out / "dpo", max_steps=12, save_steps=4, learning_rate=2e-3,
                           per_device_train_batch_size=8,
                           disable_tqdm=True, logging_steps=2)
    cbs = [DieAt(a.die_at_step)] if a.die_at_step else []
    t = T.PairwiseTrainer(model=policy, args=args, train_dataset=tp,
                          data_collator=T.PairCollator(tok.pad_token_id), loss="dpo", callbacks=cbs)
    t.train(resume_from_checkpoint=True if a.resume else None)
    gens = E.generate_responses(policy, tok, list(te)[:8], max_new_tokens=16, batch_size=8, seed=0)
    logs = [h for h in t.state.log_history if "loss" in h]
    m = dict(final_loss=logs[-1]["loss"], final_margin=logs[-1]["rewards/margin"],
             weight_sum=float(sum(p.double().sum() for p in policy.parameters())), generations=gens,
             ref_logps_head=tp["ref_chosen_logps"][:4])
    (out / "metrics.json").write_text(json.dumps(m, indent=2))


if __name__ == "__main__":
    main()
