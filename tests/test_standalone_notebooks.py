"""Every experiment notebook runs on its own, as a person runs it:
`papermill experiments/<step>.ipynb out.ipynb -p profile micro`. `prepare` on a fresh folder, from the command
line; every other step on a copy of the session's micro run (conftest.py), so the runner finds what each reads
cached (nbs/10a_standalone brings a step's inputs up to date in a fresh folder). Each writes a scratch folder
and never a cached one, and shows its table or figure inline."""
import json, shutil, subprocess, sys
from pathlib import Path
import pytest
from conftest import MICRO_SETS

ROOT = Path(__file__).resolve().parent.parent
# the steps in plan order, with a person's overrides: rl is not in the micro profile and gets its
# `Step.enable` (rl.reward=rm); online_dpo's one round overrides its enable (3 rounds of micro's 2 steps)
STEPS = [("prepare", []), ("sft", []), ("reward_model", []), ("dpo", []), ("generate_and_score", []),
         ("best_of_n", []), ("online_dpo", ["online.rounds=1"]), ("rl", [])]


def test_every_step_has_its_case():
    from hw2_lib.steps import STEPS as REGISTRY
    assert sorted(s for s, _ in STEPS) == sorted(REGISTRY)


def _shown(nb: Path) -> list[str]:
    "The mimetypes of every output the executed notebook shows."
    cells = json.loads(nb.read_text())["cells"]
    return [m for c in cells for o in c.get("outputs", []) for m in o.get("data", {"stream": 1})]


def _scratch(runs: Path, step: str) -> Path:
    (found,) = sorted((runs / "micro" / "scratch").glob(f"{step}-*"))
    return found


def test_prepare_from_the_command_line_on_a_fresh_folder(tmp_path):
    runs, out = tmp_path / "runs", tmp_path / "prepare.ipynb"
    subprocess.run([sys.executable, "-m", "papermill", str(ROOT / "experiments" / "prepare.ipynb"), str(out),
                    "-p", "profile", "micro", "-p", "runs_dir", str(runs), "--cwd", str(tmp_path)],
                   check=True, capture_output=True, text=True)
    assert (_scratch(runs, "prepare") / "metrics.json").exists() and not (runs / "micro" / "prepare").exists()
    assert "text/html" in _shown(out)


def test_every_step_on_its_own(tmp_path, micro_run):
    import papermill as pm
    from hw2_lib.report import load_run
    runs = tmp_path / "runs"
    shutil.copytree(micro_run, runs)                 # the session's run: copied before writing into it
    keys = {d.name: (d / ".key").read_text() for d in (runs / "micro").iterdir() if (d / ".key").exists()}
    for step, overrides in STEPS[1:]:
        out = tmp_path / f"{step}.ipynb"
        params = dict(profile="micro", runs_dir=str(runs), overrides=MICRO_SETS + overrides)
        pm.execute_notebook(str(ROOT / "experiments" / f"{step}.ipynb"), str(out), cwd=str(tmp_path),
                            parameters=params, progress_bar=False)
        assert (_scratch(runs, step) / "metrics.json").exists(), step
        shown = _shown(out)
        assert "text/html" in shown or "image/png" in shown, (step, shown)   # its table or figure inline
    # the run's cached folders are as they were (the inputs were cached; nothing replaced them)
    now = {d.name: (d / ".key").read_text() for d in (runs / "micro").iterdir() if (d / ".key").exists()}
    assert now == keys
    assert "scratch" not in load_run(runs / "micro")
    assert "rl.reward=rm (`STEPS['rl'].enable`)" in (tmp_path / "rl.ipynb").read_text()
    with pytest.raises(Exception, match="fills its slot"):    # replaced by the person's own override: refused
        pm.execute_notebook(str(ROOT / "experiments" / "dpo.ipynb"), str(tmp_path / "x.ipynb"),
                            parameters=dict(profile="micro", runs_dir=str(runs), overrides=["rl.reward=rm"]),
                            progress_bar=False)
