"Same seed -> identical metrics; a run killed mid-way resumes from its last checkpoint to the same result."
import json, subprocess, sys
from pathlib import Path

HELPER = str(Path(__file__).with_name("micro_train.py"))


def _run(out, *extra, check=True):
    return subprocess.run([sys.executable, HELPER, str(out), *extra], check=check, capture_output=True,
                          text=True)


def test_same_seed_same_metrics_and_resume_after_kill(tmp_path):
    _run(tmp_path / "a")
    _run(tmp_path / "b")
    a = json.loads((tmp_path / "a/metrics.json").read_text())
    b = json.loads((tmp_path / "b/metrics.json").read_text())
    assert a == b                                     # bit-identical on CPU, generations included

    killed = _run(tmp_path / "c", "--die-at-step", "6", check=False)
    assert killed.returncode == 17, killed.stderr[-2000:]
    assert not (tmp_path / "c/metrics.json").exists()
    ckpts = sorted(p.name for p in (tmp_path / "c/dpo").glob("checkpoint-*"))
    assert ckpts == ["checkpoint-4"], ckpts          # last checkpoint before the kill
    _run(tmp_path / "c", "--resume")
    c = json.loads((tmp_path / "c/metrics.json").read_text())
    assert (c["final_loss"] == a["final_loss"] and c["weight_sum"] == a["weight_sum"] and c["generations"]
            == a["generations"])
