"""Start nbval's Jupyter kernels one at a time across pytest-xdist's workers.

jupyter_client chooses a kernel's ports by binding free ones and releasing them, and the kernel binds them
again as it starts. A kernel started by the other worker in between can take one of those ports, and the new
kernel then dies before it replies ("Kernel died before replying to kernel_info"; jupyter/jupyter_client#487).
`make test` runs the notebooks on two workers, and a CI run of this project failed that way once
(2026-11-26). A file lock, held from choosing the ports until the kernel answers, closes that window between
the suite's own kernels.
"""

import fcntl
import tempfile
from pathlib import Path

import nbval.kernel

KERNEL_START_LOCK = Path(tempfile.gettempdir()) / "mixup-edu-nbval-kernel-start.lock"
_start_new_kernel = nbval.kernel.start_new_kernel


def start_new_kernel_alone(*args, **kwargs):
    """``nbval.kernel.start_new_kernel``, while no other process of this suite starts one."""
    with KERNEL_START_LOCK.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _start_new_kernel(*args, **kwargs)


nbval.kernel.start_new_kernel = start_new_kernel_alone
