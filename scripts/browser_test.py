"""A real browser test: every notebook run through JupyterLab's own UI in headless Chromium, in fast mode.

    python scripts/browser_test.py                                  # every notebook; or: make browser-test
    python scripts/browser_test.py notebooks/01_mixup_formula.ipynb  # a subset

Starts one ``jupyter lab`` on 127.0.0.1 with a random token, on a copy of
notebooks/ whose outputs are cleared, with ``MIXUP_EDU_FAST=1`` (and one
PyTorch thread, as on Binder) for its kernels. Then, one notebook after another, it opens the notebook in Debian's
Chromium through Playwright, runs all cells from the Run menu and checks that

* every cell ran and no output area shows an error or stderr;
* at least as many figures rendered as the notebook's stored outputs hold
  (image/png outputs, including those inside Output widgets);
* at least as many sliders and progress bars (tqdm's widget bars) appeared
  as the stored widget views hold. tqdm removes its bars when a run ends, so
  every slider or bar that appears during the run is counted.

Every notebook under notebooks/ is found by glob (translations and solutions
in subfolders included). One screenshot per notebook, scrolled to its last
figure or widget, goes to docs/browser/, named after the notebook's path
under notebooks/ ("solutions/05_x.ipynb" -> "solutions-05_x.png"). Prints a
✓ or ✗ line per notebook and exits non-zero if any failed.
Needs ``apt-get install chromium`` and ``pip install playwright``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import nbformat

from repo_paths import NOTEBOOKS, ROOT, all_notebooks

SCREENSHOTS = ROOT / "docs" / "browser"
VIEWPORT = {"width": 1400, "height": 1000}
MAX_SCREENSHOT_BYTES = 400_000
LOAD_TIMEOUT_MS = 90_000
RENDER_TIMEOUT_MS = 15_000
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
# JupyterLab renders both error outputs and stderr streams with this MIME type.
ERROR_OUTPUT = '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'
SLIDER, PROGRESS = ".widget-slider", ".widget-hprogress, .widget-vprogress"

# Counts every slider and progress-bar element that is ever attached to the page, so that tqdm's
# bars, which are removed when their run ends, are still counted.
WATCH_WIDGETS = f"""() => {{
    window.seenWidgets = {{slider: new Set(), progress: new Set()}};
    const record = () => {{
        document.querySelectorAll({json.dumps(SLIDER)}).forEach(e => window.seenWidgets.slider.add(e));
        document.querySelectorAll({json.dumps(PROGRESS)}).forEach(e => window.seenWidgets.progress.add(e));
    }};
    new MutationObserver(record).observe(document.body,
        {{subtree: true, childList: true, attributes: true, attributeFilter: ['class']}});
    record();
}}"""
SEEN_WIDGETS = "() => ({slider: window.seenWidgets.slider.size, progress: window.seenWidgets.progress.size})"
# Done when no cell is queued or running and either every cell ran or a cell failed (Run All stops there).
RUN_FINISHED = f"""() => {{
    const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')].map(p => p.textContent);
    if (prompts.length === 0 || prompts.some(t => t.includes('*'))) return false;
    return prompts.every(t => /\\[\\d+\\]/.test(t)) || document.querySelector({json.dumps(ERROR_OUTPUT)}) !== null;
}}"""
RENDERED_FIGURES = """() => [...document.querySelectorAll('.jp-RenderedImage img')]
    .filter(img => img.complete && img.naturalWidth > 0).length"""
# The output area to show in the screenshot: the last one holding a figure or a widget, else the last one.
SCROLL_TO_LAST_OUTPUT = """() => {
    const outputs = [...document.querySelectorAll('.jp-Cell-outputArea')];
    const shown = outputs.filter(o => o.querySelector('.jp-RenderedImage img, .jupyter-widgets'));
    const target = shown.at(-1) ?? outputs.at(-1);
    if (target) target.scrollIntoView({block: 'end'});
}"""


@dataclass(frozen=True)
class Expected:
    """What a notebook's stored outputs display: figures, sliders and progress bars."""

    figures: int = 0
    sliders: int = 0
    progress_bars: int = 0

    def __add__(self, other: Expected) -> Expected:
        return Expected(
            self.figures + other.figures, self.sliders + other.sliders, self.progress_bars + other.progress_bars
        )


