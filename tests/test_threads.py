"""cpu_quota reads cgroup v1 and v2 CPU quotas; match_threads_to_cpu_quota only ever lowers torch's threads;
importing mixup_edu changes nothing; binder/start exports the quota as OMP_NUM_THREADS."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from mixup_edu import threads
from mixup_edu.threads import cpu_quota, match_threads_to_cpu_quota


def fake_proc(tmp_path: Path, cgroup: str, mounts: list[str]) -> Path:
    proc = tmp_path / "proc"
    proc.mkdir()
    (proc / "cgroup").write_text(cgroup)
    (proc / "mountinfo").write_text("\n".join(mounts) + "\n")
    return proc


def v2_host(tmp_path: Path, path: str = "/user/kernel") -> tuple[Path, Path]:
    """A cgroup v2 host whose process lives in ``path``; returns (proc, the mount point)."""
    mount = tmp_path / "cg2"
    (mount / path.strip("/")).mkdir(parents=True)
    proc = fake_proc(tmp_path, f"0::{path}\n", [f"30 23 0:26 / {mount} rw - cgroup2 cgroup2 rw"])
    return proc, mount


def v1_host(tmp_path: Path, path: str = "/docker/abc", mount_root: str = "/") -> tuple[Path, Path]:
    """A cgroup v1 host with a cpu,cpuacct hierarchy; returns (proc, the mount point)."""
    mount = tmp_path / "cpu,cpuacct"
    mount.mkdir()
    cgroup = f"12:memory:{path}\n4:cpu,cpuacct:{path}\n1:name=systemd:{path}\n"
    mounts = [
        f"31 23 0:28 / {tmp_path} rw - tmpfs tmpfs rw",
        f"35 31 0:32 {mount_root} {mount} rw - cgroup cgroup rw,cpu,cpuacct",
        f"36 31 0:33 {mount_root} {tmp_path / 'memory'} rw - cgroup cgroup rw,memory",
    ]
    return fake_proc(tmp_path, cgroup, mounts), mount


def set_v1(folder: Path, quota: int, period: int = 100_000) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "cpu.cfs_quota_us").write_text(f"{quota}\n")
    (folder / "cpu.cfs_period_us").write_text(f"{period}\n")


@pytest.mark.parametrize("cpu_max, expected", [("100000 100000", 1.0), ("150000 100000", 1.5), ("max 100000", None)])
def test_v2_quota_is_quota_over_period(tmp_path, cpu_max, expected):
    proc, mount = v2_host(tmp_path)
    (mount / "user" / "kernel" / "cpu.max").write_text(cpu_max + "\n")
    assert cpu_quota(proc) == expected


def test_v2_tightest_ancestor_wins(tmp_path):
    proc, mount = v2_host(tmp_path)
    (mount / "user" / "cpu.max").write_text("50000 100000\n")
    (mount / "user" / "kernel" / "cpu.max").write_text("400000 100000\n")
    assert cpu_quota(proc) == 0.5


def test_v1_quota_and_unlimited(tmp_path):
    proc, mount = v1_host(tmp_path)
    set_v1(mount / "docker" / "abc", -1)
    assert cpu_quota(proc) is None
    set_v1(mount / "docker", 200_000, 50_000)
    assert cpu_quota(proc) == 4.0


def test_v1_container_whose_mount_root_is_its_own_cgroup(tmp_path):
    # Without a cgroup namespace, /proc/self/cgroup shows the host's path, and the mount's root is that path.
    proc, mount = v1_host(tmp_path, path="/kubepods/pod1/c1", mount_root="/kubepods/pod1/c1")
    set_v1(mount, 100_000)
    assert cpu_quota(proc) == 1.0


def test_no_cgroups_or_unreadable_files_give_none(tmp_path):
    assert cpu_quota(tmp_path / "missing") is None
    proc = fake_proc(tmp_path, "garbage without colons\n", [])
    assert cpu_quota(proc) is None
    proc2, mount = v2_host(tmp_path / "b")
    (mount / "user" / "kernel" / "cpu.max").write_text("not numbers\n")
    assert cpu_quota(proc2) is None


@pytest.fixture
def restore_threads(monkeypatch):
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    before = torch.get_num_threads()
    yield
    torch.set_num_threads(before)


def test_threads_lowered_to_floor_of_quota_but_never_raised(tmp_path, restore_threads):
    proc, mount = v2_host(tmp_path)
    torch.set_num_threads(4)
    (mount / "cpu.max").write_text("250000 100000\n")
    assert match_threads_to_cpu_quota(proc) == 2 == torch.get_num_threads()
    (mount / "cpu.max").write_text("50000 100000\n")  # half a CPU still gets one thread
    assert match_threads_to_cpu_quota(proc) == 1
    (mount / "cpu.max").write_text("800000 100000\n")
    assert match_threads_to_cpu_quota(proc) == 1


def test_omp_num_threads_is_the_users_choice(tmp_path, restore_threads, monkeypatch):
    proc, mount = v2_host(tmp_path)
    (mount / "cpu.max").write_text("100000 100000\n")
    torch.set_num_threads(2)
    monkeypatch.setenv("OMP_NUM_THREADS", "2")
    assert match_threads_to_cpu_quota(proc) == 2


def test_import_leaves_the_thread_count_alone(root):
    code = "import torch; torch.set_num_threads(3); import mixup_edu; print(torch.get_num_threads())"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root)
    assert out.stdout.split() == ["3"]


@pytest.mark.parametrize("cpu_max, printed", [("150000 100000", "1\n"), ("250000 100000", "2\n"), ("max 100000", "")])
def test_threads_module_prints_what_binder_start_exports(tmp_path, capsys, cpu_max, printed):
    proc, mount = v2_host(tmp_path)
    (mount / "cpu.max").write_text(cpu_max + "\n")
    threads.main(["--proc", str(proc)])
    assert capsys.readouterr().out == printed


@pytest.mark.skipif(os.environ.get("MIXUP_EDU_HOST_TESTS") != "1",
                    reason="makes a real cgroup on this host: opt in with MIXUP_EDU_HOST_TESTS=1 (as root)")
def test_binder_start_sizes_threads_inside_a_real_one_cpu_cgroup(root, import_script):
    """End to end on the kernel's own files: binder/start inside a 1-CPU cgroup, which is removed afterwards."""
    binder_sim = import_script("binder_sim")
    env = {k: v for k, v in os.environ.items() if k != "OMP_NUM_THREADS"}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    code = "import torch; print(torch.get_num_threads())"
    with binder_sim.binder_cgroup() as procs:
        out = subprocess.run([str(root / "binder" / "start"), sys.executable, "-c", code], env=env,
                             capture_output=True, text=True, preexec_fn=binder_sim.joiner(procs), cwd=root)
    assert out.returncode == 0, out.stderr
    assert int(out.stdout) == binder_sim.CPUS
    assert not any(path.parent.exists() for path in procs)  # every cgroup it made is gone
