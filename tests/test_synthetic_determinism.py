"Synthetic data: byte-identical across processes (different hash seeds), prompt-disjoint splits."
import hashlib, json, os, subprocess, sys
from pathlib import Path

CODE = ("import sys; from hw2_lib.synthetic import write_synthetic; "
        "write_synthetic(sys.argv[1], n_train=1500, n_test=400, seed=7)")


def _digest(d: Path) -> dict:
    files = ("train.jsonl", "test.jsonl", "info.json")
    return {f: hashlib.sha256((d / f).read_bytes()).hexdigest() for f in files}


def test_same_seed_same_bytes_across_processes(tmp_path):
    digests = []
    for i, hashseed in enumerate(("0", "12345")):
        out = tmp_path / f"run{i}"
        subprocess.run([sys.executable, "-c", CODE, str(out)], check=True,
                       env={**os.environ, "PYTHONHASHSEED": hashseed})
        digests.append(_digest(out))
    assert digests[0] == digests[1]
    train = [json.loads(l) for l in open(tmp_path / "run0/train.jsonl")]
    test = [json.loads(l) for l in open(tmp_path / "run0/test.jsonl")]
    assert not {r["prompt"] for r in train} & {r["prompt"] for r in test}
    topics = {r["prompt_topic"] for r in train}
    assert (len(topics) >= 8 and any(r["prompt_harmful"] for r in train)
            and not all(r["prompt_harmful"] for r in train))
