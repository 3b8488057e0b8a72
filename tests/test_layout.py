"""The package's layout rules (issue 21), checked on every `make test` so they cannot drift back: no import
cycle inside hw2_lib, and each study module small enough to read top to bottom."""
import subprocess, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_no_import_cycle():
    # bench/import_graph.py counts module-level and lazy (in-function) imports; it exits 1 on a cycle
    r = subprocess.run([sys.executable, ROOT / "bench" / "import_graph.py", ROOT / "hw2_lib"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout.splitlines()[-1]


def test_each_study_module_at_most_200_lines():
    from hw2_lib.studies import STUDY_MODULES
    lines = {m: len((ROOT / "hw2_lib" / "studies" / f"{m}.py").read_text().splitlines())
             for m in STUDY_MODULES}
    assert max(lines.values()) <= 200, lines
