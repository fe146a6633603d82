"""Binder installs binder/requirements.txt, not the root files: keep them in step."""

from pathlib import Path


def requirements(path: Path) -> dict[str, str]:
    """Package name -> version specifier, skipping comments, options and the local package."""
    pins = {}
    for line in path.read_text().splitlines():
        line = line.split("#")[0].strip()
        if line and not line.startswith("-"):
            name = line.split(">")[0].split("<")[0].split("=")[0].split("[")[0].strip().lower()
            pins[name] = line[len(name):].strip()
    return pins


def test_binder_has_the_same_packages_and_ranges(root):
    assert requirements(root / "binder" / "requirements.txt") == requirements(root / "requirements.txt")


def test_binder_installs_the_package_and_cpu_torch(root):
    lines = [line.strip() for line in (root / "binder" / "requirements.txt").read_text().splitlines()]
    assert "-e ." in lines
    assert "--extra-index-url https://download.pytorch.org/whl/cpu" in lines
    assert (root / "binder" / "runtime.txt").read_text().strip() == "python-3.11"
