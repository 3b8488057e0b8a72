"""Does the profile's training step use a second core well? Times the DPO training step of the profile's
model at its batch shape (`compute.time_steps`) on 1 thread, on 2 threads, and as two 1-thread processes at
once, and prints the throughput of each against one 1-thread worker (all in this one command: ratios, not
absolute times).

    python bench/thread_scaling.py [--profile tiny] [--steps 20] [--precision fp32|bf16]
"""
import argparse, json, os, subprocess, sys

def worker(profile: str, steps: int, threads: int, precision: str) -> float:
    "Seconds per DPO step (`compute.time_steps`, in `precision`) of the profile's model on `threads`."
    import torch
    from hw2_lib.config import load_config
    from hw2_lib.compute import step_batches, step_model, time_steps
    torch.set_num_threads(threads)
    cfg = load_config(profile)
    model = step_model(cfg)
    batches = step_batches(cfg, steps + 1, model.config.vocab_size)
    return time_steps(model, batches, precisions=(precision,), slow_s=1e9)[precision]

def spawn(args, threads: int):
    cmd = [sys.executable, __file__, "--worker", str(threads), "--profile", args.profile,
           "--steps", str(args.steps), "--precision", args.precision]
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True,
                            env=dict(os.environ, OMP_NUM_THREADS=str(threads)))

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--profile", default="tiny"); ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--worker", type=int, default=0)
    ap.add_argument("--precision", default="fp32", choices=("fp32", "bf16"))
    args = ap.parse_args()
    if args.worker: print(json.dumps(worker(args.profile, args.steps, args.worker, args.precision))); return
    from hw2_lib.compute import cpu_model, native_bf16_flags
    res = {}
    for name, threads, n in (("1 worker x 1 thread", 1, 1), ("1 worker x 2 threads", 2, 1),
                             ("2 workers x 1 thread", 1, 2)):
        ps = [spawn(args, threads) for _ in range(n)]
        secs = [json.loads(p.communicate()[0]) for p in ps]
        res[name] = (n / max(secs), secs)            # steps per second of the whole machine
    print(f"CPU: {cpu_model()} (native bf16: {', '.join(native_bf16_flags()) or 'none'}); {args.precision}; "
          f"profile {args.profile}; {args.steps} steps per worker")
    base = res["1 worker x 1 thread"][0]
    for name, (rate, secs) in res.items():
        print(f"{name:22s} s/step {', '.join(f'{s:.3f}' for s in secs):16s} throughput {rate / base:.2f}x")

if __name__ == "__main__": main()
