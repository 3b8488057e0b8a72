"""Does `train.precision: auto` pick the faster training step on this CPU? Decides afresh (an empty probe
cache, so nothing measured earlier counts), then times the same step again on a fresh model with more
batches, and compares the pick with the other precision in this one command (a ratio, not an absolute time).
It measures the load other processes put on the cores meanwhile and will not judge a busy machine.

    python bench/precision_check.py [--profile tiny] [--batches 11] [--threads N]

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
    args = ap.parse_args()
    import torch
    from hw2_lib import compute as C
    probe = Path(tempfile.mkdtemp(prefix="hw2-precision-")) / "precision_probe.json"
    C._cache_file = lambda: probe          # decide afresh (only the probe cache: models stay where they are)
    from hw2_lib.config import load_config
    cfg = load_config(args.profile)
    if args.threads: cfg["train"]["threads"] = args.threads
    cfg["train"]["precision"] = "auto"
    with C.other_load() as load:
        p = C.resolve_precision(cfg, device="cpu")
        model = C.step_model(cfg, seed=1)
        again = C.time_steps(model, C.step_batches(cfg, args.batches, model.config.vocab_size, seed=1))
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
    ratio = again[p.name] / again[other]
    ok = ratio <= allowed
    print(f"{'OK' if ok else 'WRONG PICK'}: the {p.name} step takes {ratio:.2f}x the {other} step's time "
          f"(allowed {allowed:.2f}x)")
    return 0 if ok else 1

if __name__ == "__main__": sys.exit(main())
