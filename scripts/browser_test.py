"""A real browser test: notebook 01 run through JupyterLab's own UI in headless Chromium.

    python scripts/browser_test.py --out browser-test.png     # or: make browser-test

Starts ``jupyter lab`` on 127.0.0.1 with a random token on a copy of
notebook 01 whose outputs are cleared, opens it in Debian's Chromium through
Playwright, runs all cells from the Run menu, and checks that every cell ran,
that no cell shows an error, that the figures rendered and that the α and λ
sliders appeared. It saves a screenshot and exits non-zero on any failure.
Needs ``apt-get install chromium`` and ``pip install playwright``.
"""

from __future__ import annotations

import argparse
import json
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = "01_mixup_formula.ipynb"
RUN_TIMEOUT_MS = 300_000
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(workdir: Path) -> None:
    """A copy of the notebook without outputs, and JupyterLab settings that render every cell."""
    notebook = nbformat.read(ROOT / "notebooks" / NOTEBOOK, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    nbformat.write(notebook, workdir / NOTEBOOK)
    settings = workdir / "settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    (settings / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))


def wait_for_server(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"jupyter lab did not answer at {url}")


def run_in_browser(url: str, screenshot: Path) -> list[str]:
    from playwright.sync_api import sync_playwright

    problems = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(url)
        page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=90_000)
        # The toolbar can report "idle" before the kernel's session is fully set up, and a Run All
        # issued then is dropped; wait for the status bar's kernel status and let it settle.
        page.get_by_text("Python 3 (ipykernel) | Idle").wait_for(timeout=90_000)
        page.wait_for_timeout(3_000)
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
        try:
            page.wait_for_function(
                """() => {
                    const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')].map(p => p.textContent);
                    return prompts.length > 0 && prompts.every(t => /\\[\\d+\\]/.test(t));
                }""", timeout=RUN_TIMEOUT_MS)
        except Exception:
            page.screenshot(path=str(screenshot))
            prompts = page.eval_on_selector_all(".jp-CodeCell .jp-InputPrompt", "ps => ps.map(p => p.textContent)")
            stderr = page.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')
            print("prompts:", prompts)
            if stderr.count():
                print("first error output:", stderr.first.inner_text()[:1500])
            raise
        errors = page.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]').count()
        if errors:
            problems.append(f"{errors} cell output(s) show an error or stderr")
        images = page.locator(".jp-RenderedImage img").count()
        if images < 5:
            problems.append(f"only {images} figures rendered, expected at least 5")
        sliders = page.locator(".widget-slider")
        if sliders.count() < 2:
            problems.append(f"{sliders.count()} sliders found, expected the α and λ sliders")
        else:
            sliders.last.scroll_into_view_if_needed()
        page.screenshot(path=str(screenshot))
        browser.close()
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path("browser-test.png"), help="where to save the screenshot")
    args = parser.parse_args()
    token, port = secrets.token_hex(16), free_port()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        prepare(workdir)
        server = subprocess.Popen(
            [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--allow-root", "--ip=127.0.0.1", f"--port={port}",
             f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={workdir}",
             f"--LabApp.user_settings_dir={workdir / 'settings'}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        try:
            wait_for_server(f"http://127.0.0.1:{port}/api/status?token={token}")
            problems = run_in_browser(f"http://127.0.0.1:{port}/lab/tree/{NOTEBOOK}?token={token}", args.out.resolve())
        finally:
            server.terminate()
            server.wait(timeout=30)
    for problem in problems:
        print(f"✗ {problem}")
    print(f"screenshot: {args.out}")
    if problems:
        sys.exit(1)
    print(f"✓ {NOTEBOOK} ran in JupyterLab without errors; figures and sliders rendered")


if __name__ == "__main__":
    main()
