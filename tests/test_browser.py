"""The HTML report and the run explorer, opened offline in headless Chromium: every chart drawn (an SVG or a
canvas in each chart's element), no console error, no network request, no sideways scrolling at a phone's
width (390 px) or a desktop's (1280 px), and a screenshot of each (kept in $HW2_SCREENSHOTS when set).
JupyterLab started headless on a free port answers its API and lists the experiment notebooks.

Chromium is the Debian package `chromium-headless-shell` (or `chromium`), which `.ci/run` installs; elsewhere
these tests skip with the reason, except under CI=true, where they fail."""
import json, os, secrets, shutil, socket, subprocess, sys, time, urllib.request
from pathlib import Path
import pytest
from conftest import IN_CI
try: from playwright import sync_api
except ImportError: sync_api = None

ROOT = Path(__file__).resolve().parent.parent
WIDTHS = (390, 1280)


def _need(what: str, found):
    if found: return found
    if IN_CI: pytest.fail(f"{what} is missing (CI=true: .ci/run installs it)")
    pytest.skip(f"{what} is missing (apt-get install chromium-headless-shell; pip install playwright)")


@pytest.fixture(scope="module")
def browser():
    chromium = _need("Chromium", shutil.which("chromium-headless-shell") or shutil.which("chromium"))
    with _need("playwright", sync_api).sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        yield b
        b.close()


@pytest.fixture(scope="module")
def explorer(micro_report):
    from hw2_lib.explore import explore
    runs, _ = micro_report
    return Path(explore("micro", runs, runs / "explore")["html"])


def _open(browser, page_file: Path, width: int, shots: Path) -> dict:
    "What a reader at `width` px gets: charts drawn, console errors, requests, page width; a screenshot."
    ctx = browser.new_context(viewport=dict(width=width, height=900), offline=True)
    page = ctx.new_page()
    errors, requests = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    local = ("file:", "data:", "blob:")
    page.on("request", lambda r: None if r.url.startswith(local) else requests.append(r.url))
    page.goto(page_file.as_uri())
    charts = "[...document.querySelectorAll('.chart, .hw2-chart')]"
    try: page.wait_for_function(f"() => {charts}.every(c => c.querySelector('svg, canvas'))", timeout=30_000)
    except Exception: pass                                    # counted below
    got = page.evaluate(f"() => ({{charts: {charts}.length, "
                        f"drawn: {charts}.filter(c => c.querySelector('svg, canvas')).length, "
                        f"width: document.documentElement.scrollWidth}})")
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / f"{page_file.stem}-{width}px.png"), full_page=True)
    ctx.close()
    return dict(got, errors=errors, requests=requests)


@pytest.mark.parametrize("which", ["report", "explorer"])
def test_pages_draw_offline(browser, micro_report, explorer, which, tmp_path):
    page_file = micro_report[1] / "report.html" if which == "report" else explorer
    shots = Path(os.environ.get("HW2_SCREENSHOTS") or tmp_path)
    for width in WIDTHS:
        got = _open(browser, page_file, width, shots)
        print(which, width, json.dumps(got))
        assert got["charts"] >= (6 if which == "report" else 5), got
        assert got["drawn"] == got["charts"], got                 # every chart has its SVG or canvas
        assert not got["errors"] and not got["requests"], got
        assert got["width"] <= width + 1, got                      # no sideways scrolling of the page


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0)); return s.getsockname()[1]


def test_jupyterlab_serves_the_project(tmp_path):
    port, token = _free_port(), secrets.token_hex(8)
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(tmp_path / "rt"), JUPYTER_CONFIG_DIR=str(tmp_path / "cfg"))
    proc = subprocess.Popen([sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root",
                             f"--port={port}", f"--IdentityProvider.token={token}",
                             f"--ServerApp.root_dir={ROOT}"], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    get = lambda path: urllib.request.urlopen(f"http://127.0.0.1:{port}{path}?token={token}", timeout=5)
    try:
        t0 = time.time()
        while True:
            try:
                status = json.loads(get("/api/status").read()); break
            except OSError:
                if proc.poll() is not None or time.time() - t0 > 90:
                    pytest.fail(f"JupyterLab did not answer: {proc.stderr.read().decode()[-2000:]}")
                time.sleep(0.5)
        assert "started" in status
        names = [f["name"] for f in json.loads(get("/api/contents/experiments").read())["content"]]
        assert "explore.ipynb" in names and "dpo.ipynb" in names, names
        assert b"JupyterLab" in get("/lab").read()
    finally:
        proc.terminate()
        try: proc.wait(timeout=20)
        except subprocess.TimeoutExpired: proc.kill()
