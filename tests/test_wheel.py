"""A wheel holds everything `hw2 run` and `hw2 report` read besides code (profiles, experiment notebooks,
report sections), and the installed package finds them without a source checkout."""
import os, subprocess, sys, zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_install_runs_without_the_checkout(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w",
                    str(tmp_path / "dist"), str(ROOT)], check=True, cwd=tmp_path)
    whl = next((tmp_path / "dist").glob("hw2_lib-*.whl"))
    names = set(zipfile.ZipFile(whl).namelist())
    for need in ["configs/tiny.yaml", "configs/micro.yaml", "configs/accelerate/ddp.yaml",
                 "experiments/dpo.ipynb",
                 "experiments/generate_and_score.ipynb", "report/sections/introduction.md"]:
        assert f"hw2_lib/_data/{need}" in names, need
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site),
                    str(whl)], check=True)
    env = dict(os.environ, PYTHONPATH=str(site))
    where = subprocess.run([sys.executable, "-c", "from hw2_lib.config import project_dir as p; "
                            "print(p('configs'), p('experiments'), p('report/sections'))"],
                           env=env, cwd=tmp_path, capture_output=True, text=True, check=True).stdout.split()
    assert all(w.startswith(str(site)) for w in where), where
    r = subprocess.run([sys.executable, "-m", "hw2_lib.cli", "run", "--profile", "micro", "--dry-run",
                        "--runs-dir",
                        str(tmp_path / "runs")], env=env, cwd=tmp_path, capture_output=True, text=True)
    assert r.returncode == 0 and '"generate_and_score": "would run"' in r.stdout, r.stderr[-2000:]
