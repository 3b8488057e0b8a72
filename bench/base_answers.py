"""What reusing the base policy's answers saves: `generate_and_score` on a finished run's folders at a study's
evaluation size, with its base answers generated (an empty cache) and reused, interleaved, in this one command
(ratios, not absolute times). The cache is a temporary folder: the run's own `.cache` is not touched.

    python bench/base_answers.py [--profile tiny] [--runs-dir runs] [--n-prompts 150] [--repeats 2]
"""
import argparse, shutil, tempfile, time
from pathlib import Path


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--profile", default="tiny"); ap.add_argument("--runs-dir", default="runs")
    ap.add_argument("--n-prompts", type=int, default=150, help="prompts per evaluation (studies.n_prompts)")
    ap.add_argument("--repeats", type=int, default=2)
    args = ap.parse_args()
    import torch
    import hw2_lib.runners as R
    from hw2_lib.compute import cpu_model, native_bf16_flags
    from hw2_lib.config import load_config, override
    from hw2_lib.steps import STEPS
    root = Path(args.runs_dir) / args.profile
    ins = {r: root / r for r in STEPS["generate_and_score"].needs}
    missing = [str(f) for f in ins.values() if not (f / "manifest.json").exists()]
    if missing: raise SystemExit(f"no finished step folders {missing}: run hw2 run --profile {args.profile}")
    sets = [f"generate.n_prompts={args.n_prompts}", "generate.prompts=test"]
    cfg = override(load_config(args.profile), sets, "bench/base_answers.py")
    tmp = Path(tempfile.mkdtemp())
    R.base_cache = lambda inputs, digest: tmp / "cache" / f"{digest}.parquet" if digest else None
    secs = {"generated": [], "reused": []}
    try:
        for i in range(args.repeats):
            for mode in secs:
                if mode == "generated": shutil.rmtree(tmp / "cache", ignore_errors=True)
                t = time.time()
                m = R.run_generate_and_score(cfg, ins, tmp / f"{mode}{i}")
                secs[mode].append(time.time() - t)
                assert m["compute"]["base_answers"] == mode, m["compute"]
        prec = m["compute"]["precision"]
    finally: shutil.rmtree(tmp, ignore_errors=True)
    print(f"CPU: {cpu_model()} (native bf16: {', '.join(native_bf16_flags()) or 'none'}); {prec}; "
          f"{torch.get_num_threads()} threads; profile {args.profile}; {args.n_prompts} test prompts")
    for mode, s in secs.items(): print(f"base answers {mode:9s}: {', '.join(f'{x:.1f}' for x in s)} s")
    g, r = (sum(s) / len(s) for s in secs.values())
    print(f"reused / generated: {r / g:.2f} ({g - r:.1f} s saved per evaluation)")


if __name__ == "__main__": main()
