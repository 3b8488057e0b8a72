"""The seed profile's scale on one GPU, without its weights (run on a lent GPU machine; CI never runs it).

    python bench/gpu_scale.py [--steps 10] [--out OUT_DIR] [--zero2]
    python bench/gpu_scale.py --smoke          # a shrunken model on the CPU: a check

A model of Qwen2.5-0.5B-Instruct's exact config (its config.json, below) with random weights: the weights
cannot reach the GPU machine (64 MiB carried, no network), and speed and memory do not depend on their
values. Through the same `hw2_lib` trainers, collators and losses the steps use, at the seed profile's batch
size, max_length, gradient checkpointing, prefix sharing and precision (`train.precision: auto` on the GPU),
it times:
  - the reward model's training step (a score head, Bradley-Terry), `reward_model.batch_size` pairs;
  - DPO's reference log-probs (`dpo.ref_batch_size` pairs) and its training step (`dpo.batch_size` pairs x
    `dpo.grad_accum`);
  - SFT's step (`sft.batch_size` sequences; the seed plan has no SFT: its base is already a chat model);
  - generation (`generate.batch_size` prompts, KV cache; `--gen-tokens` new tokens, scaled to
    `generate.max_new_tokens`).
It prints tokens/s, MFU (against this GPU's measured bf16 matmul peak), peak GPU memory, and the projected
wall time of a full seed run (RM and DPO over `--train-pairs` pairs x their epochs, the reference pass, both
policies answering `generate.n_prompts` prompts). Pair lengths are drawn from `--prompt-tokens` and
`--response-tokens` (an assumption about PKU-SafeRLHF under Qwen's tokenizer, not a measurement: pass other
ranges to see their cost). `--zero2` runs the training steps under `accelerate launch` with
configs/accelerate/deepspeed_zero2.yaml (one process; needs deepspeed). Writes OUT_DIR/gpu_scale.json.
"""
import argparse, json, math, os, random, subprocess, sys, tempfile, time
from pathlib import Path
import datasets
import torch
from transformers import AutoModelForCausalLM, AutoModelForSequenceClassification, Qwen2Config
from transformers.utils import logging as hf_logging
from hw2_lib import trainer as T
from hw2_lib.compute import compute_summary, resolve_precision
from hw2_lib.config import load_config, project_dir

hf_logging.set_verbosity_error()
# Qwen/Qwen2.5-0.5B-Instruct, config.json (494M parameters with the tied embedding)
QWEN25_05B = dict(vocab_size=151936, hidden_size=896, intermediate_size=4864, num_hidden_layers=24,
                  num_attention_heads=14, num_key_value_heads=2, max_position_embeddings=32768,
                  rope_theta=1000000.0, rms_norm_eps=1e-6, tie_word_embeddings=True, hidden_act="silu",
                  pad_token_id=151643, eos_token_id=151645)
SMOKE = dict(QWEN25_05B, vocab_size=2048, hidden_size=64, intermediate_size=128, num_hidden_layers=2,
             num_attention_heads=4, pad_token_id=0, eos_token_id=1)
SEED_TRAIN_PAIRS = 72996          # PKU-SafeRLHF-single-dimension train split (configs/seed.yaml)


def _range(text: str) -> tuple[int, int]:
    lo, hi = (int(x) for x in text.split(":"))
    return lo, hi


def pairs(n: int, a) -> datasets.Dataset:
    "`n` random pairs with the columns our collators read, lengths drawn from the ranges, within max_length."
    rng, V, L = random.Random(0), a.vocab, a.max_length
    toks = lambda r: [rng.randrange(2, V) for _ in range(rng.randint(*r))]
    rows = []
    for _ in range(n):
        p = toks(a.prompt_tokens)
        c, j = toks(a.response_tokens)[:L - len(p)], toks(a.response_tokens)[:L - len(p)]
        rows.append(dict(chosen_input_ids=p + c, rejected_input_ids=p + j, prompt_len=len(p),
                         length=len(p) + max(len(c), len(j)), packed_length=len(p) + len(c) + len(j)))
    return datasets.Dataset.from_list(rows)


def _args(a, out: str, batch: int, accum: int, prec: str, steps: int):
    return T.training_args(out, precision=prec, max_steps=steps, per_device_train_batch_size=batch,
                           gradient_accumulation_steps=accum, learning_rate=1e-6, warmup_steps=0,
                           save_strategy="no", logging_steps=steps, disable_tqdm=True,
                           activation_checkpointing=a.gradient_checkpointing)


