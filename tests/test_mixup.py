"""mixup_edu.mixup: λ ~ Beta(α, α), the blend λ·x + (1 − λ)·x[perm], ``mixup_data`` and ``MixUp``."""

import math
import pickle

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from torch.utils.data import DataLoader, TensorDataset, default_collate
from torchvision.transforms import v2

from mixup_edu import MixUp, mix, mix_targets, mixup_data, sample_beta, sample_lambda

# λ ~ Beta(α, α): sample_lambda (one draw) and sample_beta (a tensor of draws).


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


def test_an_empty_shape_gives_no_draws():
    assert sample_beta(1.0, (0,), torch.Generator().manual_seed(0)).shape == (0,)
    assert sample_beta(1.0, (2, 0), torch.Generator().manual_seed(0)).shape == (2, 0)


@pytest.mark.parametrize("alpha", [0.2, 1.0, 4.0])
def test_moments_match_beta(alpha):
    # Beta(a, a) has mean 1/2 and variance 1 / (4 (2a + 1)).
    lam = sample_beta(alpha, (40_000,), torch.Generator().manual_seed(0))
    assert lam.mean().item() == pytest.approx(0.5, abs=0.01)
    assert lam.var().item() == pytest.approx(1 / (4 * (2 * alpha + 1)), rel=0.04)


# Beta(α, α)'s CDF in closed form for three α: the arcsine law, the uniform law, and 3x² − 2x³.
BETA_CDF = {
    0.5: lambda x: 2 / math.pi * torch.asin(x.sqrt()),
    1.0: lambda x: x,
    2.0: lambda x: 3 * x**2 - 2 * x**3,
}


def ks_distance(draws, cdf):
    """One-sample Kolmogorov–Smirnov statistic: the largest gap between the draws' empirical CDF and ``cdf``."""
    x = torch.as_tensor(draws, dtype=torch.float64).sort().values
    n = len(x)
    below, above = torch.arange(n, dtype=torch.float64) / n, torch.arange(1, n + 1, dtype=torch.float64) / n
    return max((above - cdf(x)).max().item(), (cdf(x) - below).max().item())


def ks_threshold(n, false_alarm=1e-6):
    """The distance that n true draws exceed with probability ``false_alarm`` (the DKW bound)."""
    return math.sqrt(math.log(2 / false_alarm) / (2 * n))


@pytest.mark.parametrize("alpha", sorted(BETA_CDF))
def test_sample_beta_follows_beta_by_a_ks_test(alpha):
    lam = sample_beta(alpha, (20_000,), torch.Generator().manual_seed(1))
    assert ks_distance(lam, BETA_CDF[alpha]) < ks_threshold(len(lam))
    # the test can tell: the same draws are far from the neighbouring α's law
    other = BETA_CDF[2.0 if alpha == 1.0 else 1.0]
    assert ks_distance(lam, other) > 3 * ks_threshold(len(lam))


@pytest.mark.parametrize("alpha", [0.5, 2.0])
def test_sample_lambda_follows_beta_by_a_ks_test(alpha):
    generator = torch.Generator().manual_seed(2)
    lam = [sample_lambda(alpha, generator) for _ in range(3000)]
    assert ks_distance(lam, BETA_CDF[alpha]) < ks_threshold(len(lam))


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


def test_a_uniform_draw_of_exactly_zero_gives_a_finite_lambda(monkeypatch):
    # U = 0 has probability 2⁻⁵³ per draw; force it, so that log U must be kept finite by the clamp.
    real_rand = torch.rand
    monkeypatch.setattr(torch, "rand", lambda *args, **kwargs: real_rand(*args, **kwargs).zero_())
    one = sample_lambda(0.5, torch.Generator().manual_seed(0))
    vectorised = sample_beta(0.5, (3,), torch.Generator().manual_seed(0))
    assert math.isfinite(one) and 0.0 < one < 1.0
    assert vectorised.isfinite().all() and ((vectorised > 0) & (vectorised < 1)).all()
    assert one == pytest.approx(float(sample_beta(0.5, (), torch.Generator().manual_seed(0))), abs=1e-12)


def test_mixup_transform_asks_for_keywords_when_given_positional_arguments():
    with pytest.raises(TypeError, match=r"keyword arguments only, got 2 positional \(1\.0, 10\); write MixUp\(alpha="):
        MixUp(1.0, 10)
    with pytest.raises(TypeError, match="num_classes"):
        MixUp(alpha=1.0)


