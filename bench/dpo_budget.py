"""The DPO step's budget against the aligned policy's gold gain, chosen on validation prompts, never on test.

Every budget trains the profile's DPO step (`runners.run_dpo`, its own trainer, loss and pairs) from the run's
SFT model, then answers the validation half of the held-out prompts (`generate.prompts=validation`, the half
`hw2 study` selects on) with the base and the aligned policy (`runners.run_generate_and_score`, the run's
reward model). Printed per budget: optimizer steps, batch size, learning rate, pairs, the training step's
seconds (ratio to the first budget, timed in this one command), the gold gain (aligned minus base, mean over
prompts) with its 95% CI, the KL estimate, the answers' length change in words, and the paired differences to
the first budget (95% CIs; the same prompts, the same base answers) in gold gain and in the aligned answers'
words (`stats.word_count`). The implicit-reward evaluation is cut to 16 pairs here: it
does not change the training.

    python bench/dpo_budget.py [--profile tiny] [--runs-dir runs] [--budgets 200x16@3e-5,150x16@4e-5]
"""
import argparse, shutil, tempfile, time
from pathlib import Path

from common import budgets, finished_run, machine


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--profile", default="tiny"); ap.add_argument("--runs-dir", default="runs")
    ap.add_argument("--budgets", help="STEPSxBATCH@LR, comma-separated; the first is the baseline",
                    default="200x16@3e-5,150x16@3e-5,150x16@4e-5,100x16@3e-5,100x16@6e-5")
    args = ap.parse_args()
    import numpy as np
    import pandas as pd
    import torch
    from hw2_lib import runners as R
    from hw2_lib.config import load_config, override
    from hw2_lib.stats import bootstrap_ci, paired, word_count
    reads = ("prepare", "sft", "reward_model")
    cfg, root = load_config(args.profile), finished_run(args.runs_dir, args.profile, reads)
    torch.set_num_threads(cfg["train"]["threads"] or torch.get_num_threads())
    print(f"{machine('fp32', torch.get_num_threads())}; profile {args.profile}, its SFT and RM from {root}",
          flush=True)
    inputs = {s: root / s for s in reads}
    base, tmp = None, tempfile.mkdtemp(prefix="dpo_budget-")
    try:
        for steps, bs, lr in budgets(args.budgets):
            c = override(cfg, [f"dpo.max_steps={steps}", f"dpo.batch_size={bs}", f"dpo.learning_rate={lr}",
                               "dpo.implicit_rm_pairs=16", "generate.prompts=validation",
                               "train.precision=fp32", "train.progress=false"])
            out = Path(tmp) / f"{steps}x{bs}@{lr:g}"
            t = time.time(); R.run_dpo(c, inputs, out / "dpo"); secs = time.time() - t
            m = R.run_generate_and_score(c, dict(inputs, dpo=out / "dpo"), out / "generate")
            tab = pd.read_parquet(out / "generate" / "responses.parquet")
            gain = (tab.dpo_gold - tab.base_gold).to_numpy()
            words = np.array([word_count(x) for x in tab.dpo_response], float)
            if base is None: base = (secs, gain, words)
            lo, hi = bootstrap_ci(gain, seed=0)
            d, dw = paired(gain - base[1]), paired(words - base[2])
            print(f"{steps:>4} steps x {bs:>3} @ lr {lr:g}: {steps * bs:>5} pairs, DPO step {secs:6.1f} s "
                  f"({secs / base[0]:.2f}x); {len(tab)} validation prompts: gold gain {gain.mean():+.3f} "
                  f"[{lo:+.3f}, {hi:+.3f}], KL {m['kl_estimate']:.2f}, length change "
                  f"{m['length_change']:+.1f} words; vs the first: gold gain {d.mean:+.3f} "
                  f"[{d.lo:+.3f}, {d.hi:+.3f}], answers {dw.mean:+.1f} [{dw.lo:+.1f}, {dw.hi:+.1f}] words",
                  flush=True)
    finally: shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
