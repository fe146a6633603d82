"""Size PyTorch's CPU thread pool to the CPU time a container may really use.

Binder, JupyterHub and Docker's ``--cpus`` limit a container with a CFS
bandwidth quota: at most ``quota`` microseconds of CPU time per ``period``,
that is ``quota / period`` CPUs. The quota hides no cores, so PyTorch still
starts one thread per core it sees, and on a 1-CPU Binder those threads take
turns being throttled (docs/performance.md measures how much that costs).

The usable CPUs are ``min over the cgroup and its ancestors of quota / period``,
read from cgroup v2's ``cpu.max`` or cgroup v1's ``cpu.cfs_quota_us`` and
``cpu.cfs_period_us``, and rounded down, since one thread more than the quota
is enough to be throttled.
"""

from __future__ import annotations

import argparse
import math
import os
from pathlib import Path

import torch

PROC_SELF = Path("/proc/self")


def _cgroup_dirs(proc: Path) -> list[tuple[str, Path, Path]]:
    """(version, mount point, this process's cgroup folder) for each hierarchy that can limit the CPU."""
    memberships = {}
    for line in (proc / "cgroup").read_text().splitlines():
        hierarchy_id, controllers, member_path = line.split(":", 2)
        memberships["v2" if hierarchy_id == "0" else controllers] = member_path
    found = []
    for line in (proc / "mountinfo").read_text().splitlines():
        head, _, rest = line.partition(" - ")
        fields, tail = head.split(), rest.split()
        if len(fields) < 5 or len(tail) < 3:
            continue
        mount_root, mount_point, fstype, options = fields[3], Path(fields[4]), tail[0], tail[2].split(",")
        key: str | None
        if fstype == "cgroup2":
            version, key = "v2", "v2"
        elif fstype == "cgroup" and "cpu" in options:
            version = "v1"
            key = next((k for k in memberships if "cpu" in k.split(",")), None)
        else:
            continue
        path = memberships.get(key) if key is not None else None
        if path is None or not path.startswith(mount_root):
            continue  # the process's cgroup lies outside what is mounted here
        relative = path[len(mount_root) :].strip("/")
        found.append((version, mount_point, mount_point / relative))
    return found


def _read_limit(version: str, folder: Path) -> float | None:
    """quota / period of one cgroup folder, or None when it sets no limit."""
    try:
        if version == "v2":
            quota_text, period_text = (folder / "cpu.max").read_text().split()
            return None if quota_text == "max" else int(quota_text) / int(period_text)
        quota_us = int((folder / "cpu.cfs_quota_us").read_text())
        period_us = int((folder / "cpu.cfs_period_us").read_text())
        return None if quota_us <= 0 else quota_us / period_us
    except (OSError, ValueError):
        return None


def cpu_quota(proc: Path = PROC_SELF) -> float | None:
    """The CPUs this process may use by its cgroup quota, ``min(quota / period)`` up its cgroup tree.

    None when no quota applies or none can be read (no cgroups, not Linux).
    ``proc`` is the process's ``/proc`` folder; tests pass a fake one.
    """
    try:
        hierarchies = _cgroup_dirs(proc)
    except (OSError, ValueError):
        return None
    limits = []
    for version, mount_point, folder in hierarchies:
        for level in (folder, *folder.parents):
            limit = _read_limit(version, level)
            if limit is not None:
                limits.append(limit)
            if level == mount_point:
                break
    return min(limits, default=None)


def threads_for_quota(proc: Path = PROC_SELF) -> int | None:
    """``max(1, floor(quota))``: the most threads that the CPU quota keeps busy without throttling; None without a quota."""
    quota = cpu_quota(proc)
    return None if quota is None else max(1, math.floor(quota))


def match_threads_to_cpu_quota(proc: Path = PROC_SELF) -> int:
    """Lower ``torch.set_num_threads`` to ``threads_for_quota()`` when the quota is tighter.

    Never raises the thread count, and leaves it alone when ``OMP_NUM_THREADS``
    is set, since then the user chose it. Returns the thread count now in use.
    Nothing calls this on import: call it explicitly, or start the process
    with ``OMP_NUM_THREADS`` set, as ``binder/start`` does.
    """
    allowed = threads_for_quota(proc)
    if allowed is not None and "OMP_NUM_THREADS" not in os.environ and allowed < torch.get_num_threads():
        torch.set_num_threads(allowed)
    return torch.get_num_threads()


def main(argv: list[str] | None = None) -> None:
    """``python -m mixup_edu.threads``: print ``threads_for_quota()``, or nothing when no quota applies."""
    parser = argparse.ArgumentParser(prog="python -m mixup_edu.threads", description=main.__doc__)
    parser.add_argument("--proc", type=Path, default=PROC_SELF, help="the process's /proc folder (for tests)")
    threads = threads_for_quota(parser.parse_args(argv).proc)
    if threads is not None:
        print(threads)


if __name__ == "__main__":
    main()