# mix and mixup_data: one λ (or one per sample) and one permutation for inputs and labels.


def indexed_batch(b, shape=(1, 4, 4)):
    """Images whose pixels encode their own index, with labels = index."""
    x = torch.arange(b, dtype=torch.float32).reshape(b, 1, 1, 1).expand(b, *shape).clone() / max(b, 1)
    return x, torch.arange(b)


def test_formula_and_labels_follow_the_same_permutation(gen):
    x, y = indexed_batch(16)
    mixed, y_a, y_b, lam = mixup_data(x, y, 1.0, generator=gen)
    assert isinstance(lam, float)
    assert torch.equal(y_a, y)
    perm = y_b  # labels are indices, so y_b is the permutation itself
    assert sorted(perm.tolist()) == list(range(16))
    torch.testing.assert_close(mixed, lam * x + (1 - lam) * x[perm])


def test_per_sample_lambda(gen):
    x, y = indexed_batch(32)
    mixed, _, y_b, lam = mixup_data(x, y, 0.4, per_sample=True, generator=gen)
    assert lam.shape == (32,)
    assert ((lam >= 0) & (lam <= 1)).all()
    assert lam.unique().numel() > 1
    w = lam.view(-1, 1, 1, 1)
    torch.testing.assert_close(mixed, w * x + (1 - w) * x[y_b])


def test_alpha_zero_returns_the_batch_unchanged(gen):
    x, y = indexed_batch(8)
    mixed, y_a, _, lam = mixup_data(x, y, 0.0, generator=gen)
    assert lam == 1.0
    assert torch.equal(mixed, x) and torch.equal(y_a, y)


def test_same_seed_same_tensors():
    x, y = torch.rand(10, 3), torch.randint(0, 3, (10,))
    a = mixup_data(x, y, 0.2, generator=torch.Generator().manual_seed(5))
    b = mixup_data(x, y, 0.2, generator=torch.Generator().manual_seed(5))
    for u, v in zip(a, b):
        assert torch.equal(torch.as_tensor(u), torch.as_tensor(v))


def test_soft_targets_are_accepted(gen):
    x, y = torch.rand(6, 2), torch.softmax(torch.rand(6, 3), 1)
    _, y_a, y_b, _ = mixup_data(x, y, 1.0, generator=gen)
    assert y_a.shape == y_b.shape == (6, 3)


@given(b=st.integers(1, 20), d=st.integers(1, 6), alpha=st.floats(0, 10), seed=st.integers(0, 10**6), per_sample=st.booleans())
def test_convex_and_never_in_place(b, d, alpha, seed, per_sample):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(b, d, generator=g)
    y = torch.arange(b)  # labels are indices, so y_b is the permutation
    x0, y0 = x.clone(), y.clone()
    mixed, _, perm, lam = mixup_data(x, y, alpha, per_sample=per_sample, generator=g)
    assert torch.equal(x, x0) and torch.equal(y, y0)
    lam_t = torch.as_tensor(lam)
    assert ((lam_t >= 0) & (lam_t <= 1)).all()
    # each mixed value lies on the segment between the two values it came from
    low, high = torch.minimum(x, x[perm]), torch.maximum(x, x[perm])
    assert torch.all(mixed >= low - 1e-6) and torch.all(mixed <= high + 1e-6)


@pytest.mark.parametrize(
    "x, y, error, match",
    [
        (torch.rand(4, 3), torch.arange(3), ValueError, "batch sizes differ"),
        (torch.rand(0, 3), torch.arange(0), ValueError, "empty batch"),
        (torch.rand(4, 3), torch.rand(4), TypeError, "class indices"),
        (torch.randint(0, 255, (4, 3), dtype=torch.uint8), torch.arange(4), TypeError, "floating-point"),
        ([[1.0]], torch.arange(1), TypeError, "torch.Tensor"),
        (torch.rand(4, 3), torch.zeros(4, 2, dtype=torch.long), ValueError, r"shape \(B,\)"),
    ],
)
def test_bad_input(x, y, error, match):
    with pytest.raises(error, match=match):
        mixup_data(x, y, 1.0)


def test_negative_alpha():
    with pytest.raises(ValueError, match="alpha"):
        mixup_data(torch.rand(2, 2), torch.arange(2), -0.5)


