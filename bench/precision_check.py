"""Does `train.precision: auto` pick the faster training step on this CPU? Decides afresh (an empty probe
cache, so nothing measured earlier counts) at the prepared pairs' lengths of `runs/<profile>/prepare` (guessed
lengths without it), then times the same probe step again on a fresh model with more batches, and compares
the pick with the other precision in this one command (a ratio, not an absolute time). With `--real N` it also
times the real DPO step (`runners.run_dpo`: our Trainer, collator and loss, N optimizer steps on the prepared
pairs, from `runs/<profile>/sft` for a scratch model) in fp32 and bf16, twice each, interleaved, and judges
the pick by that. It measures the load other processes put on the cores meanwhile and will not judge a busy
machine.

    python bench/precision_check.py [--profile tiny] [--runs-dir runs] [--batches 11] [--threads N]
                                    [--real 40]

Exit status: 0 the pick is not slower (beyond the rule's own margin and 10% noise), 1 it is slower, 3 the
machine was busy (not judged: run it again on a quiet machine).
"""
import argparse, sys, tempfile
from pathlib import Path

def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--profile", default="tiny")
    ap.add_argument("--batches", type=int, default=11,
                    help="batches of the second timing (the first untimed)")
    ap.add_argument("--threads", type=int, default=0, help="torch threads (0: the profile's train.threads)")
    ap.add_argument("--runs-dir", default="runs", help="where `hw2 run` put the profile's folders")
    ap.add_argument("--real", type=int, default=0,
                    help="optimizer steps of the real DPO step to time (0: none)")
    args = ap.parse_args()
    import torch
    from hw2_lib import compute as C
    probe = Path(tempfile.mkdtemp(prefix="hw2-precision-")) / "precision_probe.json"
    C._cache_file = lambda: probe          # decide afresh (only the probe cache: models stay where they are)
    from hw2_lib.config import load_config
    cfg = load_config(args.profile)
    if args.threads: cfg["train"]["threads"] = args.threads
    cfg["train"]["precision"] = "auto"
    from hw2_lib.runners import pair_lengths
    root = Path(args.runs_dir) / args.profile
    lengths = pair_lengths(cfg, root / "prepare")
    with C.other_load() as load:
        p = C.resolve_precision(cfg, device="cpu", lengths=lengths)
        model = C.step_model(cfg, seed=1)
        again = C.time_steps(model, C.step_batches(cfg, args.batches, model.config.vocab_size, seed=1,
                                                   lengths=lengths))
        real = real_steps(cfg, root, args.real) if args.real else None
    threads = torch.get_num_threads()
    print(f"CPU: {C.cpu_model()} (native bf16: {', '.join(C.native_bf16_flags()) or 'none'}); "
          f"profile {args.profile}; {threads} threads; torch {torch.__version__}")
    print(f"auto: {p.name} ({p.reason})")
    print(f"again ({args.batches - 1} timed batches): fp32 {again['fp32']:.3f} s, "
          f"bf16 {again['bf16']:.3f} s, fp32/bf16 {again['fp32'] / again['bf16']:.2f}x")
    print(f"other processes used {load['cores']} of {load['cpus']} cores meanwhile")
    if p.timing.get("busy") or C.is_busy(load["cores"], load["cpus"], threads):
        print("NOT JUDGED: the machine was busy"); return 3
    other = "bf16" if p.name == "fp32" else "fp32"
    # fp32 is kept unless bf16 wins by the rule's margin (1.15x), so an fp32 pick may trail bf16 by that much
    allowed = 1.1 * (1.15 if p.name == "fp32" else 1.0)
    if real:
        print(f"real DPO step, {args.real} optimizer steps, train seconds: "
              + "; ".join(f"{k} {', '.join(f'{s:.1f}' for s in v)}" for k, v in real.items()))
        again = {k: min(v) for k, v in real.items()}           # judged by the real step, best of two
    ratio = again[p.name] / again[other]
    ok = ratio <= allowed
    print(f"{'OK' if ok else 'WRONG PICK'}: the {p.name} step takes {ratio:.2f}x the {other} step's time "
          f"(allowed {allowed:.2f}x)")
    return 0 if ok else 1

def real_steps(cfg: dict, root: Path, steps: int) -> dict[str, list[float]]:
    "Train seconds of `runners.run_dpo` (`steps` optimizer steps), fp32 and bf16 twice each, interleaved."
    import copy
    from hw2_lib import runners as R
    inputs = {n: root / n for n in ("prepare", "sft") if (root / n / "metrics.json").exists()}
    got = {"fp32": [], "bf16": []}
    for prec in ("fp32", "bf16", "fp32", "bf16"):
        c = copy.deepcopy(cfg)
        c["train"]["precision"] = prec
        c["dpo"].update(max_steps=steps, implicit_rm_pairs=0, heldout_pairs=0)
        with tempfile.TemporaryDirectory() as d:
            got[prec].append(R.run_dpo(c, inputs, d)["compute"]["seconds"])
    return got

if __name__ == "__main__": sys.exit(main())