def _measure(trainer, model, prec, name: str) -> dict:
    if torch.cuda.is_available(): torch.cuda.reset_peak_memory_stats()
    trainer.train()
    hist = trainer.state.log_history
    secs = next(h["train_runtime"] for h in reversed(hist) if "train_runtime" in h)
    c = compute_summary(T.unwrap(model), trainer.meter, secs, prec)
    mem = torch.cuda.max_memory_allocated() / 2**30 if torch.cuda.is_available() else None
    return dict(step=name, s_per_step=secs / trainer.args.max_steps, tokens_per_s=c["tokens_per_s"],
                mfu=c["mfu"], peak_gib=None if mem is None else round(mem, 2), compute=c)


def train_steps(a, conf: Qwen2Config, cfg: dict, prec) -> list[dict]:
    "The RM, reference log-probs, DPO and SFT steps, timed."
    out, res = tempfile.mkdtemp(), []
    packed = cfg["train"]["shared_prefix"]
    rc, dc, sc = cfg["reward_model"], cfg["dpo"], cfg["sft"]
    steps = a.steps                     # timed by Trainer's train_runtime (the first step's start-up in it)
    # reward model
    torch.manual_seed(0)
    rm = AutoModelForSequenceClassification.from_config(Qwen2Config(**dict(conf.to_dict(), num_labels=1)))
    ds = pairs(steps * rc["batch_size"] * rc["grad_accum"], a)
    tr = T.PairwiseTrainer(model=rm, args=_args(a, out, rc["batch_size"], rc["grad_accum"], prec.name, steps),
                           train_dataset=ds, data_collator=T.PairCollator(conf.pad_token_id, packed),
                           loss=rc["loss"], loss_kwargs=rc["loss_kwargs"])
    res.append(_measure(tr, rm, prec, "reward_model"))
    del rm, tr
    # DPO: the reference pass, then the training step
    torch.manual_seed(0)
    lm = AutoModelForCausalLM.from_config(conf).to("cuda" if torch.cuda.is_available() else "cpu")
    ds = pairs(steps * dc["batch_size"] * dc["grad_accum"], a)
    t0 = time.perf_counter()
    with prec.autocast():
        ds = T.precompute_reference_logps(lm, ds, conf.pad_token_id, batch_size=dc["ref_batch_size"] or 16,
                                          shared_prefix=packed)
    if torch.cuda.is_available(): torch.cuda.synchronize()
    res.append(dict(step="dpo reference log-probs", s_per_pair=(time.perf_counter() - t0) / len(ds)))
    tr = T.PairwiseTrainer(model=lm, args=_args(a, out, dc["batch_size"], dc["grad_accum"], prec.name, steps),
                           train_dataset=ds, data_collator=T.PairCollator(conf.pad_token_id, packed),
                           loss=dc["loss"], loss_kwargs=dc["loss_kwargs"])
    res.append(_measure(tr, lm, prec, "dpo"))
    # SFT on the chosen sides
    seqs = datasets.Dataset.from_list([dict(input_ids=r["chosen_input_ids"], prompt_len=r["prompt_len"],
                                            length=len(r["chosen_input_ids"]))
                                       for r in pairs(steps * sc["batch_size"], a)])
    tr = T.CompletionTrainer(model=lm,
                             args=_args(a, out, sc["batch_size"], sc["grad_accum"], prec.name, steps),
                             train_dataset=seqs, data_collator=T.CompletionCollator(conf.pad_token_id))
    res.append(_measure(tr, lm, prec, "sft (not in the seed plan)"))
    return res, lm


def generation(a, lm, cfg: dict, prec) -> dict:
    "Seconds per batch of `generate.batch_size` prompts, `--gen-tokens` new tokens (no early stop), KV cache."
    g, rng = cfg["generate"], random.Random(1)
    dev = next(lm.parameters()).device
    ids = torch.tensor([[rng.randrange(2, a.vocab) for _ in range(a.prompt_tokens[1])]
                        for _ in range(g["batch_size"])], device=dev)
    lm.eval()
    with torch.no_grad(), prec.autocast():
        lm.generate(input_ids=ids[:, :8], max_new_tokens=2, do_sample=True)       # warm-up
        if torch.cuda.is_available(): torch.cuda.synchronize(); torch.cuda.reset_peak_memory_stats()
        t0 = time.perf_counter()
        lm.generate(input_ids=ids, attention_mask=torch.ones_like(ids), max_new_tokens=a.gen_tokens,
                    min_new_tokens=a.gen_tokens, do_sample=True, temperature=g["temperature"], use_cache=True)
        if torch.cuda.is_available(): torch.cuda.synchronize()
    secs = time.perf_counter() - t0
    mem = torch.cuda.max_memory_allocated() / 2**30 if torch.cuda.is_available() else None
    return dict(step="generation", s_per_batch=secs * g["max_new_tokens"] / a.gen_tokens,
                tokens_per_s=g["batch_size"] * a.gen_tokens / secs,
                peak_gib=None if mem is None else round(mem, 2))