@pytest.mark.parametrize("per_sample", [False, True], ids=["one-lam", "per-sample-lam"])
def test_alpha_zero_never_blends_so_infinities_stay(per_sample):
    # at α = 0 nothing is blended: 0 · inf would turn a finite sample whose partner is inf into NaN
    x = torch.tensor([[1.0], [math.inf], [2.0], [-math.inf]], dtype=torch.float64)
    mixed, *_, lam = mixup_data(x, torch.arange(4), 0.0, per_sample=per_sample, generator=torch.Generator().manual_seed(0))
    assert torch.equal(mixed, x) and mixed.data_ptr() != x.data_ptr()
    if per_sample:  # λ = 1 for every sample, in x's dtype like any per-sample λ
        assert lam.dtype == torch.float64 and torch.equal(lam, torch.ones(4, dtype=torch.float64))
    else:
        assert lam == 1.0


@pytest.mark.parametrize("dtype", [torch.float64, torch.float16])
def test_a_per_sample_lambda_comes_in_the_inputs_dtype(dtype):
    x, y = torch.rand(6, 3).to(dtype), torch.arange(6)
    mixed, _, y_b, lam = mixup_data(x, y, 0.5, per_sample=True, generator=torch.Generator().manual_seed(0))
    assert lam.dtype == mixed.dtype == dtype and lam.shape == (6,)


def test_mix_with_one_lambda_per_sample():
    x, perm = torch.rand(4, 3, 5), torch.tensor([2, 0, 3, 1])
    lam = torch.tensor([0.0, 0.25, 0.5, 1.0], dtype=torch.float64)  # another dtype than x's: mixed in x's
    mixed = mix(x, perm, lam)
    assert mixed.dtype == torch.float32
    w = lam.float().view(4, 1, 1)
    torch.testing.assert_close(mixed, w * x + (1 - w) * x[perm])


@pytest.mark.parametrize("layout", ["contiguous", "channels_last", "transposed"])
@pytest.mark.parametrize("lam", [0.0, 0.3])
def test_mix_returns_the_blend_in_the_batchs_own_layout(layout, lam):
    x = torch.rand(5, 3, 4, 2)
    layouts = {"contiguous": x, "channels_last": x.to(memory_format=torch.channels_last), "transposed": x.mT}
    x = layouts[layout]
    perm = torch.tensor([3, 0, 4, 1, 2])
    mixed = mix(x, perm, lam)
    assert torch.equal(mixed, x[perm].lerp(x, lam))  # λ·x + (1 − λ)·x[perm], bit for bit as lerp computes it
    assert mixed.stride() == x[perm].stride()  # a channels_last batch stays channels_last


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_mix_takes_a_cpu_permutation_for_a_cuda_batch():
    x, perm = torch.rand(4, 3, device="cuda"), torch.tensor([2, 0, 3, 1])
    torch.testing.assert_close(mix(x, perm, 0.25), 0.25 * x + 0.75 * x[perm.cuda()])


def test_default_alpha_is_one():
    x, y = torch.rand(8, 3), torch.arange(8)
    default = mixup_data(x, y, generator=torch.Generator().manual_seed(0))
    one = mixup_data(x, y, 1.0, generator=torch.Generator().manual_seed(0))
    assert all(torch.equal(torch.as_tensor(a), torch.as_tensor(b)) for a, b in zip(default, one))
    assert MixUp(num_classes=3).alpha == 1.0


def test_mix_at_lambda_one_and_zero_is_exact():
    x = torch.tensor([[1.0], [math.inf], [2.0]])
    perm = torch.tensor([1, 2, 0])
    assert torch.equal(mix(x, perm, 1.0), x)
    assert torch.equal(mix(x, perm, np.float32(0.0)), x[perm])


@pytest.mark.parametrize("dtype", [torch.uint8, torch.int8, torch.int16, torch.int32])
def test_integer_label_dtypes_are_kept_and_permuted(dtype):
    x, y = torch.rand(6, 2), torch.tensor([5, 0, 1, 2, 3, 4])
    mixed, y_a, y_b, lam = mixup_data(x, y.to(dtype), 0.5, generator=torch.Generator().manual_seed(0))
    expected = mixup_data(x, y, 0.5, generator=torch.Generator().manual_seed(0))
    assert y_a.dtype == y_b.dtype == dtype
    assert torch.equal(mixed, expected[0]) and torch.equal(y_b.long(), expected[2]) and lam == expected[3]


