"""The one GPU check (run on a lent GPU machine; CI never runs it).

    python bench/gpu_check.py OUT_DIR

The `tiny` profile's steps (prepare, SFT, reward model, DPO, generate-and-score) through the registry's step
functions (those the notebooks call), on CUDA with `train.precision=auto`. Prints, per step: the precision
chosen and why, wall time, training tokens/s, achieved GFLOP/s, MFU against the measured bf16/fp32 matmul peak
of this GPU, and peak GPU memory. Charts are skipped (no altair/vl-convert there). Writes
OUT_DIR/gpu_check.json.
"""
import json, sys, time
from pathlib import Path
import torch
from transformers.utils import logging as hf_logging
from hw2_lib import evaluate as E
from hw2_lib.config import load_config
from hw2_lib.compute import resolve_precision
from hw2_lib.steps import plan_steps

hf_logging.set_verbosity_error()
E.save_chart = lambda chart, stem: {}          # no chart renderer on the GPU machine
E.score_distribution_chart = lambda *a, **k: None


def main(out: Path):
    cfg = load_config("tiny", ["train.threads=8", "train.progress=false"])
    prec = resolve_precision(cfg)
    print(f"device {torch.cuda.get_device_name()} precision {prec.name}: {prec.reason}; peak "
          f"{prec.peak_gflops} GFLOP/s", flush=True)
    r, res = out / "tiny", {}
    for step in plan_steps(cfg):
        name = step.name
        torch.cuda.reset_peak_memory_stats()
        t0 = time.time()
        m = step.fn(cfg, {n: r / n for n in step.needs}, r / name)
        res[name] = dict(wall_s=round(time.time() - t0, 1),
                         peak_gpu_mem_gib=round(torch.cuda.max_memory_allocated() / 2**30, 3),
                         compute=m.get("compute"))
        keep = {k: m[k] for k in ("accuracy", "bayes_accuracy", "gold_diff", "gold_diff_ci", "score_diff",
                                  "kl_estimate") if k in m}
        print(name, json.dumps(res[name]), json.dumps(keep), flush=True)
        res[name]["metrics"] = keep
    (out / "gpu_check.json").write_text(json.dumps(dict(device=torch.cuda.get_device_name(),
                                                        precision=prec.record(),
                                                        steps=res), indent=1))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
