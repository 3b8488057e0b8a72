"""The one GPU check (run on a lent GPU machine; CI never runs it).

    python bench/gpu_check.py OUT_DIR

The `tiny` profile's steps (prepare, SFT, reward model, DPO, generate-and-score) through the same step functions the
notebooks call, on CUDA with `train.precision=auto`. Prints, per step: the precision chosen and why, wall time,
training tokens/s, achieved GFLOP/s, MFU against the measured bf16/fp32 matmul peak of this GPU, and peak GPU memory.
Charts are skipped (no altair/vl-convert there). Writes OUT_DIR/gpu_check.json.
"""
import json, sys, time
from pathlib import Path
import torch
from transformers.utils import logging as hf_logging
from hw2_lib import evaluate as E, prepare as P, steps as St
from hw2_lib.compute import resolve_precision
from hw2_lib.runs import apply_overrides, load_profile

hf_logging.set_verbosity_error()
E.save_chart = lambda chart, stem: {}          # no chart renderer on the GPU machine
E.score_distribution_chart = lambda *a, **k: None


def main(out: Path):
    cfg = apply_overrides(load_profile("tiny"), ["train.threads=8", "train.progress=false"])
    prec = resolve_precision(cfg)
    print(f"device {torch.cuda.get_device_name()} precision {prec.name}: {prec.reason}; peak {prec.peak_gflops} GFLOP/s", flush=True)
    r, res = out / "tiny", {}
    steps = [("prepare", lambda: P.prepare(cfg, r / "prepare")),
             ("sft", lambda: St.run_sft(cfg, r / "prepare", r / "sft")),
             ("reward_model", lambda: St.run_reward_model(cfg, r / "prepare", r / "sft" / "model", r / "reward_model")),
             ("dpo", lambda: St.run_dpo(cfg, r / "prepare", r / "sft" / "model", r / "dpo")),
             ("generate_and_score", lambda: St.run_generate_and_score(cfg, r / "prepare", r / "sft" / "model", r / "dpo" / "model",
                                                                      r / "reward_model" / "model", r / "generate_and_score"))]
    for name, fn in steps:
        torch.cuda.reset_peak_memory_stats()
        t0 = time.time()
        m = fn()
        res[name] = dict(wall_s=round(time.time() - t0, 1), peak_gpu_mem_gib=round(torch.cuda.max_memory_allocated() / 2**30, 3),
                         compute=m.get("compute"))
        keep = {k: m[k] for k in ("accuracy", "bayes_accuracy", "gold_diff", "gold_diff_ci", "score_diff", "kl_estimate") if k in m}
        print(name, json.dumps(res[name]), json.dumps(keep), flush=True)
        res[name]["metrics"] = keep
    (out / "gpu_check.json").write_text(json.dumps(dict(device=torch.cuda.get_device_name(), precision=prec.record(),
                                                        steps=res), indent=1))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
