"Shared fixtures: the read-only real data in ../shared/data, required in CI, optional on a user's machine."
import os
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = Path(os.environ.get("HW2_SHARED_DATA", ROOT.parent / "shared" / "data"))
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
# Under `pytest -n N` (pytest-xdist, as `make test` runs it) each worker and the processes it starts take one
# torch thread (bench/thread_scaling.py, AMD EPYC, 2 cores: two 1-thread workers do 1.89x the work of one
# 1-thread worker, one 2-thread worker 1.50x)
if os.environ.get("PYTEST_XDIST_WORKER"):
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    os.environ.setdefault("MKL_NUM_THREADS", "1")


def built_once(tmp_path_factory, name: str, build) -> Path:
    """The folder `name`, filled by `build(folder)` once per test session, also across pytest-xdist workers:
    the first builds it under a file lock in the session's shared temporary folder, the others wait for it and
    read it. A build that failed is retried by the next test that asks."""
    import fcntl, shutil
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"): root = root.parent      # shared by the workers
    d, done = root / name, root / f"{name}.built"
    with open(root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            shutil.rmtree(d, ignore_errors=True); d.mkdir()
            build(d)
            done.touch()
    return d


def require(path: Path, what: str) -> Path:
    """Return `path`; skip (with the reason) when it is missing, except in CI where a missing input is a
    failure."""
    if path.exists():
        return path
    msg = f"{what} not found at {path}"
    if IN_CI:
        pytest.fail(msg + " (CI=true: this input must be present)")
    pytest.skip(msg + " (set HW2_SHARED_DATA or run beside ../shared/data)")


@pytest.fixture
def shared_data():
    return require(SHARED_DATA, "shared data folder")


# SFT long enough to be killed in, within one epoch (128 sequences / 4): the length-grouped sampler draws each
# epoch's order from the global RNG, so a run resumed in a later epoch is not bit-identical (README says so)
MICRO_SETS = ["sft.max_steps=30", "sft.batch_size=4", "sft.save_steps=10", "sft.logging_steps=10"]


def micro_run_args(runs: Path) -> list[str]:
    "`hw2 run` of the micro profile with `MICRO_SETS` into `runs`."
    import sys
    sets = [a for s in MICRO_SETS for a in ("--set", s)]
    return [sys.executable, "-m", "hw2_lib.cli", "run", "--profile", "micro", "--runs-dir", str(runs), *sets]


@pytest.fixture(scope="session")
def micro_run(tmp_path_factory):
    """One uninterrupted micro run for the whole session (the fault-injection reference and the report's
    input): read it, or copy it before writing into it."""
    import subprocess
    run = lambda runs: subprocess.run(micro_run_args(runs), capture_output=True, text=True, check=True)
    return built_once(tmp_path_factory, "micro_run", run)


@pytest.fixture(scope="session")
def micro_report(tmp_path_factory, micro_run):
    """The session's micro run (copied) with a one-variant micro study, and its report: (run folder, report
    folder)."""
    import shutil, subprocess, sys
    def build(folder: Path):
        d = folder / "runs"
        shutil.copytree(micro_run, d)
        sets = [a for s in MICRO_SETS for a in ("--set", s)]   # the run's own settings: its steps are reused
        subprocess.run([sys.executable, "-m", "hw2_lib.cli", "study", "dpo_family", "--runs-dir", str(d),
                        "--profile", "micro", "--variants", "dpo-beta0.1", *sets], check=True)
        subprocess.run([sys.executable, "-m", "hw2_lib.cli", "report", "--runs-dir", str(d), "--profile",
                        "micro", "--out", str(d / "out")], check=True)
    d = built_once(tmp_path_factory, "micro_report", build) / "runs"
    return d, d / "out"
