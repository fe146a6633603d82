"""Which device to train on."""

from __future__ import annotations

import torch


def resolve_device(device: str | torch.device = "auto") -> torch.device:
    """``"auto"`` → CUDA when available, else CPU; ``"cpu"`` and ``"cuda"`` as given."""
    if not isinstance(device, (str, torch.device)):
        raise TypeError(
            f"device must be 'auto', 'cpu', 'cuda' or a torch.device, got {type(device).__name__} {device!r}"
        )
    name = str(device)
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if name.split(":")[0] not in {"cpu", "cuda"}:
        raise ValueError(f"device must be 'auto', 'cpu' or 'cuda', got {name!r}")
    if name.startswith("cuda") and not torch.cuda.is_available():
        raise ValueError("device 'cuda' was asked for, but no CUDA GPU is available; use 'cpu' or 'auto'")
    return torch.device(name)
