"The hw2 command end to end on a micro configuration."
import json, subprocess, sys

from hw2_lib.config import load_config

MICRO = ["--profile", "micro"]


def test_hw2_run_prepare_micro(tmp_path):
    # a relative --runs-dir, as `make report` uses: resolved against the caller's directory, not the
    # notebook's
    subprocess.run([sys.executable, "-m", "hw2_lib.cli", "run", "--runs-dir", "runs", "--steps", "prepare",
                    *MICRO], check=True, cwd=tmp_path)
    tmp_path = tmp_path / "runs"
    out = tmp_path / "micro" / "prepare"
    m = json.loads((out / "metrics.json").read_text())
    syn = load_config("micro")["data"]["synthetic"]
    assert m["n_train"] == syn["n_train"] and m["n_test"] == syn["n_test"] and 0.5 < m["bayes_accuracy"] < 1
    man = json.loads((out / "manifest.json").read_text())
    assert man["seed"] == 0 and man["versions"]["transformers"] and "sha" in man["git"]
    assert (out / "base_model" / "model.safetensors").exists() and (out / "prepare.ipynb").exists()
    val = json.loads((out / "validation.json").read_text())
    assert {c["check"] for c in val[0]["checks"]} >= {"empty_text", "chosen_equals_rejected",
                                                      "duplicate_pair", "overlong"}
    again = subprocess.run([sys.executable, "-m", "hw2_lib.cli", "run", "--runs-dir", str(tmp_path),
                            "--steps", "prepare", *MICRO],
                           check=True, capture_output=True, text=True)
    assert '"prepare": "cached"' in again.stdout


def test_unknown_override_is_an_error(tmp_path):
    r = subprocess.run([sys.executable, "-m", "hw2_lib.cli", "run", "--runs-dir", str(tmp_path), "--set",
                        "model.sise=micro"],
                       capture_output=True, text=True)
    assert r.returncode == 2 and "model.sise" in r.stderr


def test_config_error_stops_before_any_step(tmp_path):
    r = subprocess.run([sys.executable, "-m", "hw2_lib.cli", "run", "--runs-dir", str(tmp_path), *MICRO,
                        "--set", "data.synthetic.n_train=1"], capture_output=True, text=True)
    assert r.returncode == 2 and "data.synthetic.n_train = 1" in r.stderr, r.stderr[-3000:]
    assert not (tmp_path / "micro").exists()


def test_failed_step_names_notebook_and_leaves_no_complete_folder(tmp_path):
    # every pair is longer than 16 tokens and `overlong: error`: the prepare notebook raises
    r = subprocess.run([sys.executable, "-m", "hw2_lib.cli", "run", "--runs-dir", str(tmp_path), "--steps",
                        "prepare", *MICRO,
                        "--set", "data.max_length=16", "--set", "data.overlong=error"], capture_output=True,
                        text=True)
    assert r.returncode == 1 and "prepare.ipynb" in r.stderr and "max_length=16" in r.stderr, r.stderr[-3000:]
    assert (not (tmp_path / "micro" / "prepare").exists()
            and (tmp_path / "micro" / ".prepare.partial" / "prepare.ipynb").exists())
