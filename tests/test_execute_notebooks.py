"""scripts/execute_notebooks.py: the stored outputs come from full mode on one PyTorch thread."""

import os
import sys


def test_the_kernels_run_in_full_mode_on_one_thread(import_script, monkeypatch, tmp_path):
    script = import_script("execute_notebooks")
    seen = []
    monkeypatch.setattr(script, "execute", lambda path, timeout: seen.append(
        (path.name, os.environ.get("OMP_NUM_THREADS"), os.environ.get("MIXUP_EDU_FAST"))) or 1.0)
    monkeypatch.setenv("OMP_NUM_THREADS", "2")
    monkeypatch.setenv("MIXUP_EDU_FAST", "1")
    monkeypatch.setattr(sys, "argv", ["execute_notebooks.py", str(tmp_path / "a.ipynb"), str(tmp_path / "b.ipynb")])
    script.main()
    assert seen == [("a.ipynb", "1", None), ("b.ipynb", "1", None)]