# MixUp: the batch transform (images, labels) -> (mixed images, soft labels).


def test_contract_shapes_and_soft_labels(gen):
    images, labels = torch.rand(8, 1, 28, 28), torch.randint(0, 10, (8,))
    mixed, soft = MixUp(alpha=1.0, num_classes=10, generator=gen)(images, labels)
    assert mixed.shape == images.shape
    assert soft.shape == (8, 10) and soft.dtype == torch.float32
    torch.testing.assert_close(soft.sum(1), torch.ones(8))


def basis_batch(b):
    """Image i is the basis vector e_i (shape (1, 1, b)) and its label is i: a mix shows in both as the same row."""
    return torch.eye(b).reshape(b, 1, 1, b), torch.arange(b)


def assert_one_mix(mixed, soft, unmix):
    """``mixed`` and ``soft`` are the same blend of the basis batch: one λ and one permutation for images and labels."""
    lam, perm = unmix(soft)
    assert torch.equal(unmix(mixed)[1], perm)
    torch.testing.assert_close(mixed.flatten(1), soft.to(mixed.dtype), rtol=0, atol=1e-6)
    paired = perm != torch.arange(len(perm))
    assert paired.any(), "no sample was given a partner"
    torch.testing.assert_close(lam[paired], lam[paired][:1].expand(int(paired.sum())))  # one λ for the batch
    return lam[paired][0].item(), perm


@pytest.mark.parametrize("seed", range(5))
def test_images_and_labels_are_mixed_with_the_same_lambda_and_partners(seed, unmix):
    images, labels = basis_batch(8)
    mixed, soft = MixUp(alpha=1.0, num_classes=8, generator=torch.Generator().manual_seed(seed))(images, labels)
    assert_one_mix(mixed, soft, unmix)


def test_same_convention_as_torchvision(unmix):
    # Both weigh a sample's own label by the weight of its own image. Which partner torchvision picks is its
    # "implementation detail, not a guaranteed convention": only the convention is compared.
    images, labels = basis_batch(8)
    ours = MixUp(alpha=1.0, num_classes=8, generator=torch.Generator().manual_seed(0))
    with torch.random.fork_rng():
        torch.manual_seed(0)
        theirs = v2.MixUp(alpha=1.0, num_classes=8)
        for mixed, soft in [ours(images, labels), theirs(images, labels)]:
            assert mixed.shape == images.shape and soft.shape == (8, 8)
            assert_one_mix(mixed, soft, unmix)


@pytest.mark.parametrize("per_sample", [False, True], ids=["one-lam", "per-sample-lam"])
def test_mixup_data_targets_are_the_same_blend_as_the_inputs(per_sample, unmix):
    x, y = basis_batch(8)
    mixed, y_a, y_b, lam = mixup_data(x, y, 1.0, per_sample=per_sample, generator=torch.Generator().manual_seed(4))
    soft = mix_targets(y_a, y_b, lam, 8)
    own, perm = unmix(soft)
    assert torch.equal(y_b, perm) and torch.equal(unmix(mixed)[1], perm)
    torch.testing.assert_close(mixed.flatten(1), soft, rtol=0, atol=1e-6)
    paired = perm != torch.arange(8)
    assert paired.sum() >= 2
    torch.testing.assert_close(own[paired], torch.as_tensor(lam, dtype=torch.float64).expand(8)[paired])


def test_mixup_lambda_follows_beta_by_a_ks_test():
    images, labels = basis_batch(10)
    mixup = MixUp(alpha=0.5, num_classes=10, generator=torch.Generator().manual_seed(3))
    # soft[i, i] is sample i's own weight: λ with a partner, 1 without (the tests above check that form)
    lams = [mixup(images, labels)[1].diagonal().min().item() for _ in range(1500)]
    assert ks_distance(lams, BETA_CDF[0.5]) < ks_threshold(len(lams))


