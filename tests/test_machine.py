import torch

from mixup_edu.machine import describe


def test_describe_names_the_cpu_threads_and_versions():
    info = describe()
    assert isinstance(info["cpu"], str) and info["cpu"]
    assert info["cpu_threads"] == torch.get_num_threads()
    assert info["torch_version"] == torch.__version__
