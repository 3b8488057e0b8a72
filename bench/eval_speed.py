"""Two costs inside every study step, each against its baseline in this one command (ratios, not absolute
times), on a finished run's folders:
- tokenizing the train pairs (what each reward-model step does): a tokenizer call per text, as before,
  against `trainer.tokenize_pairs` (one batched call per part); the ids must be equal;
- the trained policy judged as a reward model on the test pairs (`evaluate.implicit_rewards`, what each DPO
  step does): two rows per pair against one shared-prefix row per pair; the rewards must agree.

    python bench/eval_speed.py [--profile tiny] [--runs-dir runs] [--pairs 1000] [--repeats 2]
"""
import argparse, time

from common import finished_run, machine


def per_text(train, tok, template: str) -> list[tuple[list[int], list[int]]]:
    "The baseline: (chosen ids, rejected ids) of each pair with a tokenizer call per text."
    from hw2_lib.models import format_prompt, format_response
    out = []
    for r in train:
        p = tok(format_prompt(r, tok, template), add_special_tokens=False)["input_ids"]
        c, j = (tok(format_response(r, r[k], tok, template), add_special_tokens=False)["input_ids"]
                for k in ("chosen", "rejected"))
        out.append((p + c, p + j))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--profile", default="tiny"); ap.add_argument("--runs-dir", default="runs")
    ap.add_argument("--pairs", type=int, default=1000, help="test pairs the policy is judged on")
    ap.add_argument("--repeats", type=int, default=2)
    args = ap.parse_args()
    import numpy as np, torch
    from hw2_lib import evaluate as E, models as M, runners as R, trainer as T
    from hw2_lib.config import load_config
    cfg = load_config(args.profile)
    root = finished_run(args.runs_dir, args.profile, ("prepare", "sft", "dpo"))
    if cfg["model"]["template"] == "plain": raise SystemExit("the baseline tokenizes homework/chat text")
    torch.set_num_threads(cfg["train"]["threads"] or torch.get_num_threads())
    train, test = R.load_prepared(root / "prepare")
    policy, tok = M.load_causal_lm(root / "dpo" / "model")
    ref = M.load_causal_lm(root / "sft" / "model")[0]
    tpl, L, dc = cfg["model"]["template"], cfg["data"]["max_length"], cfg["dpo"]
    pairs = list(test.shuffle(seed=cfg["seed"]).select(range(min(args.pairs, len(test)))))
    secs = {k: [] for k in ("per text", "batched", "two rows", "shared prefix")}
    for _ in range(args.repeats):
        t = time.time(); base = per_text(train, tok, tpl); secs["per text"].append(time.time() - t)
        t = time.time(); tp = T.tokenize_pairs(train, tok, tpl, 10**6, desc=None)
        secs["batched"].append(time.time() - t)
        got = list(zip(tp["chosen_input_ids"], tp["rejected_input_ids"]))
        assert got == base, "batched tokenization gave other ids"
        rewards = {}
        for name, packed in (("two rows", False), ("shared prefix", True)):
            t = time.time()        # the reference's log-probs too (no cache), as a first evaluation pays them
            rewards[name] = np.stack(E.implicit_rewards(
                policy, ref, tok, pairs, dc["loss"], dc["loss_kwargs"], tpl, L, 2 * dc["batch_size"],
                desc=None, shared_prefix=packed))
            secs[name].append(time.time() - t)
        gap = float(np.abs(rewards["two rows"] - rewards["shared prefix"]).max())
        wins = [np.sign(r[0] - r[1]) for r in rewards.values()]
        assert gap < 1e-3, f"shared-prefix rewards differ by {gap}"
    print(f"{machine('fp32', torch.get_num_threads())}; profile {args.profile}; {len(train)} train pairs, "
          f"{len(pairs)} test pairs")
    for k, s in secs.items(): print(f"{k:14s}: {', '.join(f'{x:.2f}' for x in s)} s")
    mean = {k: sum(s) / len(s) for k, s in secs.items()}
    print(f"tokenize_pairs, batched / per text: {mean['batched'] / mean['per text']:.2f} (ids identical)")
    print(f"implicit rewards, shared prefix / two rows: {mean['shared prefix'] / mean['two rows']:.2f} "
          f"(largest reward gap {gap:.1e}; the same winner on {int((wins[0] == wins[1]).sum())} of "
          f"{len(pairs)} pairs)")


if __name__ == "__main__": main()
