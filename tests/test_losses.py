import math
import warnings

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given
from hypothesis import strategies as st
from torch import nn

import mixup_edu as me
from mixup_edu import manifold_mixup_loss, mix_targets, mixed_batch_loss, one_hot, mixup_criterion, soft_cross_entropy
from mixup_edu import losses as mixup_losses
from mixup_edu.losses import mixup_ablation_loss, same_class_partners
from mixup_edu.manifold import network_layers, run_layers


@given(b=st.integers(1, 12), c=st.integers(2, 8), seed=st.integers(0, 10**6))
def test_soft_cross_entropy_equals_torch(b, c, seed):
    g = torch.Generator().manual_seed(seed)
    logits = torch.randn(b, c, generator=g) * 3
    targets = torch.softmax(torch.randn(b, c, generator=g), 1)
    torch.testing.assert_close(soft_cross_entropy(logits, targets), F.cross_entropy(logits, targets))


@pytest.mark.parametrize(
    "logits, targets, error, match",
    [
        (torch.randn(4, 3), torch.rand(4, 2), ValueError, "shape"),
        (torch.randn(4, 3), torch.rand(3, 3), ValueError, "shape"),
        (torch.randn(4, 3), torch.tensor([0, 1, 2, 0]), TypeError, "float probabilities"),
        (torch.randn(4), torch.rand(4), ValueError, r"\(B, C\)"),
        (torch.randn(0, 3), torch.rand(0, 3), ValueError, "empty"),
    ],
)
def test_soft_cross_entropy_bad_input(logits, targets, error, match):
    with pytest.raises(error, match=match):
        soft_cross_entropy(logits, targets)


@given(b=st.integers(1, 12), c=st.integers(2, 8), lam=st.floats(0, 1), seed=st.integers(0, 10**6))
def test_two_loss_forms_agree(b, c, lam, seed):
    g = torch.Generator().manual_seed(seed)
    logits = torch.randn(b, c, generator=g)
    y_a, y_b = torch.randint(0, c, (b,), generator=g), torch.randint(0, c, (b,), generator=g)
    two_term = mixup_criterion(nn.CrossEntropyLoss(), logits, y_a, y_b, lam)
    soft = soft_cross_entropy(logits, mix_targets(y_a, y_b, lam, c))
    torch.testing.assert_close(two_term, soft)


def test_two_loss_forms_agree_per_sample(gen):
    logits = torch.randn(9, 4, generator=gen)
    y_a, y_b = torch.randint(0, 4, (9,), generator=gen), torch.randint(0, 4, (9,), generator=gen)
    lam = torch.rand(9, generator=gen)
    per_sample = mixup_criterion(nn.CrossEntropyLoss(reduction="none"), logits, y_a, y_b, lam)
    assert per_sample.shape == (9,)
    torch.testing.assert_close(per_sample.mean(), soft_cross_entropy(logits, mix_targets(y_a, y_b, lam, 4)))


def _with_grad(loss_of, logits):
    """The loss of a fresh leaf copy of ``logits``, and the gradient it gives them."""
    leaf = logits.clone().requires_grad_()
    loss = loss_of(leaf)
    loss.backward()
    return loss.detach(), leaf.grad


@given(b=st.integers(1, 12), c=st.integers(2, 8), lam=st.floats(0, 1), epsilon=st.sampled_from([0.0, 0.1, 1.0]),
       seed=st.integers(0, 10**6))
def test_mixup_cross_entropy_is_the_two_term_loss_value_and_gradient(b, c, lam, epsilon, seed):
    g = torch.Generator().manual_seed(seed)
    logits = torch.randn(b, c, generator=g) * 3
    y_a, y_b = torch.randint(0, c, (b,), generator=g), torch.randint(0, c, (b,), generator=g)
    two_term = _with_grad(lambda z: mixup_criterion(smoothed(epsilon), z, y_a, y_b, lam).mean(), logits)
    one_softmax = _with_grad(lambda z: me.mixup_cross_entropy(z, y_a, y_b, lam, label_smoothing=epsilon), logits)
    torch.testing.assert_close(one_softmax, two_term)


