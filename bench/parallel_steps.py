"""Do the reward-model and DPO steps, which both need only `prepare` and `sft`, finish sooner side by side?

Runs the profile's two steps (`launch.execute`, what `hw2 run` executes) from a finished run's prepare and SFT
folders twice in this one command: one after the other on all the machine's threads, then both at once, each
in its own process on cores/2 threads. Each mode gets a fresh folder beside links to those inputs, so neither
reuses the other's reference log-probs (`runners.ref_cache`). Prints each step's seconds, each mode's wall
time and their ratio. The steps' metrics differ in their last bits between thread counts (the order of the
sums), so the bench compares times only.

    python bench/parallel_steps.py [--profile tiny] [--runs-dir runs]
"""
import argparse, json, os, shutil, subprocess, sys, tempfile, time
from pathlib import Path

STEPS = ("reward_model", "dpo")


def one(profile: str, root: str, step: str, threads: int, out: str) -> float:
    "Seconds of step `step` of `profile` on `threads` torch threads, reading `root`'s prepare and sft."
    import torch
    torch.set_num_threads(threads)
    from hw2_lib.config import load_config, override
    from hw2_lib.launch import execute
    cfg = override(load_config(profile), ["train.progress=false"])
    t = time.time()
    execute(step, cfg, {s: str(Path(root) / s) for s in ("prepare", "sft")}, out)
    return time.time() - t


def spawn(args, root: Path, step: str, threads: int) -> subprocess.Popen:
    cmd = [sys.executable, __file__, "--profile", args.profile, "--worker", step, str(threads), str(root)]
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env=dict(os.environ, OMP_NUM_THREADS=str(threads)))


def seconds(p: subprocess.Popen) -> float:
    "A worker's seconds: the last line it prints (the step prints its own lines before it)."
    out = p.communicate()[0]
    if p.returncode: raise SystemExit(f"a worker failed (exit {p.returncode}):\n{out[-3000:]}")
    return json.loads(out.strip().splitlines()[-1])


def fresh_root(src: Path, tmp: str, name: str) -> Path:
    "A folder with links to `src`'s prepare and sft: the steps write their caches beside them, here."
    root = Path(tmp) / name
    root.mkdir()
    for s in ("prepare", "sft"): (root / s).symlink_to((src / s).resolve())
    return root


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--profile", default="tiny"); ap.add_argument("--runs-dir", default="runs")
    ap.add_argument("--worker", nargs=3, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        step, threads, root = args.worker
        print(json.dumps(one(args.profile, root, step, int(threads), str(Path(root) / step)))); return
    from hw2_lib.compute import cpu_model, native_bf16_flags
    src, cores = Path(args.runs_dir) / args.profile, os.cpu_count() or 1
    missing = [s for s in ("prepare", "sft") if not (src / s / "manifest.json").exists()]
    if missing: raise SystemExit(f"no finished {missing} in {src}: run hw2 run --profile {args.profile}")
    print(f"CPU: {cpu_model()}; native bf16 flags: {native_bf16_flags() or 'none'}; {cores} cores; "
          f"profile {args.profile} in its own precision; prepare and sft from {src}", flush=True)
    tmp, walls = tempfile.mkdtemp(prefix="parallel_steps-"), {}
    t, root, secs = time.time(), fresh_root(src, tmp, "one_after_the_other"), {}
    for s in STEPS:
        p = spawn(args, root, s, cores)
        secs[s] = seconds(p)
    walls["one after the other"] = time.time() - t
    print(f"one after the other, {cores} threads each: "
          + ", ".join(f"{s} {v:.1f} s" for s, v in secs.items())
          + f"; wall {walls['one after the other']:.1f} s", flush=True)
    half = max(1, cores // 2)
    t, root = time.time(), fresh_root(src, tmp, "side_by_side")
    ps = {s: spawn(args, root, s, half) for s in STEPS}
    secs = {s: seconds(p) for s, p in ps.items()}
    walls["side by side"] = time.time() - t
    print(f"side by side, {half} threads each: " + ", ".join(f"{s} {v:.1f} s" for s, v in secs.items())
          + f"; wall {walls['side by side']:.1f} s", flush=True)
    print(f"side by side / one after the other: {walls['side by side'] / walls['one after the other']:.2f}x")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
