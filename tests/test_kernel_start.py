import fcntl

import nbval.kernel
import pytest


def test_nbval_starts_its_kernels_under_a_lock_that_other_workers_wait_for(monkeypatch):
    start = nbval.kernel.start_new_kernel
    assert start.__name__ == "start_new_kernel_alone"  # the root conftest.py replaced nbval's own
    lock_file = start.__globals__["KERNEL_START_LOCK"]

    def try_the_lock_meanwhile(*args, **kwargs):
        with lock_file.open("w") as other_worker, pytest.raises(BlockingIOError):
            fcntl.flock(other_worker, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return ("manager", "client", args, kwargs)

    monkeypatch.setitem(start.__globals__, "_start_new_kernel", try_the_lock_meanwhile)
    assert start(60, kernel_name="k") == ("manager", "client", (60,), {"kernel_name": "k"})
    with lock_file.open("w") as after:  # released once the kernel has started
        fcntl.flock(after, fcntl.LOCK_EX | fcntl.LOCK_NB)