@pytest.mark.parametrize("targets", ["indices", "probabilities"])
@pytest.mark.parametrize("epsilon", [0.0, 0.2])
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_mixup_cross_entropy_per_sample_and_with_probability_targets(gen, targets, epsilon, dtype):
    logits = torch.randn(9, 4, generator=gen, dtype=dtype) * 2
    y_a, y_b = torch.randint(0, 4, (9,), generator=gen), torch.randint(0, 4, (9,), generator=gen)
    if targets == "probabilities":
        y_a, y_b = torch.softmax(torch.randn(9, 4, generator=gen, dtype=dtype), 1), one_hot(y_b, 4, dtype=dtype)
    lam = torch.rand(9, generator=gen)  # float32 even for float64 logits
    two_term = _with_grad(lambda z: mixup_criterion(smoothed(epsilon), z, y_a, y_b, lam).mean(), logits)
    one_softmax = _with_grad(lambda z: me.mixup_cross_entropy(z, y_a, y_b, lam, label_smoothing=epsilon), logits)
    assert one_softmax[0].dtype == dtype
    torch.testing.assert_close(one_softmax, two_term)


def test_mixup_cross_entropy_at_lam_one_or_zero_is_cross_entropy_with_one_label_exactly(gen):
    logits = torch.randn(8, 5, generator=gen)
    y_a, y_b = torch.randint(0, 5, (8,), generator=gen), torch.randint(0, 5, (8,), generator=gen)
    assert torch.equal(me.mixup_cross_entropy(logits, y_a, y_b, 1.0), F.cross_entropy(logits, y_a))
    assert torch.equal(me.mixup_cross_entropy(logits, y_a, y_b, 0.0), F.cross_entropy(logits, y_b))
    per_sample = torch.tensor([1.0, 0.0] * 4)
    expected = torch.where(per_sample == 1, F.cross_entropy(logits, y_a, reduction="none"),
                           F.cross_entropy(logits, y_b, reduction="none")).mean()
    torch.testing.assert_close(me.mixup_cross_entropy(logits, y_a, y_b, per_sample), expected, rtol=0, atol=1e-7)


def test_mixup_cross_entropy_with_a_minus_inf_logit_and_no_smoothing_stays_finite():
    # A class the model rules out entirely (logit −inf) costs nothing unless it is a label, as in F.cross_entropy;
    # the smoothing term, −ε·mean(log p), would be 0·(−inf) = NaN if it were added at ε = 0.
    logits = torch.tensor([[0.0, -float("inf"), 1.0], [2.0, -float("inf"), 0.5]])
    y_a, y_b = torch.tensor([0, 2]), torch.tensor([2, 0])
    expected = 0.25 * F.cross_entropy(logits, y_a) + 0.75 * F.cross_entropy(logits, y_b)
    torch.testing.assert_close(me.mixup_cross_entropy(logits, y_a, y_b, 0.25), expected)


def test_mixup_cross_entropy_at_lam_one_or_zero_ignores_an_infinite_loss_on_the_other_label():
    # The label with weight 0 is one the model rules out (logit −inf): 0·inf must not turn the loss into NaN.
    logits = torch.tensor([[0.0, -float("inf"), 1.0], [2.0, 0.5, -float("inf")]])
    finite, ruled_out = torch.tensor([0, 1]), torch.tensor([1, 2])
    assert torch.equal(me.mixup_cross_entropy(logits, finite, ruled_out, 1.0), F.cross_entropy(logits, finite))
    assert torch.equal(me.mixup_cross_entropy(logits, ruled_out, finite, 0.0), F.cross_entropy(logits, finite))
    assert me.mixup_cross_entropy(logits, ruled_out, finite, 1.0).item() == math.inf