def test_inside_a_dataloader_collate():
    data = TensorDataset(torch.rand(20, 1, 4, 4), torch.randint(0, 5, (20,)))
    mixup = MixUp(alpha=1.0, num_classes=5, generator=torch.Generator().manual_seed(0))
    loader = DataLoader(data, batch_size=8, collate_fn=lambda batch: mixup(*default_collate(batch)))
    shapes = [(x.shape, t.shape) for x, t in loader]
    assert shapes == [((8, 1, 4, 4), (8, 5)), ((8, 1, 4, 4), (8, 5)), ((4, 1, 4, 4), (4, 5))]
    # without workers, .collate draws from the given generator exactly like a direct call
    images, labels = data.tensors[0][:8], data.tensors[1][:8]
    collate = MixUp(alpha=1.0, num_classes=5, generator=torch.Generator().manual_seed(0)).collate
    first = next(iter(DataLoader(data, batch_size=8, collate_fn=collate)))
    expected = MixUp(alpha=1.0, num_classes=5, generator=torch.Generator().manual_seed(0))(images, labels)
    assert all(torch.equal(a, b) for a, b in zip(first, expected))


def soft_labels_per_batch(loader, epochs):
    """Within each batch the labels are 0 .. 7 in order, so a batch's soft labels spell out its λ and partners."""
    return [soft for _ in range(epochs) for _, soft in loader]


@pytest.mark.parametrize("persistent_workers", [False, True], ids=["new-workers-each-epoch", "persistent-workers"])
def test_workers_mix_every_batch_afresh_and_reproducibly(persistent_workers):
    data = TensorDataset(torch.rand(32, 3), torch.arange(32) % 8)

    def run(seed):
        mixup = MixUp(alpha=1.0, num_classes=8, generator=torch.Generator().manual_seed(0))
        loader = DataLoader(data, batch_size=8, num_workers=2, collate_fn=mixup.collate,
                            persistent_workers=persistent_workers, generator=torch.Generator().manual_seed(seed))
        return soft_labels_per_batch(loader, epochs=3)

    first, again, other_seed = run(0), run(0), run(1)
    assert len(first) == 12
    assert len({tuple(soft.flatten().tolist()) for soft in first}) == 12  # 3 epochs x 4 batches, no repeat
    assert all(torch.equal(a, b) for a, b in zip(first, again))  # same seeds, same batches
    assert not all(torch.equal(a, b) for a, b in zip(first, other_seed))


def test_collate_pickles_for_spawned_workers():
    # Spawned workers receive the collate function pickled; a lambda cannot be, and a torch.Generator
    # pickled for a worker used to arrive as freed shared memory (the worker died). One worker, one epoch.
    data = TensorDataset(torch.rand(16, 3), torch.arange(16) % 8)
    mixup = MixUp(alpha=1.0, num_classes=8, generator=torch.Generator().manual_seed(0))
    loader = DataLoader(data, batch_size=8, num_workers=1, collate_fn=mixup.collate, multiprocessing_context="spawn",
                        generator=torch.Generator().manual_seed(0))
    batches = soft_labels_per_batch(loader, epochs=1)
    assert [soft.shape for soft in batches] == [(8, 8), (8, 8)]
    assert not torch.equal(batches[0], batches[1])


@pytest.mark.parametrize("dtype", [torch.uint8, torch.int8, torch.int16, torch.int32])
def test_every_integer_label_dtype_gives_the_same_soft_labels(dtype):
    images, labels = torch.rand(8, 3), torch.randint(0, 5, (8,), generator=torch.Generator().manual_seed(1))
    expected = MixUp(alpha=0.4, num_classes=5, generator=torch.Generator().manual_seed(2))(images, labels)
    got = MixUp(alpha=0.4, num_classes=5, generator=torch.Generator().manual_seed(2))(images, labels.to(dtype))
    assert all(torch.equal(a, b) for a, b in zip(got, expected))


def test_alpha_zero_leaves_infinite_images_as_they_are():
    images = torch.tensor([[1.0], [math.inf], [2.0], [-math.inf]])
    mixed, soft = MixUp(alpha=0.0, num_classes=4, generator=torch.Generator().manual_seed(0))(images, torch.arange(4))
    assert torch.equal(mixed, images) and torch.equal(soft, torch.eye(4))


def test_bad_construction_and_labels():
    with pytest.raises(TypeError, match="num_classes"):
        MixUp(alpha=1.0)
    with pytest.raises(ValueError, match="alpha"):
        MixUp(alpha=-1, num_classes=3)
    with pytest.raises(ValueError, match="num_classes must be an integer >= 1"):
        MixUp(num_classes=0)
    mixup = MixUp(num_classes=3)
    with pytest.raises(ValueError, match="outside"):
        mixup(torch.rand(2, 2), torch.tensor([0, 3]))
    with pytest.raises(TypeError, match="integer class indices"):
        mixup(torch.rand(2, 2), torch.tensor([0.0, 1.0]))
    with pytest.raises(ValueError, match="batch sizes differ"):
        mixup(torch.rand(3, 2), torch.tensor([0, 1]))


