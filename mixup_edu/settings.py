"""Run-wide settings read from the environment.

``MIXUP_EDU_FAST=1`` (set by CI) asks notebooks and scripts for a fast run:
fewer epochs and less data, so that every notebook executes in about a
minute. Stored notebook outputs always come from the full run.
"""

from __future__ import annotations

import os
from typing import TypeVar

T = TypeVar("T")


def fast_mode() -> bool:
    """True when the environment variable ``MIXUP_EDU_FAST`` is set to a true value."""
    return os.environ.get("MIXUP_EDU_FAST", "").strip().lower() in {"1", "true", "yes", "on"}


def full_or_fast(full: T, fast: T) -> T:
    """``fast`` in fast mode, ``full`` otherwise: ``epochs = full_or_fast(30, 2)``."""
    return fast if fast_mode() else full