def model_refs(value: object) -> Iterator[str]:
    """Model ids referenced (as "IPY_MODEL_<id>") anywhere inside a widget's state."""
    if isinstance(value, str) and value.startswith("IPY_MODEL_"):
        yield value.removeprefix("IPY_MODEL_")
    elif isinstance(value, list):
        for item in value:
            yield from model_refs(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from model_refs(item)


def expected_from_outputs(outputs: list, state: dict, seen: set[str]) -> Expected:
    """Figures, sliders and progress bars displayed by ``outputs``, following widget views into ``state``.

    ``seen`` collects the model ids counted, so a model shown twice counts once, like its DOM view.
    """
    total = Expected()
    for output in outputs:
        data = output.get("data", {})
        total += Expected(figures=int("image/png" in data))
        if WIDGET_VIEW in data:
            total += expected_from_model(data[WIDGET_VIEW]["model_id"], state, seen)
    return total


def expected_from_model(model_id: str, state: dict, seen: set[str]) -> Expected:
    """What the widget ``model_id`` and the widgets inside it display (nothing if ``state`` lacks it)."""
    if model_id in seen or model_id not in state:
        seen.add(model_id)
        return Expected()
    seen.add(model_id)
    name, fields = state[model_id]["model_name"], state[model_id]["state"]
    total = Expected(sliders=int(name.endswith("SliderModel")), progress_bars=int(name.endswith("ProgressModel")))
    if name == "OutputModel":
        total += expected_from_outputs(fields.get("outputs", []), state, seen)
    for ref in model_refs({key: value for key, value in fields.items() if key != "outputs"}):
        total += expected_from_model(ref, state, seen)
    return total


def expected(notebook: nbformat.NotebookNode) -> tuple[Expected, list[str]]:
    """Everything the notebook's stored outputs display, which a fast-mode run must display too.

    Also returns the ids of the widgets that outputs show but whose state the notebook did not store:
    what those display is unknown.
    """
    state = notebook.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    outputs = [output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs]
    seen: set[str] = set()
    return expected_from_outputs(outputs, state, seen), sorted(seen - state.keys())


def relative_name(path: Path) -> str:
    """The notebook's path under notebooks/ (its name alone when it lies elsewhere), with "/" separators."""
    path = path.resolve()
    return path.relative_to(NOTEBOOKS).as_posix() if path.is_relative_to(NOTEBOOKS) else path.name


def screenshot_name(name: str) -> str:
    """``solutions/05_x.ipynb`` -> ``solutions-05_x.png``."""
    return name.removesuffix(".ipynb").replace("/", "-") + ".png"


def prepare(workdir: Path, notebooks: dict[str, Path]) -> None:
    """A copy of notebooks/ (for any files the notebooks read) with the notebooks to run cleared of outputs."""
    shutil.copytree(NOTEBOOKS, workdir, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    for name, path in notebooks.items():
        notebook = nbformat.read(path, as_version=4)
        for cell in notebook.cells:
            if cell.cell_type == "code":
                cell.outputs, cell.execution_count = [], None
        notebook.metadata.pop("widgets", None)
        (workdir / name).parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(notebook, workdir / name)


def write_settings(settings: Path) -> None:
    """JupyterLab settings: render every cell (so every output is in the DOM), and no news pop-up."""
    for plugin, values in {
        "notebook-extension/tracker": {"windowingMode": "none"},
        "apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
    }.items():
        path = settings / "@jupyterlab" / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """One ``jupyter lab`` for the whole run, its kernels in fast mode."""

    def __init__(self, root_dir: Path, settings: Path, workspaces: Path) -> None:
        self.token, port = secrets.token_hex(16), free_port()
        self.base = f"http://127.0.0.1:{port}"
        env = dict(os.environ, MIXUP_EDU_FAST="1")
        # One thread per kernel, as on Binder (binder/start). This test checks the UI, not speed, and on a
        # busy shared machine PyTorch's second thread made the small MLPs' training 5 times slower.
        env.setdefault("OMP_NUM_THREADS", "1")
        # Kernels import this checkout's mixup_edu, whatever the environment has installed.
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "jupyter",
                "lab",
                "--no-browser",
                "--allow-root",
                "--ip=127.0.0.1",
                f"--port={port}",
                f"--IdentityProvider.token={self.token}",
                f"--ServerApp.root_dir={root_dir}",
                f"--LabApp.user_settings_dir={settings}",
                f"--LabApp.workspaces_dir={workspaces}",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
        )

    def api(self, path: str, method: str = "GET") -> object:
        request = urllib.request.Request(
            f"{self.base}/api/{path}", method=method, headers={"Authorization": f"token {self.token}"}
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            body = response.read()
        return json.loads(body) if body else None

    def wait_until_up(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"jupyter lab exited with status {self.process.returncode}")
            try:
                self.api("status")
                return
            except OSError:
                time.sleep(0.5)
        raise RuntimeError(f"jupyter lab did not answer at {self.base} within {timeout:.0f} s")

    def notebook_url(self, name: str) -> str:
        # ?reset starts from an empty workspace, so the previous notebook's tab is not restored.
        return f"{self.base}/lab/tree/{urllib.parse.quote(name)}?reset&token={self.token}"

    def shut_down_kernels(self) -> None:
        sessions = self.api("sessions")
        assert isinstance(sessions, list), sessions
        for session in sessions:
            self.api(f"sessions/{session['id']}", method="DELETE")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def save_screenshot(page, path: Path) -> None:
    """A viewport screenshot, palette-compressed when it exceeds MAX_SCREENSHOT_BYTES."""
    page.screenshot(path=str(path))
    if path.stat().st_size > MAX_SCREENSHOT_BYTES:
        from PIL import Image

        with Image.open(path) as image:
            image.convert("RGB").quantize(colors=256).save(path, optimize=True)


def check_notebook(
    browser, server: Server, name: str, want: Expected, screenshot: Path, timeout: float
) -> tuple[list[str], Expected]:
    """Run one notebook through the UI, allowing ``timeout`` seconds for Run All.

    Returns what went wrong (empty if nothing) and what it displayed.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page = browser.new_page(viewport=VIEWPORT)
    problems, shown = [], Expected()
    try:
        page.goto(server.notebook_url(name))
        page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=LOAD_TIMEOUT_MS)
        # The toolbar can report "idle" before the kernel's session is fully set up, and a Run All
        # issued then is dropped; wait for the status bar's kernel status and let it settle.
        page.get_by_text(re.compile(r"\(ipykernel\) \| Idle")).wait_for(timeout=LOAD_TIMEOUT_MS)
        page.wait_for_timeout(2_000)
        left_panel = page.locator(".jp-SideBar.jp-mod-left .lm-TabBar-tab.lm-mod-current")
        if left_panel.count():
            left_panel.first.click()  # fold the file browser away: more room for the notebook
        page.evaluate(WATCH_WIDGETS)
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
        try:
            page.wait_for_function(RUN_FINISHED, timeout=timeout * 1000, polling=500)
        except PlaywrightTimeout:
            prompts = page.eval_on_selector_all(".jp-CodeCell .jp-InputPrompt", "ps => ps.map(p => p.textContent)")
            ran = sum(bool(re.search(r"\[\d+\]", prompt)) for prompt in prompts)
            problems.append(f"after {timeout:.0f} s, {ran} of {len(prompts)} code cells had run")
        errors = page.locator(ERROR_OUTPUT)
        if errors.count():
            problems.append(
                f"{errors.count()} output(s) show an error or stderr; the first:\n" + errors.first.inner_text()[:1500]
            )
        try:
            page.wait_for_function(f"() => ({RENDERED_FIGURES})() >= {want.figures}", timeout=RENDER_TIMEOUT_MS)
        except PlaywrightTimeout:
            pass  # reported just below with the count
        seen = page.evaluate(SEEN_WIDGETS)
        shown = Expected(page.evaluate(RENDERED_FIGURES), seen["slider"], seen["progress"])
        for what, count, stored in [
            ("figures rendered", shown.figures, want.figures),
            ("sliders appeared", shown.sliders, want.sliders),
            ("progress bars appeared", shown.progress_bars, want.progress_bars),
        ]:
            if count < stored:
                problems.append(f"{count} {what}, the stored outputs hold {stored}")
        page.evaluate(SCROLL_TO_LAST_OUTPUT)
        page.wait_for_timeout(500)
    except PlaywrightTimeout as error:
        problems.append(f"JupyterLab did not get ready: {error.message.splitlines()[0]}")
    finally:
        save_screenshot(page, screenshot)
        page.close()
        server.shut_down_kernels()
    return problems, shown


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebooks", nargs="*", type=Path, help="notebooks to run (default: every notebook)")
    parser.add_argument("--out-dir", type=Path, default=SCREENSHOTS, help="where to save the screenshots")
    parser.add_argument("--timeout", type=float, default=300, help="seconds allowed for each notebook's Run All")
    args = parser.parse_args()
    paths = args.notebooks or all_notebooks()
    missing = [str(path) for path in paths if not path.is_file()]
    if missing:
        parser.error(f"no such notebook: {', '.join(missing)}")
    notebooks = {relative_name(path): path for path in paths}
    args.out_dir.mkdir(parents=True, exist_ok=True)

    from playwright.sync_api import sync_playwright

    start, failed = time.monotonic(), []
    with tempfile.TemporaryDirectory() as tmp:
        prepare(Path(tmp) / "notebooks", notebooks)
        write_settings(Path(tmp) / "settings")
        server = Server(Path(tmp) / "notebooks", Path(tmp) / "settings", Path(tmp) / "workspaces")
        try:
            server.wait_until_up()
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
                for name, path in notebooks.items():
                    began, screenshot = time.monotonic(), args.out_dir / screenshot_name(name)
                    want, unknown = expected(nbformat.read(path, as_version=4))
                    problems, shown = check_notebook(browser, server, name, want, screenshot, args.timeout)
                    if unknown:
                        problems.append(
                            f"stored outputs show widgets {', '.join(unknown)} without their state; "
                            f"save the notebook with its widget state"
                        )
                    counts = (
                        f"figures {shown.figures}/{want.figures}, sliders {shown.sliders}/{want.sliders}, "
                        f"progress bars {shown.progress_bars}/{want.progress_bars} (shown/stored)"
                    )
                    print(
                        f"{'✗' if problems else '✓'} {name} in {time.monotonic() - began:.0f} s: {counts}; "
                        f"screenshot {screenshot}",
                        *(f"  - {problem}" for problem in problems),
                        sep="\n",
                        flush=True,
                    )
                    if problems:
                        failed.append(name)
                browser.close()
        finally:
            server.stop()
    print(f"{len(notebooks) - len(failed)}/{len(notebooks)} notebooks passed in {time.monotonic() - start:.0f} s")
    if failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
