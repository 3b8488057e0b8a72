"Shared fixtures: the read-only real data in ../shared/data, required in CI, optional on a user's machine."
import os
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = Path(os.environ.get("HW2_SHARED_DATA", ROOT.parent / "shared" / "data"))
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


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
