"""Kill `hw2 run` and `hw2 report` at chosen points, rerun, and check that the results equal those of a run
that was never interrupted (micro profile; timings aside)."""
import json, os, signal, subprocess, sys, time
from pathlib import Path
import pytest
from conftest import micro_run_args
from hw2_lib.runners import _saved

CLI = [sys.executable, "-m", "hw2_lib.cli"]
STEPS = ("prepare", "sft", "reward_model", "dpo", "generate_and_score")


def _run(runs: Path, check=True):
    return subprocess.run(micro_run_args(runs), capture_output=True, text=True, check=check)


def _spawn(args: list[str]) -> subprocess.Popen:
    "A child in its own process group (`_kill_when` kills it with everything below it)."
    quiet = dict(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return subprocess.Popen(args, **quiet, start_new_session=True)


def _said(out: str) -> str:
    "The lines of a run's output that hw2 printed itself (what a failed assertion shows)."
    return "\n".join(line for line in out.splitlines() if "[hw2]" in line)


def _metrics(runs: Path) -> dict:
    """Every step's metrics without the timings (wall time, compute) and Trainer's `train_loss`, which a
    resumed run averages over the steps it ran itself."""
    out = {}
    for s in STEPS:
        m = json.loads((runs / "micro" / s / "metrics.json").read_text())
        out[s] = {k: v for k, v in m.items() if k not in ("wall_time_s", "compute", "train_loss")}
    return out


def _descendants(pid: int) -> list[int]:
    "Every live process below `pid` (from /proc: papermill's kernels start sessions of their own)."
    kids = {}
    for st in Path("/proc").glob("[0-9]*/stat"):
        try: f = st.read_text().rsplit(")", 1)[1].split()
        except OSError: continue
        kids.setdefault(int(f[1]), []).append(int(st.parent.name))
    out, todo = [], [pid]
    while todo: todo += (c := kids.get(todo.pop(), [])); out += c
    return out


def _gone(pid: int) -> bool:
    "Whether `pid` has exited (a zombie, reaped by no one here, counts as gone)."
    try: return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError: return True


def _kill_when(proc: subprocess.Popen, ready, timeout: float = 300):
    """SIGKILL `proc`, its process group and every process below it as soon as `ready()` is true, and wait
    until they are gone. The step's Jupyter kernel runs in a session of its own and, orphaned, goes on for up
    to a second (ipykernel polls its parent once a second): on a busy machine it saved a checkpoint after the
    group's kill, and its rotation removed the older ones under the rerun (one process dead is not the fault
    this tests: a machine that lost power)."""
    t0 = time.time()
    while not ready():
        if proc.poll() is not None: pytest.fail("the run finished before the fault could be injected")
        if time.time() - t0 > timeout: proc.kill(); pytest.fail("timed out waiting to inject the fault")
        time.sleep(0.05)
    below = _descendants(proc.pid)
    os.killpg(proc.pid, signal.SIGKILL)
    for pid in below:
        try: os.kill(pid, signal.SIGKILL)
        except ProcessLookupError: pass
    proc.wait()
    while not all(_gone(p) for p in below): time.sleep(0.05)


@pytest.fixture
def clean(micro_run):
    "The session's uninterrupted micro run (conftest.py)."
    return micro_run


def test_killed_during_training_and_during_a_checkpoint_save(clean, tmp_path):
    proc = _spawn(micro_run_args(tmp_path))
    ck = tmp_path / "micro" / ".sft.partial" / "checkpoints"
    _kill_when(proc, lambda: any(_saved(c) for c in ck.glob("checkpoint-*")))
    assert not (tmp_path / "micro" / "sft").exists()                 # killed mid-training: nothing looks done
    # and as if a later save had been cut short: a newer checkpoint without the file Trainer writes last
    (ck / "checkpoint-999").mkdir(); (ck / "checkpoint-999" / "model.safetensors").write_bytes(b"half")
    r = _run(tmp_path)
    out = r.stdout + r.stderr
    assert "resuming from" in out and "its save did not finish" in out, _said(out)
    assert _metrics(tmp_path) == _metrics(clean)


def test_killed_while_building_the_report(clean, tmp_path):
    out = tmp_path / "report"
    build = [*CLI, "report", "--profile", "micro", "--runs-dir", str(clean), "--out", str(out)]
    subprocess.run(build, check=True, capture_output=True)
    before = {f: (out / f).read_bytes() for f in ("report.html", "report.pdf")}
    proc = _spawn(build)
    tmp = out.with_name(f".{out.name}.tmp")
    _kill_when(proc, lambda: (tmp / "report.html").exists())         # the new HTML written, the PDF not yet
    assert {f: (out / f).read_bytes() for f in before} == before      # the old report is still whole
    subprocess.run(build, check=True, capture_output=True)
    assert (out / "report.pdf").exists() and not tmp.exists()


def test_a_second_run_on_the_same_folder_waits_its_turn(clean, tmp_path):
    import shutil
    runs = tmp_path / "runs"        # a copy: another worker may be reading the session's run meanwhile
    shutil.copytree(clean, runs)
    hold = subprocess.Popen([sys.executable, "-c", "import sys, time; from pathlib import Path; "
                             "from hw2_lib.pipeline import run_lock\n"
                             "with run_lock(Path(sys.argv[1])): print('held', flush=True); time.sleep(60)",
                             str(runs / "micro")], stdout=subprocess.PIPE, text=True, start_new_session=True)
    assert hold.stdout.readline().strip() == "held"
    try:
        r = _run(runs, check=False)
        assert r.returncode == 1 and f"pid {hold.pid}" in r.stderr, r.stderr[-2000:]
    finally:
        os.killpg(hold.pid, signal.SIGKILL); hold.wait()
    assert _run(runs).returncode == 0                                # free again once the holder is gone


RL_SETS = ["rl.reward=rm", "dpo.max_steps=6", "dpo.save_steps=2", "dpo.logging_steps=1"]


def test_rl_step_killed_during_training_resumes(clean, tmp_path):
    """The RL step (TRL's RLOOTrainer in the dpo slot) killed after a checkpoint resumes from it; its log has
    every step once and the policy it leaves is evaluated."""
    import shutil
    sets = [a for s in RL_SETS for a in ("--set", s)]
    ref, hit = tmp_path / "ref", tmp_path / "hit"
    for d in (ref, hit): shutil.copytree(clean, d)
    subprocess.run(micro_run_args(ref) + sets, check=True, capture_output=True)
    proc = _spawn(micro_run_args(hit) + sets)
    ck = hit / "micro" / ".dpo.partial" / "checkpoints"
    _kill_when(proc, lambda: any(_saved(c) for c in ck.glob("checkpoint-*")))
    r = subprocess.run(micro_run_args(hit) + sets, capture_output=True, text=True, check=True)
    assert "resuming from" in r.stdout + r.stderr, _said(r.stdout + r.stderr)
    got, want = (json.loads((d / "micro" / "dpo" / "metrics.json").read_text()) for d in (hit, ref))
    assert json.loads((hit / "micro" / "dpo" / "manifest.json").read_text())["step"] == "rl"
    steps = [x["step"] for x in got["log"]]
    assert steps == list(range(1, 7)) == [x["step"] for x in want["log"]], steps
    assert (hit / "micro" / "generate_and_score" / "metrics.json").exists()
