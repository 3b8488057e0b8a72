"""Does `torch.compile` make the profile's training step faster on this machine? Times the DPO training step
of the profile's model at its batch shape (`compute.time_steps`: loss, backward, clipping, AdamW; a new
length every batch, as length-grouped training draws them) eager and compiled (inductor), in one command, and
prints the compile cost (the first two batches: the first compile and the recompile with dynamic shapes) and
the steady-state seconds per step of each, eager and compiled alternating in rounds (ratios, not absolute
times). The pairs' lengths are the prepared data's where `runs/<profile>/prepare` exists.

    python bench/compile_step.py [--profile tiny] [--steps 12] [--rounds 3] [--precision fp32]
"""
import argparse, time
from pathlib import Path


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--profile", default="tiny")
    ap.add_argument("--steps", type=int, default=12, help="timed batches per round")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--precision", default="fp32", choices=["fp32", "bf16"])
    a = ap.parse_args()
    import torch
    from hw2_lib.compute import cpu_model, native_bf16_flags, step_batches, step_model, time_steps
    from hw2_lib.config import load_config
    from hw2_lib.runners import pair_lengths
    cfg = load_config(a.profile)
    prep = Path("runs") / a.profile / "prepare"
    lengths = pair_lengths(cfg, prep) if prep.is_dir() else None
    eager, compiled = step_model(cfg), torch.compile(step_model(cfg))
    vocab = eager.config.vocab_size
    bf16 = ", ".join(native_bf16_flags()) or "none"
    print(f"CPU: {cpu_model()} (native bf16: {bf16}); torch {torch.__version__}, "
          f"{torch.get_num_threads()} threads; {a.precision}; "
          f"profile {a.profile}, {cfg['dpo']['batch_size']} pairs per step, lengths "
          f"{'of the prepared pairs' if lengths else 'guessed'}")
    warm = step_batches(cfg, 2, vocab, seed=99, lengths=lengths)
    t0 = time.perf_counter()
    time_steps(compiled, warm, precisions=(a.precision,), slow_s=1e9)
    warm_s = time.perf_counter() - t0
    print(f"compile: the first two batches (compile, then recompile for dynamic shapes) took {warm_s:.1f} s")
    got = dict(eager=[], compiled=[])
    for r in range(a.rounds):
        batches = step_batches(cfg, a.steps + 1, vocab, seed=r, lengths=lengths)
        for name, m in (("eager", eager), ("compiled", compiled)):
            got[name].append(time_steps(m, batches, precisions=(a.precision,), slow_s=1e9)[a.precision])
    for name, v in got.items():
        print(f"{name:9s} s/step per round {[round(x, 3) for x in v]}  mean {sum(v) / len(v):.3f}")
    e, c = (sum(v) / len(v) for v in got.values())
    repaid = "never" if c >= e else f"after {(warm_s - 2 * e) / (e - c):.0f} steps"
    print(f"compiled/eager time per step = {c / e:.3f} (below 1: compiled is faster); compile cost repaid: "
          f"{repaid}")


if __name__ == "__main__":
    main()