@pytest.mark.parametrize("dtype", [torch.bfloat16, torch.float16])
def test_mixup_cross_entropy_under_cpu_autocast_takes_the_softmax_in_float32_as_cross_entropy_does(gen, dtype):
    layer = torch.nn.Linear(6, 10)
    x, y_a, y_b = torch.randn(16, 6, generator=gen), torch.randint(0, 10, (16,), generator=gen), torch.arange(16) % 10
    with torch.autocast("cpu", dtype=dtype), warnings.catch_warnings():
        warnings.simplefilter("error")  # an implicit softmax dimension would warn
        logits = layer(x)
        assert logits.dtype == dtype
        expected = 0.3 * F.cross_entropy(logits, y_a) + 0.7 * F.cross_entropy(logits, y_b)
        loss = me.mixup_cross_entropy(logits, y_a, y_b, 0.3)
        at_one = me.mixup_cross_entropy(logits, y_a, y_b, 1.0, label_smoothing=0.1)
        reference = F.cross_entropy(logits, y_a, label_smoothing=0.1)
    assert loss.dtype == torch.float32
    torch.testing.assert_close(loss, expected, rtol=1e-6, atol=1e-6)
    torch.testing.assert_close(at_one, reference, rtol=1e-6, atol=1e-6)
    # outside autocast, low-precision logits keep their dtype, as in F.cross_entropy
    low = logits.detach()
    assert me.mixup_cross_entropy(low, y_a, y_b, 0.3).dtype == F.cross_entropy(low, y_a).dtype == dtype


@pytest.mark.filterwarnings("ignore:torch.is_autocast_cpu_enabled:DeprecationWarning")  # the old API, on purpose
def test_the_autocast_check_works_on_torch_before_2_4_and_on_the_meta_device(monkeypatch):
    from mixup_edu.losses import _autocast_on

    with torch.autocast("cpu", dtype=torch.bfloat16):
        assert _autocast_on("cpu") and not _autocast_on("meta")
        logits = torch.randn(4, 3, dtype=torch.bfloat16, device="meta")
        y = torch.zeros(4, dtype=torch.long, device="meta")
        assert mixup_losses._mixup_cross_entropy(logits, y, y, 0.5).device.type == "meta"
        # torch 2.2 and 2.3: is_autocast_enabled() takes no argument and answers for CUDA
        monkeypatch.setattr(torch, "is_autocast_enabled", lambda: False)
        assert _autocast_on("cpu") is True
        assert _autocast_on("cuda") is False
    assert _autocast_on("cpu") is False


