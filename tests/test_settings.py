import pytest

from mixup_edu.settings import fast_mode, full_or_fast


@pytest.mark.parametrize("value, fast", [("1", True), ("true", True), ("0", False), ("", False)])
def test_fast_mode(monkeypatch, value, fast):
    monkeypatch.setenv("MIXUP_EDU_FAST", value)
    assert fast_mode() is fast
    assert full_or_fast(30, 2) == (2 if fast else 30)


def test_fast_mode_unset(monkeypatch):
    monkeypatch.delenv("MIXUP_EDU_FAST", raising=False)
    assert not fast_mode()
