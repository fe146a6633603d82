import math

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from mixup_edu import sample_beta, sample_lambda


def test_alpha_zero_is_erm():
    assert sample_lambda(0.0) == 1.0
    assert sample_lambda(0) == 1.0


@pytest.mark.parametrize("alpha", [-0.1, -1, math.nan, math.inf, -math.inf])
def test_bad_alpha_raises_value_error(alpha):
    with pytest.raises(ValueError, match="alpha"):
        sample_lambda(alpha)


@pytest.mark.parametrize("alpha", ["1.0", None, [1.0], True])
def test_non_number_alpha_raises_type_error(alpha):
    with pytest.raises(TypeError, match="alpha"):
        sample_lambda(alpha)


def test_same_seed_same_draws():
    a = [sample_lambda(0.4, torch.Generator().manual_seed(7)) for _ in range(3)]
    g1, g2 = torch.Generator().manual_seed(7), torch.Generator().manual_seed(7)
    assert [sample_lambda(0.4, g1) for _ in range(5)] == [sample_lambda(0.4, g2) for _ in range(5)]
    assert a[0] == a[1] == a[2]
    g3 = torch.Generator().manual_seed(8)
    assert sample_lambda(0.4, g3) != a[0]


@given(alpha=st.floats(1e-4, 1e3), seed=st.integers(0, 2**31))
def test_lambda_in_unit_interval(alpha, seed):
    lam = sample_lambda(alpha, torch.Generator().manual_seed(seed))
    assert isinstance(lam, float)
    assert 0.0 <= lam <= 1.0


@pytest.mark.parametrize("alpha", [0.2, 1.0, 4.0])
def test_moments_match_beta(alpha):
    # Beta(a, a) has mean 1/2 and variance 1 / (4 (2a + 1)).
    lam = sample_beta(alpha, (40_000,), torch.Generator().manual_seed(0))
    assert lam.mean().item() == pytest.approx(0.5, abs=0.01)
    assert lam.var().item() == pytest.approx(1 / (4 * (2 * alpha + 1)), rel=0.04)


def test_uniform_at_alpha_one():
    lam = sample_beta(1.0, (40_000,), torch.Generator().manual_seed(1))
    deciles = torch.histc(lam.float(), bins=10, min=0, max=1) / len(lam)
    assert torch.allclose(deciles, torch.full((10,), 0.1), atol=0.01)


def test_small_alpha_pushes_mass_to_the_ends_and_never_nan():
    lam = sample_beta(0.01, (10_000,), torch.Generator().manual_seed(2))
    assert not lam.isnan().any()
    assert ((lam < 0.01) | (lam > 0.99)).float().mean() > 0.9


def test_large_alpha_concentrates_near_half():
    lam = sample_beta(100.0, (10_000,), torch.Generator().manual_seed(3))
    assert ((lam - 0.5).abs() < 0.1).float().mean() > 0.95


@given(alpha=st.floats(1e-3, 100), seed=st.integers(0, 2**31))
def test_scalar_draw_equals_the_vectorised_formula(alpha, seed):
    one = sample_lambda(alpha, torch.Generator().manual_seed(seed))
    vectorised = float(sample_beta(alpha, (), torch.Generator().manual_seed(seed)))
    assert one == pytest.approx(vectorised, abs=1e-9)
