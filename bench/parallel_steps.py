"""Do the reward-model and DPO steps, which both need only `prepare` and `sft`, finish sooner side by side?

Runs the profile's two steps (`launch.execute`, what `hw2 run` executes) from a finished run's prepare and SFT
folders twice in this one command: one after the other on all the machine's threads, then both at once, each
in its own process on cores/2 threads. Each mode gets a fresh folder beside links to those inputs, so neither
reuses the other's reference log-probs (`runners.ref_cache`). Prints each step's seconds, each mode's wall
time and their ratio, with the precision the steps ran in. The steps' metrics differ in their last bits
between thread counts (the order of the sums), so the bench compares times only.

    python bench/parallel_steps.py [--profile tiny] [--runs-dir runs]
"""
import argparse, json, os, shutil, subprocess, sys, tempfile, time
from pathlib import Path

from common import finished_run, machine

STEPS = ("reward_model", "dpo")


def one(profile: str, root: str, step: str, threads: int, out: str) -> dict:
    """Seconds of step `step` of `profile` on `threads` torch threads, reading `root`'s prepare and sft, and
    the precision it ran in (its manifest's)."""
    import torch
    torch.set_num_threads(threads)
    from hw2_lib.config import load_config, override
    from hw2_lib.launch import execute
    cfg = override(load_config(profile), ["train.progress=false"])
    t = time.time()
    execute(step, cfg, {s: str(Path(root) / s) for s in ("prepare", "sft")}, out)
    secs, man = time.time() - t, json.loads((Path(out) / "manifest.json").read_text())
    return dict(seconds=secs, precision=man["precision"]["name"])


def spawn(args, root: Path, step: str, threads: int) -> subprocess.Popen:
    cmd = [sys.executable, __file__, "--profile", args.profile, "--worker", step, str(threads), str(root)]
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env=dict(os.environ, OMP_NUM_THREADS=str(threads)))


def result(p: subprocess.Popen) -> dict:
    "A worker's `one`: the last line it prints (the step prints its own lines before it)."
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
    src, cores = finished_run(args.runs_dir, args.profile, ("prepare", "sft")), os.cpu_count() or 1
    print(f"profile {args.profile}; prepare and sft from {src}; {cores} cores", flush=True)
    tmp, walls, half = tempfile.mkdtemp(prefix="parallel_steps-"), {}, max(1, cores // 2)
    try:
        for mode, threads in (("one after the other", cores), ("side by side", half)):
            t, root = time.time(), fresh_root(src, tmp, mode.replace(" ", "_"))
            if mode == "one after the other": res = {s: result(spawn(args, root, s, threads)) for s in STEPS}
            else:
                ps = {s: spawn(args, root, s, threads) for s in STEPS}
                res = {s: result(p) for s, p in ps.items()}
            walls[mode] = time.time() - t
            prec = "/".join(sorted({r["precision"] for r in res.values()}))
            print(f"{mode}: {machine(prec, threads)} each: "
                  + ", ".join(f"{s} {r['seconds']:.1f} s" for s, r in res.items())
                  + f"; wall {walls[mode]:.1f} s", flush=True)
    finally: shutil.rmtree(tmp, ignore_errors=True)
    print(f"side by side / one after the other: {walls['side by side'] / walls['one after the other']:.2f}x")


if __name__ == "__main__":
    main()
