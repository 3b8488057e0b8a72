"""The seed profile (Qwen2.5-0.5B-Instruct on PKU-SafeRLHF, GPUs) checked without a GPU or the hub: the plan
resolves, and every step runs end to end on a randomly initialised 2-layer Qwen2 of the same architecture
class, with the PKU-format sample data, the training steps going through `accelerate launch` (one CPU
process)."""
import json, subprocess, sys
from pathlib import Path
import yaml
from conftest import require


def _hw2(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "hw2_lib.cli", *args], capture_output=True, text=True,
                          cwd=cwd)


def test_seed_dry_run_prints_the_resolved_plan(tmp_path):
    r = _hw2("run", "--profile", "seed", "--runs-dir", str(tmp_path), "--dry-run")
    assert r.returncode == 0, r.stderr[-2000:]
    cfg = yaml.safe_load(r.stdout[:r.stdout.index("[hw2]")])
    assert cfg["model"]["base"] == "Qwen/Qwen2.5-0.5B-Instruct" and cfg["model"]["template"] == "homework"
    assert (cfg["data"]["pku_saferlhf"]["hub_id"] == "PKU-Alignment/PKU-SafeRLHF-single-dimension"
            and cfg["data"]["dimension"] == "better")
    assert cfg["reward_model"]["epochs"] == 3 == cfg["dpo"]["epochs"]
    assert (cfg["generate"]["temperature"], cfg["generate"]["repetition_penalty"],
            cfg["generate"]["max_new_tokens"]) == (0.5, 1.1, 512)
    status = json.loads(r.stdout[r.stdout.rindex("\n{") + 1:])
    # no SFT: a chat model
    assert status == {s: "would run" for s in ("prepare", "reward_model", "dpo", "generate_and_score")}
    assert not any(tmp_path.rglob("metrics.json"))
    # with several GPUs (or launch.mode=accelerate) the plan shows the accelerate command of each training
    # step
    r = _hw2("run", "--profile", "seed", "--runs-dir", str(tmp_path), "--dry-run", "--set",
             "launch.mode=accelerate",
             "--set", "launch.accelerate_config=deepspeed_zero3")
    assert r.returncode == 0 and r.stdout.count("accelerate.commands.accelerate_cli launch") == 2
    assert "configs/accelerate/deepspeed_zero3.yaml" in r.stdout and "-m hw2_lib.launch dpo" in r.stdout


def _qwen2_standin(folder: Path, texts: list[str]) -> Path:
    """A random-init 2-layer Qwen2ForCausalLM with a byte-level BPE tokenizer trained on `texts` (offline
    stand-in)."""
    import torch
    from transformers import Qwen2Config, Qwen2ForCausalLM
    from hw2_lib import models as M
    tok = M.train_tokenizer(texts, vocab_size=600, min_frequency=1)
    cfg = Qwen2Config(vocab_size=len(tok), hidden_size=64, intermediate_size=128, num_hidden_layers=2,
                      num_attention_heads=4,
                      num_key_value_heads=2, max_position_embeddings=512, tie_word_embeddings=True,
                      pad_token_id=tok.pad_token_id, eos_token_id=tok.eos_token_id, bos_token_id=None)
    torch.manual_seed(0)
    model = Qwen2ForCausalLM(cfg)
    gc = model.generation_config
    gc.pad_token_id, gc.eos_token_id = tok.pad_token_id, tok.eos_token_id
    M.save_pretrained(model, tok, folder)
    return folder


def test_seed_steps_on_a_random_qwen2_through_accelerate(tmp_path, shared_data):
    pku = require(shared_data / "pku-saferlhf" / "test.sample10.jsonl", "PKU-SafeRLHF sample")
    rows = [json.loads(l) for l in pku.read_text().splitlines() if l.strip()]
    model = _qwen2_standin(tmp_path / "qwen2-standin",
                           [r[k] for r in rows for k in ("prompt", "response_0", "response_1")] * 3)
    sets = [f"model.base={model}", f"data.pku_saferlhf.path={pku}", "data.pku_saferlhf.test_fraction=0.3",
            "data.max_length=256", "data.min_train_pairs=2", "data.min_test_pairs=2",
            "train.precision=fp32", "train.gradient_checkpointing=false", "train.threads=2",
            "launch.mode=accelerate",
            "reward_model.epochs=1", "reward_model.batch_size=2", "reward_model.warmup_steps=0",
            "reward_model.logging_steps=1",
            "dpo.epochs=1", "dpo.batch_size=2", "dpo.grad_accum=1", "dpo.warmup_steps=0",
            "dpo.logging_steps=1",
            "generate.n_prompts=3", "generate.max_new_tokens=8", "generate.batch_size=3"]
    r = _hw2("run", "--profile", "seed", "--runs-dir", str(tmp_path / "runs"),
             *[a for s in sets for a in ("--set", s)])
    assert r.returncode == 0, (r.stdout[-3000:], r.stderr[-3000:])
    run = tmp_path / "runs" / "seed"
    prep = json.loads((run / "prepare" / "metrics.json").read_text())
    assert (prep["n_train"], prep["n_test"]) == (7, 3)
    rm = json.loads((run / "reward_model" / "metrics.json").read_text())
    assert rm["n_pairs"] == 3 and 0 <= rm["accuracy"] <= 1 and "gold_accuracy" not in rm
    for step in ("reward_model", "dpo"):     # trained in a process started by accelerate launch, on the CPU
        nb = (run / step / f"{step}.ipynb").read_text()
        assert "accelerate_cli launch" in nb and "--cpu" in nb and (run / step / "config.yaml").exists()
        assert (run / step / "model" / "model.safetensors").exists()
        arch = json.loads((run / step / "model" / "config.json").read_text())["architectures"][0]
        assert arch.startswith("Qwen2For")
    gen = json.loads((run / "generate_and_score" / "metrics.json").read_text())
    assert (gen["n_prompts"] == 3
            and {"base_score_mean", "dpo_score_mean", "win_rate", "win_rate_ci", "kl_estimate"} <= set(gen))
    r = _hw2("report", "--profile", "seed", "--runs-dir", str(tmp_path / "runs"), "--out",
             str(tmp_path / "report"))
    assert r.returncode == 0, r.stderr[-2000:]
    html = (tmp_path / "report" / "report.html").read_text()
    assert "PKU" in html or "pku_saferlhf" in html
    # real data: no gold-reward rows
    assert "{{" not in html and "Bayes ceiling" not in html and "mean gold reward" not in html