def projection(res: dict, cfg: dict, train_pairs: int) -> dict:
    "Projected seconds of a full seed run from the measured per-step times (one GPU)."
    rc, dc, g = cfg["reward_model"], cfg["dpo"], cfg["generate"]
    steps = lambda sec: math.ceil(train_pairs * sec["epochs"] / (sec["batch_size"] * sec["grad_accum"]))
    out = dict(reward_model=steps(rc) * res["reward_model"]["s_per_step"],
               dpo_reference=train_pairs * res["dpo reference log-probs"]["s_per_pair"],
               dpo=steps(dc) * res["dpo"]["s_per_step"],
               generation=2 * math.ceil(g["n_prompts"] / g["batch_size"]) * res["generation"]["s_per_batch"])
    return dict({k: round(v) for k, v in out.items()}, total_h=round(sum(out.values()) / 3600, 2),
                rm_steps=steps(rc), dpo_steps=steps(dc))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--steps", type=int, default=10, help="timed optimizer steps per training step")
    ap.add_argument("--gen-tokens", type=int, default=128, help="new tokens timed in generation")
    ap.add_argument("--prompt-tokens", type=_range, default=(20, 80))
    ap.add_argument("--response-tokens", type=_range, default=(40, 300))
    ap.add_argument("--train-pairs", type=int, default=SEED_TRAIN_PAIRS)
    ap.add_argument("--out", default="gpu_scale_out")
    ap.add_argument("--zero2", action="store_true", help="under accelerate launch with DeepSpeed ZeRO-2")
    ap.add_argument("--smoke", action="store_true", help="a shrunken model on the CPU, 2 steps: a check")
    a = ap.parse_args()
    if not (torch.cuda.is_available() or a.smoke):
        sys.exit("bench/gpu_scale.py needs a CUDA GPU (torch.cuda.is_available() is False); "
                 "--smoke runs a shrunken model on the CPU to check the script")
    if a.zero2 and "ACCELERATE_MIXED_PRECISION" not in os.environ:
        cmd = [sys.executable, "-m", "accelerate.commands.accelerate_cli", "launch", "--num_processes", "1",
               "--config_file", str(project_dir("configs") / "accelerate" / "deepspeed_zero2.yaml"),
               "--mixed_precision", "bf16", __file__] + [x for x in sys.argv[1:]]
        sys.exit(subprocess.call(cmd))
    cfg = load_config("seed")
    if a.smoke: a.steps, a.gen_tokens = 2, 4
    conf = Qwen2Config(**(SMOKE if a.smoke else QWEN25_05B))
    a.vocab, a.max_length = conf.vocab_size, cfg["data"]["max_length"]
    a.gradient_checkpointing = cfg["train"]["gradient_checkpointing"]
    prec = resolve_precision(cfg)
    where = torch.cuda.get_device_name() if torch.cuda.is_available() else "cpu (smoke)"
    print(f"device {where}; precision {prec.name}: {prec.reason}; peak {prec.peak_gflops} GFLOP/s",
          flush=True)
    rows, lm = train_steps(a, conf, cfg, prec)
    rows.append(generation(a, lm, cfg, prec))
    res = {r["step"]: r for r in rows}
    proj = projection(res, cfg, a.train_pairs)
    for r in rows:
        print(" | ".join(f"{k} {v:.4g}" if isinstance(v, float) else f"{k} {v}" for k, v in r.items()
                         if k != "compute"), flush=True)
    print("projected full seed run on this GPU (s):", json.dumps(proj), flush=True)
    out = Path(a.out); out.mkdir(parents=True, exist_ok=True)
    (out / "gpu_scale.json").write_text(json.dumps(dict(device=where, precision=prec.record(), steps=rows,
                                                        projection=proj, args={k: str(v) for k, v in
                                                                               vars(a).items()}), indent=1))


if __name__ == "__main__":
    main()
