"""The reward-model step's budget against its accuracy, selected on validation pairs, never on test.

The validation pairs are the train pairs of a held-out ninth of the train prompts (by a hash of the prompt,
so no validation prompt is trained on); every budget trains on the rest, from the run's SFT model, with the
reward-model step's own trainer, collator and tokenization. Printed per budget: optimizer steps, batch size,
learning rate, pairs seen, the training's seconds (ratio to the first budget, timed in this one command),
validation accuracy with its 95% CI, and the paired difference in accuracy to the first budget (95% CI).

    python bench/rm_budget.py [--profile tiny] [--runs-dir runs] [--budgets 500x16@5e-4,250x16@1e-3]
"""
import argparse, hashlib, shutil, tempfile, time
from pathlib import Path

from common import budgets, finished_run, machine


def held_out(r: dict, parts: int = 9) -> bool:
    "Whether pair `r` is a validation pair: its prompt one in `parts`, by a hash of `data.prompt_key`."
    from hw2_lib.data import prompt_key
    return int(hashlib.sha256(prompt_key(r).encode()).hexdigest(), 16) % parts == 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--profile", default="tiny"); ap.add_argument("--runs-dir", default="runs")
    ap.add_argument("--budgets", help="STEPSxBATCH@LR, comma-separated; the first is the baseline",
                    default="500x16@5e-4,350x16@5e-4,250x16@5e-4,500x16@3e-4,350x16@3e-4,250x16@1e-3,250x16@2e-3")
    args = ap.parse_args()
    import torch
    from hw2_lib import evaluate as E, models as M, runners as R, trainer as T
    from hw2_lib.config import load_config, override
    from hw2_lib.stats import bootstrap_ci, paired
    from hw2_lib.synthetic import bayes_accuracy
    cfg, root = load_config(args.profile), finished_run(args.runs_dir, args.profile, ("prepare", "sft"))
    torch.set_num_threads(cfg["train"]["threads"] or torch.get_num_threads())
    train, test = R.load_prepared(root / "prepare")
    train, _, _ = R.rm_pairs(cfg, train, test)
    val = train.filter(held_out)
    fit = train.filter(lambda r: not held_out(r))
    recs = list(val)
    tpl, L = cfg["model"]["template"], cfg["data"]["max_length"]
    print(f"{machine('fp32', torch.get_num_threads())}; {len(fit)} train pairs, {len(val)} validation pairs "
          f"({len(set(val['prompt']))} prompts held out; their Bayes accuracy {bayes_accuracy(recs):.4f})",
          flush=True)
    base, tp, tmp = None, None, tempfile.mkdtemp(prefix="rm_budget-")     # tmp: the trainings' checkpoints
    for steps, bs, lr in budgets(args.budgets):
        c = override(cfg, [f"reward_model.max_steps={steps}", f"reward_model.batch_size={bs}",
                           f"reward_model.learning_rate={lr}", "train.precision=fp32",
                           "train.progress=false"])
        rc, out = c["reward_model"], Path(tmp) / f"{steps}x{bs}@{lr:g}"
        prec = R._precision(c)
        model, tok = M.load_reward_model(R.policy_init(c, {"sft": root / "sft"}), seed=c["seed"])
        if tp is None: tp = T.tokenize_pairs(fit, tok, tpl, L, desc=None)    # one tokenizer for every budget
        coll = R._pairs(c, tok)
        tr = T.PairwiseTrainer(model=model, args=R._args(c, rc, out, prec, coll), train_dataset=tp,
                               data_collator=coll, loss=rc["loss"], loss_kwargs=rc["loss_kwargs"])
        t = time.time(); tr.train(); secs = time.time() - t
        model.eval()
        s = [E.score_responses(model, tok, recs, [r[k] for r in recs], tpl, L, desc=None)
             for k in ("chosen", "rejected")]
        right = (s[0] > s[1]).astype(float)
        if base is None: base = (secs, right)
        acc, (lo, hi) = right.mean(), bootstrap_ci(right, seed=0)
        d = paired(right - base[1])
        print(f"{steps:>5} steps x {bs:>3} @ lr {lr:g}: {steps * bs:>5} pairs, {secs:6.1f} s "
              f"({secs / base[0]:.2f}x), validation accuracy {acc:.4f} [{lo:.4f}, {hi:.4f}], "
              f"vs the first {d.mean:+.4f} [{d.lo:+.4f}, {d.hi:+.4f}]", flush=True)
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
