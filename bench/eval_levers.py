"""Two evaluation levers measured and not taken, each against today's way in this one command (ratios, not
absolute times), on a finished run's folders:
- the reward model's scores of the test pairs (what every reward-model step computes): one row per response
  (`evaluate.score_responses`, today) against one shared-prefix row per pair (`trainer.pack_pairs` read by
  `trainer.packed_reward_scores`, as training reads them); the scores must agree;
- sampling the aligned policy's answers (`evaluate.generate_responses`, what every evaluation does) at
  `generate.batch_size` against larger batches. Each batch is seeded, so another batch size draws other
  answers: the mean gold reward (synthetic data) shows how far that moves an evaluation by chance alone.

    python bench/eval_levers.py [--profile tiny] [--runs-dir runs] [--batches 100,150,300] [--repeats 2]
"""
import argparse, time

from common import finished_run, machine


def packed_scores(model, tok, pairs: list[dict], template: str, max_length: int, rows: int):
    "(2, N) scores of the chosen and the rejected response of each pair, a pair per shared-prefix row."
    import datasets, numpy as np, torch
    from hw2_lib import trainer as T
    tp = T.tokenize_pairs(datasets.Dataset.from_list(pairs), tok, template, max_length, desc=None)
    recs = tp.select_columns(["chosen_input_ids", "rejected_input_ids", "prompt_len"]).to_list()
    lengths = tp["packed_length"]
    order = sorted(range(len(recs)), key=lambda i: lengths[i])
    coll, out = T.PairCollator(tok.pad_token_id, shared_prefix=True), np.zeros((2, len(recs)))
    model.eval()
    with torch.no_grad():
        for s in range(0, len(order), rows):
            idx = order[s:s + rows]
            y = T.packed_reward_scores(model, coll([recs[i] for i in idx])).float().numpy()
            out[0, idx], out[1, idx] = y[:len(idx)], y[len(idx):]
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--profile", default="tiny"); ap.add_argument("--runs-dir", default="runs")
    ap.add_argument("--batches", default="100,150,300", help="generation batch sizes against the profile's")
    ap.add_argument("--repeats", type=int, default=2)
    args = ap.parse_args()
    import numpy as np, torch
    from hw2_lib import evaluate as E, models as M, runners as R, synthetic as S
    from hw2_lib.config import load_config
    from hw2_lib.stats import has_gold
    cfg = load_config(args.profile)
    root = finished_run(args.runs_dir, args.profile, ("prepare", "reward_model", "dpo"))
    torch.set_num_threads(cfg["train"]["threads"] or torch.get_num_threads())
    _, test = R.load_prepared(root / "prepare")
    rm, rtok = M.load_reward_model(root / "reward_model" / "model")
    policy, tok = M.load_causal_lm(root / "dpo" / "model")
    tpl, L, g = cfg["model"]["template"], cfg["data"]["max_length"], cfg["generate"]
    pairs, prompts = list(test), R._unique_prompts(test, g["n_prompts"], cfg["seed"], g["prompts"])
    sizes = [g["batch_size"]] + [int(b) for b in args.batches.split(",")]
    kw = dict(template=tpl, max_new_tokens=g["max_new_tokens"], temperature=g["temperature"],
              repetition_penalty=g["repetition_penalty"], seed=cfg["seed"], desc=None)
    secs, gap, gold = {}, 0.0, {}
    for _ in range(args.repeats):
        t = time.time()
        rows = E.score_responses(rm, rtok, pairs + pairs, [r["chosen"] for r in pairs]
                                 + [r["rejected"] for r in pairs], tpl, L, desc=None)
        secs.setdefault("scores: a row per response", []).append(time.time() - t)
        for n in (16, 32):
            t = time.time(); p = packed_scores(rm, rtok, pairs, tpl, L, n)
            secs.setdefault(f"scores: shared prefix, {n} rows", []).append(time.time() - t)
            gap = max(gap, float(np.abs(p.ravel() - rows).max()))
        for b in sizes:
            t = time.time(); ans = E.generate_responses(policy, tok, prompts, batch_size=b, **kw)
            secs.setdefault(f"generate: batch {b}", []).append(time.time() - t)
            if has_gold(cfg): gold[b] = float(np.mean([S.gold_scores(r["prompt"], a).overall
                                                       for r, a in zip(prompts, ans)]))
    assert gap < 1e-3, f"shared-prefix scores differ by {gap}"
    print(f"{machine('fp32', torch.get_num_threads())}; profile {args.profile}; {len(pairs)} test pairs, "
          f"{len(prompts)} prompts")
    mean = {k: sum(s) / len(s) for k, s in secs.items()}
    for k, s in secs.items():
        first = "scores: a row per response" if k.startswith("scores") else f"generate: batch {sizes[0]}"
        drift = f"; mean gold reward {gold[int(k.split()[-1])]:+.3f}" if k.startswith("gen") and gold else ""
        print(f"{k:32s}: {', '.join(f'{x:.2f}' for x in s)} s ({mean[k] / mean[first]:.2f}x){drift}")
    print(f"largest gap between the two ways of scoring: {gap:.1e}")


if __name__ == "__main__": main()