def test_mixup_cross_entropy_warns_about_nothing(gen):
    logits, y_a, y_b = torch.randn(5, 3, generator=gen), torch.tensor([0, 1, 2, 0, 1]), torch.tensor([2, 2, 1, 0, 0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        me.mixup_cross_entropy(logits, y_a, y_b, 0.3, label_smoothing=0.1)
        me.mixup_cross_entropy(logits, y_a, y_b, torch.rand(5, generator=gen))


def test_mixup_cross_entropy_leaves_its_inputs_alone(gen):
    logits, lam = torch.randn(6, 3, generator=gen), torch.rand(6, generator=gen)
    y_a, y_b = torch.tensor([0, 1, 2, 0, 1, 2]), torch.zeros(6, dtype=torch.int32)
    copies = [t.clone() for t in (logits, y_a, y_b, lam)]
    me.mixup_cross_entropy(logits, y_a, y_b, lam, label_smoothing=0.1)
    assert all(torch.equal(t, c) and t.dtype == c.dtype for t, c in zip((logits, y_a, y_b, lam), copies))


def test_a_custom_mixers_output_is_checked_at_every_batch(cnn_batch):
    model, x, y = cnn_batch

    def extrapolating_mixer(x, y, alpha, *, generator):
        mixed, y_a, y_b, lam = me.mixup_data(x, y, alpha, generator=generator)
        return mixed, y_a, y_b, 1.5  # λ outside [0, 1] would extrapolate the labels

    with pytest.raises(ValueError, match="lam"):
        mixed_batch_loss(1.0, mixer=extrapolating_mixer)(model, x, y, _seeded())


@pytest.mark.parametrize("make", [lambda: mixed_batch_loss(1.0), lambda: mixed_batch_loss(1.0, per_sample=True),
                                  lambda: mixed_batch_loss(1.0, mixer=me.cutmix_data), lambda: manifold_mixup_loss(1.0)],
                         ids=["mixup", "per-sample", "cutmix", "manifold"])
def test_probability_labels_of_the_wrong_width_are_refused_not_broadcast(cnn_batch, make):
    model, x, y = cnn_batch
    column = torch.rand(len(y), 1)  # (B, 1) would broadcast against (B, C) log-probabilities
    with pytest.raises(ValueError, match=r"probability rows of shape \(\d+, 1\)"):
        make()(model, x, column, _seeded())


@pytest.mark.parametrize("which", ["y_a", "y_b"])
def test_probability_rows_of_the_wrong_width_are_named_in_the_error(which):
    logits, good, bad = torch.randn(4, 3), torch.full((4, 3), 1 / 3), torch.rand(4, 1)
    labels = {"y_a": good, "y_b": good, which: bad}
    with pytest.raises(ValueError, match=rf"^{which} holds probability rows of shape \(4, 1\)"):
        me.mixup_cross_entropy(logits, labels["y_a"], labels["y_b"], 0.5)


def test_the_package_mixers_skip_the_loss_checks_that_another_mixer_needs(cnn_batch, monkeypatch):
    model, x, y = cnn_batch
    checked = []
    real = me.losses.mixup_cross_entropy
    monkeypatch.setattr(me.losses, "mixup_cross_entropy", lambda *a, **k: checked.append(1) or real(*a, **k))
    for mixer in (me.mixup_data, me.cutmix_data):
        mixed_batch_loss(1.0, mixer=mixer)(model, x, y, _seeded())
    assert checked == []  # the fast path: their outputs are checked already
    mixed_batch_loss(1.0, mixer=Recorded(me.mixup_data))(model, x, y, _seeded())
    assert checked == [1]  # any other mixer's output is checked


def test_soft_cross_entropy_warns_about_nothing():
    logits, targets = torch.randn(4, 3), torch.softmax(torch.randn(4, 3), 1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        soft_cross_entropy(logits, targets)


def test_per_sample_loss_comes_in_the_losses_dtype(gen):
    logits, y_a, y_b = torch.randn(3, 4, generator=gen), torch.tensor([0, 1, 2]), torch.tensor([3, 3, 0])
    lam = torch.tensor([0.2, 0.5, 1.0], dtype=torch.float64)
    loss = mixup_criterion(nn.CrossEntropyLoss(reduction="none"), logits, y_a, y_b, lam)
    assert loss.dtype == torch.float32
    expected = [lam[i].item() * F.cross_entropy(logits[i : i + 1], y_a[i : i + 1])
                + (1 - lam[i].item()) * F.cross_entropy(logits[i : i + 1], y_b[i : i + 1]) for i in range(3)]
    torch.testing.assert_close(loss, torch.stack(expected))


def test_probability_targets_reach_the_criterion_as_they_are(gen):
    logits = torch.randn(5, 3, generator=gen)
    p_a, p_b = torch.softmax(torch.randn(5, 3, generator=gen), 1), torch.softmax(torch.randn(5, 3, generator=gen), 1)
    loss = mixup_criterion(F.cross_entropy, logits, p_a, p_b, 0.3)
    torch.testing.assert_close(loss, 0.3 * F.cross_entropy(logits, p_a) + 0.7 * F.cross_entropy(logits, p_b))


def test_per_sample_lam_with_a_mean_criterion_is_refused(gen):
    logits = torch.randn(5, 3, generator=gen)
    y = torch.randint(0, 3, (5,), generator=gen)
    with pytest.raises(ValueError, match="reduction='none'"):
        mixup_criterion(nn.CrossEntropyLoss(), logits, y, y, torch.rand(5))


def test_criterion_batch_mismatch():
    with pytest.raises(ValueError, match="batch sizes differ"):
        mixup_criterion(nn.CrossEntropyLoss(), torch.randn(4, 3), torch.arange(3), torch.arange(4) % 3, 0.5)


@pytest.mark.parametrize("dtype", [torch.uint8, torch.int8, torch.int16, torch.int32])
def test_every_integer_label_dtype_works(dtype):
    y_a, y_b = torch.tensor([2, 0, 1]), torch.tensor([1, 1, 0])
    assert torch.equal(one_hot(y_a.to(dtype), 3), one_hot(y_a, 3))
    assert torch.equal(mix_targets(y_a.to(dtype), y_b.to(dtype), 0.3, 3), mix_targets(y_a, y_b, 0.3, 3))
    logits = torch.randn(3, 3, generator=torch.Generator().manual_seed(0))
    loss = mixup_criterion(nn.CrossEntropyLoss(), logits, y_a.to(dtype), y_b.to(dtype), 0.3)
    torch.testing.assert_close(loss, mixup_criterion(nn.CrossEntropyLoss(), logits, y_a, y_b, 0.3))


@pytest.mark.parametrize(
    "lam", [np.float32(0.25), np.float64(0.25), torch.tensor(0.25)], ids=["np.float32", "np.float64", "0-dim-tensor"]
)
def test_lam_of_any_real_kind(lam):
    y_a, y_b = torch.tensor([0, 1]), torch.tensor([1, 0])
    assert torch.equal(mix_targets(y_a, y_b, lam, 2), mix_targets(y_a, y_b, 0.25, 2))
    logits = torch.randn(2, 2, generator=torch.Generator().manual_seed(0))
    torch.testing.assert_close(mixup_criterion(F.cross_entropy, logits, y_a, y_b, lam),
                               mixup_criterion(F.cross_entropy, logits, y_a, y_b, 0.25))


def _seeded():
    return torch.Generator().manual_seed(0)


@pytest.fixture
def cnn_batch():
    return me.SmallCNN(seed=0), torch.rand(8, 1, 28, 28, generator=_seeded()), torch.randint(0, 10, (8,), generator=_seeded())


def test_erm_loss_is_plain_cross_entropy(cnn_batch):
    model, x, y = cnn_batch
    torch.testing.assert_close(mixed_batch_loss(0.0)(model, x, y, _seeded()), F.cross_entropy(model(x), y))


class Recorded:
    """A mixer that mixes with ``mixer`` and keeps each call: what it was asked, and the batch it returned."""

    def __init__(self, mixer=me.mixup_data):
        self.mixer, self.calls = mixer, []

    def __call__(self, x, y, alpha, **options):
        out = self.mixer(x, y, alpha, **options)
        self.calls.append({"x": x, "alpha": alpha, **options, "out": out})
        return out


def smoothed(epsilon):
    return lambda p, t: F.cross_entropy(p, t, reduction="none", label_smoothing=epsilon)


def test_label_smoothing_reaches_erm(cnn_batch):
    model, x, y = cnn_batch
    loss = mixed_batch_loss(0.0, label_smoothing=0.3)(model, x, y, _seeded())
    torch.testing.assert_close(loss, F.cross_entropy(model(x), y, label_smoothing=0.3))
    assert not torch.allclose(loss, F.cross_entropy(model(x), y))


@pytest.mark.parametrize("mixer", [me.mixup_data, me.cutmix_data], ids=["mixup", "cutmix"])
@pytest.mark.parametrize("epsilon", [0.0, 0.3], ids=["no-smoothing", "smoothing"])
def test_a_mixer_mixes_the_batch_and_both_labels_are_weighed(cnn_batch, mixer, epsilon):
    model, x, y = cnn_batch
    recorded = Recorded(mixer)
    loss = mixed_batch_loss(0.7, mixer=recorded, label_smoothing=epsilon)(model, x, y, _seeded())
    [call] = recorded.calls
    assert call["x"] is x and call["alpha"] == 0.7 and isinstance(call["generator"], torch.Generator)
    mixed, y_a, y_b, lam = call["out"]
    assert 0 < lam < 1 and not torch.equal(y_a, y_b)
    torch.testing.assert_close(loss, mixup_criterion(smoothed(epsilon), model(mixed), y_a, y_b, lam).mean())
    if epsilon:  # the smoothing is really there: without it the same mix gives another loss
        assert not torch.allclose(loss, mixup_criterion(F.cross_entropy, model(mixed), y_a, y_b, lam))


def test_the_default_mixer_is_mixup(cnn_batch):
    model, x, y = cnn_batch
    default = mixed_batch_loss(1.0)(model, x, y, _seeded())
    torch.testing.assert_close(default, mixed_batch_loss(1.0, mixer=me.mixup_data)(model, x, y, _seeded()))
    assert not torch.allclose(default, mixed_batch_loss(1.0, mixer=me.cutmix_data)(model, x, y, _seeded()))


def test_per_sample_draws_one_lam_per_sample(cnn_batch):
    model, x, y = cnn_batch
    recorded = Recorded()
    loss = mixed_batch_loss(1.0, mixer=recorded, per_sample=True)(model, x, y, _seeded())
    [call] = recorded.calls
    assert call["per_sample"] is True
    mixed, y_a, y_b, lam = call["out"]
    assert lam.shape == (8,) and len(set(lam.tolist())) == 8
    torch.testing.assert_close(loss, mixup_criterion(smoothed(0.0), model(mixed), y_a, y_b, lam).mean())
    one_lam = Recorded()
    mixed_batch_loss(1.0, mixer=one_lam)(model, x, y, _seeded())
    assert "per_sample" not in one_lam.calls[0]  # a mixer without per-sample λ is never asked for one


def test_per_sample_with_cutmix_is_refused_when_built():
    with pytest.raises(ValueError, match="per_sample=True needs a mixer"):
        mixed_batch_loss(1.0, mixer=me.cutmix_data, per_sample=True)


@pytest.mark.parametrize(
    "make, name",
    [(lambda: mixed_batch_loss(0.0), "ERM"), (lambda: mixed_batch_loss(0.4), "mixup α=0.4"),
     (lambda: mixed_batch_loss(1.0, mixer=me.cutmix_data), "cutmix α=1"),
     (lambda: mixed_batch_loss(1.0, per_sample=True, label_smoothing=0.1),
      "mixup α=1, per-sample λ, label smoothing 0.1"),
     (lambda: mixed_batch_loss(0.5, mixer=Recorded()), "mixer α=0.5"),  # a mixer without a __name__
     (lambda: manifold_mixup_loss(2.0), "Manifold Mixup α=2")],
)
def test_a_batch_loss_is_named_for_what_it_trains(make, name):
    assert make().__name__ == name  # built in the test, not when it is collected


class Seen(nn.Identity):
    """A layer that passes its input on and keeps it."""

    def forward(self, h):
        self.input = h
        return h


def index_network(b):
    """A network whose input e_i (a basis vector) is 1.5·e_i again after its first ReLU, so that a mix of the
    hidden layer shows its λ and partners; ``Seen`` layers keep what the inputs and that hidden layer were.

    Its split points are 0 and 3. Mixing the inputs instead gives ReLU(2·x̃ − 0.5) there, not 1.5·x̃."""
    first, last = nn.Linear(b, b), nn.Linear(b, b)
    with torch.no_grad():
        first.weight.copy_(2 * torch.eye(b))
        first.bias.fill_(-0.5)
        last.weight.copy_(torch.randn(b, b, generator=_seeded()))
    return nn.Sequential(Seen(), first, nn.ReLU(), Seen(), last)


@pytest.mark.parametrize("k", [0, 3])
def test_manifold_mixup_at_a_point_mixes_that_layer_and_weighs_both_labels(k, unmix):
    model, x, y = index_network(8), torch.eye(8), torch.arange(8)
    inputs, hidden, last = model[0], model[3], model[4]
    loss = manifold_mixup_loss(1.0, points=[k])(model, x, y, _seeded())
    assert me.split_points(model) == [0, 3]
    if k == 0:
        lam, perm = unmix(inputs.input)
    else:
        assert torch.equal(inputs.input, x)  # the layers before the split see the batch unmixed
        lam, perm = unmix(hidden.input / 1.5)
    paired = perm != torch.arange(8)
    assert paired.sum() >= 2
    lam = lam[paired][0].item()
    expected = mixup_criterion(F.cross_entropy, last(hidden.input), y, y[perm], lam)
    torch.testing.assert_close(loss, expected)


@pytest.mark.parametrize("model", [me.MLP(depth=3, seed=0), me.SmallCNN(widths=(2, 4), hidden=8, seed=0)],
                         ids=["MLP", "SmallCNN"])
def test_manifold_mixup_draws_its_split_point_from_all_of_them(model):
    """At split point k the layers before k see the batch as it is, and layer k a blend of it: a permutation
    of one batch mixed with one λ keeps its sum. Over many batches, every split point is drawn."""
    x = torch.rand(6, 2, generator=_seeded()) if isinstance(model, me.MLP) else torch.rand(6, 1, 28, 28)
    y = torch.tensor([0, 1, 0, 1, 1, 0])
    layers = network_layers(model)
    clean = [run_layers(layers[:i], x) for i in range(len(layers))]
    seen = {}
    for i, layer in enumerate(layers):
        layer.register_forward_pre_hook(lambda module, args, i=i: seen.__setitem__(i, args[0]))
    loss, generator, drawn = manifold_mixup_loss(1.0), _seeded(), set()
    for _ in range(20):
        loss(model, x, y, generator)
        k = next(i for i in range(len(layers)) if not torch.equal(seen[i], clean[i]))
        torch.testing.assert_close(seen[k].sum(0), clean[k].sum(0))
        drawn.add(k)
    assert drawn == set(me.split_points(model))


def test_manifold_mixup_at_alpha_zero_is_erm():
    model, x, y = me.MLP(seed=0), torch.rand(8, 2, generator=_seeded()), torch.arange(8) % 2
    loss = manifold_mixup_loss(0.0)(model, x, y, _seeded())
    torch.testing.assert_close(loss, F.cross_entropy(model(x), y))


def test_manifold_mixup_draws_its_split_point_from_the_generator_alone():
    model, x, y = me.MLP(depth=3, seed=0), torch.rand(8, 2, generator=_seeded()), torch.arange(8) % 2
    losses = []
    with torch.random.fork_rng():
        for global_seed in range(6):  # the global RNG changes, the generator does not
            torch.manual_seed(global_seed)
            losses.append(manifold_mixup_loss(1.0)(model, x, y, _seeded()).item())
    assert len(set(losses)) == 1


def test_manifold_mixup_may_split_after_the_last_layer():
    # k = L mixes the logits themselves: h_L is the whole network and g_L nothing
    model, x, y = me.MLP(seed=0), torch.rand(8, 2, generator=_seeded()), torch.arange(8) % 2
    last = len(network_layers(model))
    loss = manifold_mixup_loss(1.0, points=[last])(model, x, y, _seeded())
    assert torch.isfinite(loss)


def test_manifold_mixup_trains_a_smallcnn():
    x, y = torch.rand(32, 1, 28, 28, generator=_seeded()), torch.randint(0, 10, (32,), generator=_seeded())

    def train(**loss):
        model = me.SmallCNN(widths=(2, 4), hidden=16, seed=0)
        before = [p.detach().clone() for p in model.parameters()]
        history = me.fit(model, (x, y), None, epochs=1, batch_size=16, lr=0.01, device="cpu", progress=False, **loss)
        assert all(not torch.equal(a, b) for a, b in zip(before, model.parameters()))
        return history[0]["train_loss"]

    manifold = train(loss=manifold_mixup_loss(1.0))
    assert np.isfinite(manifold) and manifold != train()  # it trained on mixed hidden layers, not on plain ERM


def test_same_class_partners_shuffle_within_each_class_only():
    y = torch.tensor([3, 1, 3, 3, 0, 1, 2, 3])  # class 2 and class 0 have one image each
    for seed in range(50):
        perm = same_class_partners(y, torch.Generator().manual_seed(seed))
        assert sorted(perm.tolist()) == list(range(len(y))), "not a permutation"
        assert torch.equal(y[perm], y), "a partner of another class"
        assert perm[4] == 4 and perm[6] == 6, "an image alone in its class must be its own partner"
    assert torch.equal(same_class_partners(y, _seeded()), same_class_partners(y, _seeded())), "not reproducible"


def test_same_class_partners_are_uniform_within_a_class():
    y = torch.tensor([5, 5, 5, 2, 2])
    g = _seeded()
    counts: dict[tuple[int, ...], int] = {}
    for _ in range(6000):
        key = tuple(same_class_partners(y, g)[:3].tolist())
        counts[key] = counts.get(key, 0) + 1
    assert len(counts) == 6, f"the 3 images of class 5 should be shuffled all 6 ways, got {sorted(counts)}"
    assert all(800 < n < 1200 for n in counts.values()), counts  # 1000 each expected, with a standard deviation of 29


def test_same_class_partners_refuse_a_batch_of_soft_labels():
    with pytest.raises(ValueError, match="one class index per sample"):
        same_class_partners(torch.rand(4, 3))


def test_the_ablation_loss_with_nothing_taken_away_is_mixup(cnn_batch):
    model, x, y = cnn_batch
    for seed in range(5):
        g1, g2 = torch.Generator().manual_seed(seed), torch.Generator().manual_seed(seed)
        torch.testing.assert_close(mixup_ablation_loss(1.0)(model, x, y, g1), mixed_batch_loss(1.0)(model, x, y, g2))
    torch.testing.assert_close(mixup_ablation_loss(0.0, same_class=True)(model, x, y, _seeded()),
                               F.cross_entropy(model(x), y))


def test_same_class_ablation_mixes_images_of_one_class_against_their_label(cnn_batch):
    model, x, _ = cnn_batch
    y = torch.tensor([0, 1, 0, 1, 0, 1, 2, 2])
    loss = mixup_ablation_loss(1.0, same_class=True)(model, x, y, _seeded())
    g = _seeded()
    lam = me.sample_lambda(1.0, g)
    perm = same_class_partners(y, g)
    torch.testing.assert_close(loss, F.cross_entropy(model(lam * x + (1 - lam) * x[perm]), y))


def test_inputs_only_ablation_keeps_the_label_of_the_larger_weight(cnn_batch):
    model, x, y = cnn_batch
    branches = set()
    for seed in range(20):
        loss = mixup_ablation_loss(1.0, mix_labels=False)(model, x, y, torch.Generator().manual_seed(seed))
        g = torch.Generator().manual_seed(seed)
        lam = me.sample_lambda(1.0, g)
        perm = torch.randperm(len(x), generator=g)
        target = y if lam >= 0.5 else y[perm]
        branches.add(lam >= 0.5)
        torch.testing.assert_close(loss, F.cross_entropy(model(lam * x + (1 - lam) * x[perm]), target))
    assert branches == {True, False}, "the test should see λ on both sides of 0.5"


@pytest.mark.parametrize(
    "loss, name",
    [(mixup_ablation_loss(0.0, mix_labels=False), "ERM"),
     (mixup_ablation_loss(1.0, same_class=True), "mixup α=1, same-class pairs"),
     (mixup_ablation_loss(0.4, mix_labels=False), "mixup α=0.4, inputs only")],
)
def test_an_ablation_loss_is_named_for_what_it_trains(loss, name):
    assert loss.__name__ == name


def test_the_ablation_losses_train_a_smallcnn_with_fit():
    x, y = torch.rand(32, 1, 28, 28, generator=_seeded()), torch.randint(0, 3, (32,), generator=_seeded())
    for loss in (mixup_ablation_loss(1.0, same_class=True), mixup_ablation_loss(1.0, mix_labels=False)):
        model = me.SmallCNN(widths=(2, 4), hidden=16, seed=0)
        before = [p.detach().clone() for p in model.parameters()]
        history = me.fit(model, (x, y), None, epochs=1, batch_size=16, lr=0.01, device="cpu", progress=False, loss=loss)
        assert np.isfinite(history[0]["train_loss"])
        assert all(not torch.equal(a, b) for a, b in zip(before, model.parameters()))