@pytest.mark.parametrize("dtype", [torch.float64, torch.float16])
def test_soft_labels_come_in_the_images_dtype(dtype):
    images, labels = torch.rand(4, 3).to(dtype), torch.tensor([0, 1, 2, 0])
    mixed, soft = MixUp(num_classes=3, generator=torch.Generator().manual_seed(0))(images, labels)
    assert mixed.dtype == soft.dtype == dtype


class FakeWorker:
    """What get_worker_info() returns inside a DataLoader worker, reduced to what MixUp reads: the worker's seed."""

    def __init__(self, seed):
        self.seed = seed


@pytest.fixture
def in_worker(monkeypatch):
    """``in_worker(seed)`` makes MixUp believe it runs in a DataLoader worker with that seed (None: in the main
    process). Real workers are other processes, where neither coverage nor mutation testing can follow."""

    def enter(seed):
        monkeypatch.setattr("mixup_edu.mixup.get_worker_info", lambda: None if seed is None else FakeWorker(seed))

    return enter


def draws(mixup, n=3):
    """The soft labels of n batches of the basis batch: each spells out that batch's λ and partners."""
    images, labels = basis_batch(6)
    return [mixup(images, labels)[1] for _ in range(n)]


def same(a, b):
    return all(torch.equal(u, v) for u, v in zip(a, b))


def test_in_a_worker_every_batch_is_mixed_afresh_and_reproducibly(in_worker):
    def worker_copy(generator_seed=0):
        return pickle.loads(pickle.dumps(MixUp(num_classes=6, generator=torch.Generator().manual_seed(generator_seed))))

    in_worker(None)
    main = draws(worker_copy())
    in_worker(11)
    first = draws(worker_copy())
    assert len({tuple(soft.flatten().tolist()) for soft in first}) == 3  # batches differ within the worker
    assert same(first, draws(worker_copy()))  # the same seeds give the same batches
    assert not same(first, main)  # a worker does not repeat the main process's draws...
    in_worker(12)
    assert not same(first, draws(worker_copy()))  # ...nor another worker's (or another epoch's) draws
    in_worker(11)
    assert not same(first, draws(worker_copy(generator_seed=1)))  # and MixUp's own generator counts too


def test_a_worker_keeps_its_generator_until_its_seed_changes(in_worker):
    mixup = MixUp(num_classes=6, generator=torch.Generator().manual_seed(0))
    copy = pickle.loads(pickle.dumps(mixup))
    in_worker(11)
    first = draws(mixup, 2)
    in_worker(12)  # a new epoch's worker: a new generator, seeded from MixUp's generator, moved on since
    second = draws(mixup, 2)
    in_worker(11)
    assert same(draws(copy, 2), first)
    assert not same(draws(copy, 2), second)  # the copy's generator had not moved on: it draws another seed


def test_a_worker_without_a_generator_draws_from_its_global_rng(in_worker):
    in_worker(11)
    mixup = MixUp(num_classes=6)
    with torch.random.fork_rng():
        torch.manual_seed(5)
        first = draws(mixup)
        torch.manual_seed(5)
        assert same(draws(mixup), first)


def test_a_pickled_copy_starts_without_the_workers_generator(in_worker):
    mixup = MixUp(num_classes=6, generator=torch.Generator().manual_seed(0))
    in_worker(11)
    draws(mixup)  # mixup now holds worker 11's generator, moved on by three batches
    copy = pickle.loads(pickle.dumps(mixup))
    same_state = torch.Generator().set_state(mixup.generator.get_state())
    # the copy makes worker 11's generator anew from its own generator, like a MixUp that never ran in a worker
    assert same(draws(copy), draws(MixUp(num_classes=6, generator=same_state)))


def test_pickled_copy_draws_the_same_numbers():
    mixup = MixUp(alpha=0.4, num_classes=3, generator=torch.Generator().manual_seed(5))
    copy = pickle.loads(pickle.dumps(mixup))
    images, labels = torch.rand(6, 2), torch.tensor([0, 1, 2, 0, 1, 2])
    assert all(torch.equal(a, b) for a, b in zip(copy(images, labels), mixup(images, labels)))
