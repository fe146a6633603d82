"""Every public function of mixup_edu, fed each class of bad value for each argument.

Each function is called with valid arguments (``VALID``) except one, replaced by the row's value. A bad
value must raise a ``TypeError`` (wrong kind of object) or a ``ValueError`` (right kind, wrong value)
whose message names the argument. A value that only looks unusual (a NumPy scalar, a 0-dim tensor,
another integer label dtype, an extreme but valid number) must give the documented result: the same as
the plain value would, or what the row states. Never a raw torch error, never silence.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np
import pytest
import torch
from matplotlib import pyplot as plt
from matplotlib.axes import Axes
from torch import nn

import mixup_edu as me
from mixup_edu.devices import resolve_device

NAN, INF = math.nan, math.inf

# Public names without rows, and why. Every other name in mixup_edu.__all__ needs at least one row.
SKIPPED = {
    "FASHION_MNIST_CLASSES",  # a constant, not a function
    "fit", "evaluate",  # checked, with the command line, by their own bad-input tests
}
# Infrastructure outside the top level that still takes arguments from users.
INFRASTRUCTURE = {"resolve_device"}


def gen() -> torch.Generator:
    return torch.Generator().manual_seed(0)


def images(b: int = 4) -> torch.Tensor:
    return torch.rand(b, 1, 6, 6, generator=gen())


def labels(b: int = 4, dtype: torch.dtype = torch.long) -> torch.Tensor:
    return (torch.arange(b) % 3).to(dtype)


def probs(n: int = 6, c: int = 3, dtype: torch.dtype = torch.float32) -> torch.Tensor:
    return torch.softmax(torch.randn(n, c, generator=gen()) * 2, 1).to(dtype)


def points(n: int = 8, features: int = 2) -> torch.Tensor:
    return torch.randn(n, features, generator=gen())


PERM = torch.tensor([1, 2, 3, 0])
INF_BATCH = torch.tensor([[1.0], [INF], [2.0], [-INF]])  # at alpha = 0 it must come back as it is
HISTORY = [{"epoch": 1, "train_loss": 1.0, "test_loss": 1.0, "test_accuracy": 0.5}]

# name -> (how to call it with keyword arguments, its valid arguments). "MixUp()" is a MixUp instance called.
VALID: dict[str, tuple[Callable[..., Any], Callable[[], dict[str, Any]]]] = {
    "sample_lambda": (me.sample_lambda, lambda: dict(alpha=0.5, generator=gen())),
    "sample_beta": (me.sample_beta, lambda: dict(alpha=0.5, shape=(3,), generator=gen())),
    "mix": (me.mix, lambda: dict(x=images(), perm=PERM, lam=0.5)),
    "mixup_data": (me.mixup_data, lambda: dict(x=images(), y=labels(), alpha=0.5, per_sample=False, generator=gen())),
    "MixUp": (lambda **kw: me.MixUp(**kw)(images(), labels()), lambda: dict(alpha=0.5, num_classes=3, generator=gen())),
    "MixUp()": (lambda **kw: me.MixUp(alpha=0.5, num_classes=3, generator=gen())(**kw), lambda: dict(images=images(), labels=labels())),
    "MixUp.collate": (lambda **kw: me.MixUp(alpha=0.5, num_classes=3, generator=gen()).collate(**kw),
                      lambda: dict(batch=[(torch.rand(3), 0), (torch.rand(3), 1)])),
    "cutmix_data": (me.cutmix_data, lambda: dict(x=images(), y=labels(), alpha=0.5, generator=gen())),
    "random_box": (me.random_box, lambda: dict(height=6, width=6, lam=0.5, generator=gen())),
    "one_hot": (me.one_hot, lambda: dict(y=labels(), num_classes=3, dtype=torch.float32)),
    "mix_targets": (me.mix_targets, lambda: dict(y_a=labels(), y_b=PERM % 3, lam=0.5, num_classes=3)),
    "soft_cross_entropy": (me.soft_cross_entropy, lambda: dict(logits=torch.randn(6, 3, generator=gen()),
                                                                targets=probs())),
    "mixup_criterion": (me.mixup_criterion, lambda: dict(criterion=nn.CrossEntropyLoss(), pred=torch.ones(4, 3),
                                                          y_a=labels(), y_b=PERM % 3, lam=0.5)),
    "mixup_cross_entropy": (me.mixup_cross_entropy, lambda: dict(logits=torch.randn(4, 3, generator=gen()),
                                                                  y_a=labels(), y_b=PERM % 3, lam=0.5,
                                                                  label_smoothing=0.0)),
    "accuracy": (me.accuracy, lambda: dict(scores=probs(), labels=labels(6))),
    "expected_calibration_error": (me.expected_calibration_error,
                                   lambda: dict(probs=probs(), labels=labels(6), n_bins=5)),
    "reliability_bins": (me.reliability_bins, lambda: dict(probs=probs(), labels=labels(6), n_bins=5)),
    "add_label_noise": (me.add_label_noise, lambda: dict(y=labels(), rate=0.5, num_classes=3, generator=gen())),
    "make_moons": (me.make_moons, lambda: dict(n=10, noise=0.25, generator=gen())),
    "make_spirals": (me.make_spirals, lambda: dict(n=10, noise=0.25, turns=1.5, generator=gen())),
    "plot_beta_pdfs": (me.plot_beta_pdfs, lambda: dict(alphas=(0.5, 1.0), ax=None)),
    "soft_label_title": (me.soft_label_title,
                         lambda: dict(target=torch.tensor([0.75, 0.25]), class_names=["a", "b"], top=2)),
    "show_images": (me.show_images, lambda: dict(images=images(2), titles=["a", "b"], ncols=2, size=1.0)),
    "plot_mixed_batch": (me.plot_mixed_batch, lambda: dict(images=images(2), soft_labels=probs(2),
                                                            class_names=["a", "b", "c"], ncols=2)),
    "plot_decision_boundary": (me.plot_decision_boundary, lambda: dict(model=me.MLP(seed=0), x=points(),
                                                                        y=labels(8) % 2, ax=None, resolution=5,
                                                                        margin=0.5, title="t")),
    "plot_history": (me.plot_history, lambda: dict(histories={"ERM": HISTORY}, metrics=("train_loss",))),
    "plot_reliability_diagram": (me.plot_reliability_diagram, lambda: dict(probs=probs(), labels=labels(6), n_bins=5,
                                                                            ax=None, title="t")),
    "MLP": (me.MLP, lambda: dict(in_features=2, hidden=4, num_classes=2, depth=1, seed=0)),
    "SmallCNN": (me.SmallCNN, lambda: dict(num_classes=3, widths=(2, 2), hidden=8, seed=0)),
    "SmallCNN()": (lambda **kw: me.SmallCNN(seed=0)(**kw), lambda: dict(x=torch.rand(2, 1, 28, 28))),
    "predict_logits": (me.predict_logits, lambda: dict(model=me.MLP(seed=0), x=points(), batch_size=3)),
    "predict_proba": (me.predict_proba, lambda: dict(model=me.MLP(seed=0), x=points(), batch_size=3)),
    "resolve_device": (resolve_device, lambda: dict(device="cpu")),
    "mixed_batch_loss": (lambda **kw: me.mixed_batch_loss(**kw)(me.MLP(seed=0), points(), labels(8) % 2, gen()),
                         lambda: dict(alpha=0.5, mixer=me.mixup_data, per_sample=False, label_smoothing=0.0)),
    "manifold_mixup_loss": (lambda **kw: me.manifold_mixup_loss(**kw)(me.MLP(seed=0), points(), labels(8) % 2, gen()),
                            lambda: dict(alpha=0.5, points=[0, 2])),
    "mixup_ablation_loss": (lambda **kw: me.mixup_ablation_loss(**kw)(me.MLP(seed=0), points(), labels(8) % 2, gen()),
                            lambda: dict(alpha=0.5, same_class=False, mix_labels=True)),
    "split_points": (me.split_points, lambda: dict(model=me.MLP(seed=0))),
    "load_fashion_mnist": (me.load_fashion_mnist, lambda: dict(train=False)),  # never full=True: that needs a network
    "cross_class_segments": (me.cross_class_segments, lambda: dict(x=points(), y=labels(8) % 2, n=5, generator=gen())),
    "probability_along": (me.probability_along, lambda: dict(model=me.MLP(seed=0), starts=points(3), ends=points(3) + 1,
                                                              steps=4)),
    "band_width": (me.band_width, lambda: dict(model=me.MLP(seed=0), x=points(), y=labels(8) % 2, n=5, low=0.1,
                                                high=0.9, seed=0)),
    "confidence_and_distance": (me.confidence_and_distance, lambda: dict(model=me.MLP(seed=0), x=points(), n=50,
                                                                          margin=1.0, seed=0)),
    "far_confidence": (me.far_confidence, lambda: dict(model=me.MLP(seed=0), x=points(), min_distance=0.1, seed=0)),
}


def invoke(function: str, changes: dict[str, Any]) -> Any:
    call, valid = VALID[function]
    return call(**{**valid(), **changes})


def what_it_got(value: Any) -> str:
    """How a message names a value of the wrong kind: a tensor by its dtype, anything else by its type."""
    return str(value.dtype) if isinstance(value, torch.Tensor) else type(value).__name__


@dataclass
class Raises:
    """The call must raise ``error`` with a message that names the argument (or matches ``names``), and open no
    figure. A ``TypeError`` must also say what it got instead (its type, or a tensor's dtype)."""

    error: type[Exception]
    names: str | None = None

    def check(self, function: str, argument: str, changes: dict[str, Any]) -> None:
        figures = plt.get_fignums()
        with pytest.raises(self.error, match=self.names or rf"\b{re.escape(argument)}\b") as raised:
            invoke(function, changes)
        if self.error is TypeError and self.names is None:
            got = re.escape(what_it_got(changes[argument]))
            assert re.search(rf"(?<![\w.]){got}\b", str(raised.value)), f"the message does not say what it got: {raised.value}"
        assert plt.get_fignums() == figures, "bad input must not leave a figure open"


@dataclass
class SameAs:
    """The call must work and give what it gives with ``plain`` (the plain Python value) instead."""

    plain: Any

    def check(self, function: str, argument: str, changes: dict[str, Any]) -> None:
        assert_same(invoke(function, changes), invoke(function, {**changes, argument: self.plain}))


@dataclass
class Works:
    """The call must work and its result pass ``holds``: a documented result."""

    holds: Callable[[Any], bool] = field(default=lambda result: True)

    def check(self, function: str, argument: str, changes: dict[str, Any]) -> None:
        assert self.holds(invoke(function, changes))


def assert_same(got: Any, expected: Any) -> None:
    if isinstance(expected, (tuple, list)):
        assert type(got) is type(expected) and len(got) == len(expected)
        for g, e in zip(got, expected):
            assert_same(g, e)
    elif isinstance(expected, dict):
        assert got.keys() == expected.keys()
        for key in expected:
            assert_same(got[key], expected[key])
    elif isinstance(expected, torch.Tensor):
        torch.testing.assert_close(got, expected, rtol=0, atol=0, equal_nan=True, check_dtype=False)
    elif isinstance(expected, nn.Module):
        assert [p.shape for p in got.parameters()] == [p.shape for p in expected.parameters()]
    elif isinstance(expected, Axes):
        assert isinstance(got, Axes) and len(got.lines) == len(expected.lines)
    else:
        assert got == expected


def row(function: str, argument: str, kind: str, value: Any, expect: Raises | SameAs | Works, *,
        also: dict[str, Any] | None = None) -> Any:
    """``function`` called with ``argument=value`` (and the other arguments in ``also``) must do ``expect``."""
    changes = {**(also or {}), argument: value}
    return pytest.param(function, argument, changes, expect, id=f"{function}-{argument}-{kind}")


ROWS = [
    row("sample_lambda", "alpha", "str", "0.5", Raises(TypeError)),
    row("sample_lambda", "alpha", "None", None, Raises(TypeError)),
    row("sample_lambda", "alpha", "bool", True, Raises(TypeError)),
    row("sample_lambda", "alpha", "nan", NAN, Raises(ValueError)),
    row("sample_lambda", "alpha", "inf", INF, Raises(ValueError)),
    row("sample_lambda", "alpha", "negative", -0.5, Raises(ValueError)),
    row("sample_lambda", "alpha", "zero", 0, Works(lambda lam: lam == 1.0)),
    row("sample_lambda", "alpha", "huge", 1e300, Works(lambda lam: lam == 0.5)),
    row("sample_lambda", "alpha", "tiny", 1e-300, Works(lambda lam: lam in (0.0, 1.0))),
    row("sample_lambda", "alpha", "numpy", np.float32(0.5), SameAs(0.5)),
    row("sample_lambda", "alpha", "0-dim-tensor", torch.tensor(0.5), SameAs(0.5)),
    row("sample_lambda", "generator", "int", 42, Raises(TypeError)),
    row("sample_lambda", "generator", "numpy-generator", np.random.default_rng(0), Raises(TypeError)),

    row("sample_beta", "alpha", "zero", 0.0, Raises(ValueError, r"^Beta\(0, 0\) is not a distribution")),
    row("sample_beta", "alpha", "str", "1", Raises(TypeError)),
    row("sample_beta", "alpha", "nan", NAN, Raises(ValueError)),
    row("sample_beta", "alpha", "numpy", np.float64(0.4), SameAs(0.4)),
    row("sample_beta", "shape", "int", 3, Raises(TypeError)),
    row("sample_beta", "shape", "negative", (-1,), Raises(ValueError)),
    row("sample_beta", "shape", "float", (2.5,), Raises(TypeError, r"\bshape\b.*got float 2\.5")),
    row("sample_beta", "shape", "empty", (), Works(lambda lam: lam.shape == ())),
    row("sample_beta", "shape", "numpy", (np.int64(3),), SameAs((3,))),
    row("sample_beta", "generator", "int", 42, Raises(TypeError)),

    row("mix", "x", "list", [[1.0]] * 4, Raises(TypeError)),
    row("mix", "x", "empty", torch.rand(0, 3), Raises(ValueError), also={"perm": torch.arange(0)}),
    row("mix", "x", "int-dtype", torch.ones(4, 3, dtype=torch.uint8), Raises(TypeError)),
    row("mix", "x", "inf-at-lam-one", INF_BATCH, Works(lambda out: torch.equal(out, INF_BATCH)), also={"lam": 1.0}),
    row("mix", "perm", "list", [1, 2, 3, 0], Raises(TypeError)),
    row("mix", "perm", "float-dtype", PERM.float(), Raises(TypeError)),
    row("mix", "perm", "wrong-length", torch.arange(3), Raises(ValueError)),
    row("mix", "perm", "wrong-shape", PERM.view(2, 2), Raises(ValueError)),
    row("mix", "perm", "empty", torch.arange(0), Raises(ValueError)),
    row("mix", "perm", "repeats", torch.tensor([0, 0, 1, 1]), Raises(ValueError)),
    row("mix", "perm", "too-large", torch.tensor([1, 2, 3, 4]), Raises(ValueError)),
    row("mix", "perm", "negative", torch.tensor([-1, 0, 1, 2]), Raises(ValueError)),
    row("mix", "perm", "int32", PERM.int(), SameAs(PERM)),
    row("mix", "lam", "too-large", 3.0, Raises(ValueError)),
    row("mix", "lam", "negative", -0.1, Raises(ValueError)),
    row("mix", "lam", "nan", NAN, Raises(ValueError)),
    row("mix", "lam", "inf", INF, Raises(ValueError)),
    row("mix", "lam", "str", "0.5", Raises(TypeError)),
    row("mix", "lam", "bool", True, Raises(TypeError)),
    row("mix", "lam", "numpy", np.float32(0.25), SameAs(0.25)),
    row("mix", "lam", "0-dim-tensor", torch.tensor(0.25), SameAs(0.25)),
    row("mix", "lam", "per-sample-nan", torch.tensor([0.5, NAN, 0.5, 0.5]), Raises(ValueError)),
    row("mix", "lam", "per-sample-wrong-shape", torch.rand(3), Raises(ValueError)),
    row("mix", "lam", "per-sample-int-dtype", torch.ones(4, dtype=torch.long), Raises(TypeError)),

    row("mixup_data", "x", "list", [[1.0]] * 4, Raises(TypeError)),
    row("mixup_data", "x", "empty", torch.rand(0, 3), Raises(ValueError), also={"y": labels(0)}),
    row("mixup_data", "x", "0-dim", torch.tensor(1.0), Raises(ValueError)),
    row("mixup_data", "x", "int-dtype", torch.ones(4, 3, dtype=torch.uint8), Raises(TypeError)),
    row("mixup_data", "x", "inf-at-alpha-zero", INF_BATCH, Works(lambda out: torch.equal(out[0], INF_BATCH)),
        also={"alpha": 0.0}),
    row("mixup_data", "x", "inf-at-alpha-zero-per-sample", INF_BATCH, Works(lambda out: torch.equal(out[0], INF_BATCH)),
        also={"alpha": 0.0, "per_sample": True}),
    row("mixup_data", "y", "float", torch.rand(4), Raises(TypeError, r"^y is a torch\.float32 tensor of shape \(4,\)")),
    row("mixup_data", "y", "bool", torch.ones(4, dtype=torch.bool), Raises(TypeError)),
    row("mixup_data", "y", "wrong-shape", torch.zeros(4, 2, dtype=torch.long), Raises(ValueError)),
    row("mixup_data", "y", "wrong-batch", labels(3), Raises(ValueError)),
    row("mixup_data", "y", "uint16", labels(dtype=torch.uint16), Raises(TypeError)),
    row("mixup_data", "y", "uint8", labels(dtype=torch.uint8), SameAs(labels())),
    row("mixup_data", "alpha", "str", "1", Raises(TypeError)),
    row("mixup_data", "alpha", "bool", True, Raises(TypeError)),
    row("mixup_data", "alpha", "nan", NAN, Raises(ValueError)),
    row("mixup_data", "alpha", "-inf", -INF, Raises(ValueError)),
    row("mixup_data", "alpha", "negative", -1, Raises(ValueError)),
    row("mixup_data", "alpha", "numpy", np.float32(0.5), SameAs(0.5)),
    row("mixup_data", "per_sample", "str", "yes", Raises(TypeError)),
    row("mixup_data", "per_sample", "int", 1, Raises(TypeError)),
    row("mixup_data", "per_sample", "numpy-bool", np.bool_(True), SameAs(True)),
    row("mixup_data", "generator", "int", 42, Raises(TypeError)),

    row("MixUp", "alpha", "bool", True, Raises(TypeError)),
    row("MixUp", "alpha", "negative", -1, Raises(ValueError)),
    row("MixUp", "alpha", "nan", NAN, Raises(ValueError)),
    row("MixUp", "alpha", "numpy", np.float32(0.5), SameAs(0.5)),
    row("MixUp", "num_classes", "None", None, Raises(TypeError)),
    row("MixUp", "num_classes", "float", 2.5, Raises(TypeError)),
    row("MixUp", "num_classes", "bool", True, Raises(TypeError)),
    row("MixUp", "num_classes", "zero", 0, Raises(ValueError)),
    row("MixUp", "num_classes", "numpy", np.int64(3), SameAs(3)),
    row("MixUp", "generator", "int", 42, Raises(TypeError)),
    row("MixUp()", "images", "list", [[1.0]] * 4, Raises(TypeError)),
    row("MixUp()", "images", "empty", torch.rand(0, 3), Raises(ValueError), also={"labels": labels(0)}),
    row("MixUp()", "images", "int-dtype", torch.ones(4, 3, dtype=torch.uint8), Raises(TypeError)),
    row("MixUp()", "labels", "float", torch.rand(4), Raises(TypeError)),
    row("MixUp()", "labels", "too-large", torch.tensor([0, 1, 2, 3]), Raises(ValueError)),
    row("MixUp()", "labels", "wrong-batch", labels(3), Raises(ValueError, r"\bimages\b has 4 samples but \blabels\b has 3")),
    row("MixUp()", "labels", "uint8", labels(dtype=torch.uint8), SameAs(labels())),
    row("MixUp.collate", "batch", "tensor", torch.rand(2, 3), Raises(TypeError, r"\bbatch\b.*got Tensor")),

    row("cutmix_data", "x", "2-d", torch.rand(4, 6), Raises(ValueError, r"\(B, \.\.\., H, W\)")),
    row("cutmix_data", "x", "empty", torch.rand(0, 1, 6, 6), Raises(ValueError), also={"y": labels(0)}),
    row("cutmix_data", "x", "int-dtype", torch.ones(4, 1, 6, 6, dtype=torch.uint8), Raises(TypeError)),
    row("cutmix_data", "x", "inf-at-alpha-zero", torch.full((4, 1, 2, 2), INF),
        Works(lambda out: bool(out[0].isposinf().all())), also={"alpha": 0.0}),
    row("cutmix_data", "y", "float", torch.rand(4), Raises(TypeError, r"^y is a torch\.float32 tensor of shape \(4,\)")),
    row("cutmix_data", "y", "wrong-batch", labels(5), Raises(ValueError)),
    row("cutmix_data", "alpha", "nan", NAN, Raises(ValueError)),
    row("cutmix_data", "alpha", "bool", False, Raises(TypeError)),
    row("cutmix_data", "alpha", "numpy", np.float64(0.5), SameAs(0.5)),
    row("cutmix_data", "generator", "int", 42, Raises(TypeError)),

    row("random_box", "height", "zero", 0, Raises(ValueError)),
    row("random_box", "height", "negative", -6, Raises(ValueError)),
    row("random_box", "height", "float", 6.5, Raises(TypeError)),
    row("random_box", "height", "bool", True, Raises(TypeError)),
    row("random_box", "height", "numpy", np.int64(6), SameAs(6)),
    row("random_box", "width", "zero", 0, Raises(ValueError)),
    row("random_box", "width", "str", "6", Raises(TypeError)),
    row("random_box", "lam", "too-large", 1.5, Raises(ValueError)),
    row("random_box", "lam", "negative", -1, Raises(ValueError)),
    row("random_box", "lam", "nan", NAN, Raises(ValueError)),
    row("random_box", "lam", "str", "0.5", Raises(TypeError)),
    row("random_box", "lam", "one", 1.0, Works(lambda box: (box[1] - box[0]) * (box[3] - box[2]) == 0)),
    row("random_box", "lam", "numpy", np.float32(0.75), SameAs(0.75)),
    row("random_box", "generator", "int", 42, Raises(TypeError, r"^generator must be a torch\.Generator or None, got int 42")),

    row("one_hot", "y", "list", [0, 1], Raises(TypeError)),
    row("one_hot", "y", "float", torch.tensor([0.0, 1.0]), Raises(TypeError)),
    row("one_hot", "y", "wrong-shape", torch.zeros(2, 2, dtype=torch.long), Raises(ValueError)),
    row("one_hot", "y", "empty", labels(0), Raises(ValueError)),
    row("one_hot", "y", "negative", torch.tensor([-1, 0]), Raises(ValueError)),
    row("one_hot", "y", "too-large", torch.tensor([0, 3]), Raises(ValueError)),
    row("one_hot", "y", "int8", labels(dtype=torch.int8), SameAs(labels())),
    row("one_hot", "num_classes", "None", None, Raises(TypeError)),
    row("one_hot", "num_classes", "float", 3.0, Raises(TypeError)),
    row("one_hot", "num_classes", "bool", True, Raises(TypeError)),
    row("one_hot", "num_classes", "zero", 0, Raises(ValueError)),
    row("one_hot", "num_classes", "numpy", np.int64(3), SameAs(3)),
    row("one_hot", "dtype", "int-dtype", torch.long, Raises(TypeError)),
    row("one_hot", "dtype", "str", "float32", Raises(TypeError, r"\bdtype\b.*got 'float32'")),

    row("mix_targets", "y_a", "float", torch.rand(4), Raises(TypeError)),
    row("mix_targets", "y_b", "wrong-batch", labels(3), Raises(ValueError, r"\by_a\b has 4 samples but \by_b\b has 3")),
    row("mix_targets", "y_a", "too-large", torch.tensor([0, 1, 2, 3]), Raises(ValueError, r"^y_a holds the label 3")),
    row("mix_targets", "y_b", "too-large", torch.tensor([0, 1, 2, 3]), Raises(ValueError, r"^y_b holds the label 3")),
    row("mix_targets", "y_b", "list", [0, 1, 2, 0], Raises(TypeError)),
    row("mix_targets", "y_b", "int16", (PERM % 3).short(), SameAs(PERM % 3)),
    row("mix_targets", "lam", "too-large", 1.5, Raises(ValueError)),
    row("mix_targets", "lam", "nan", NAN, Raises(ValueError)),
    row("mix_targets", "lam", "str", "0.5", Raises(TypeError)),
    row("mix_targets", "lam", "numpy", np.float32(0.25), SameAs(0.25)),
    row("mix_targets", "lam", "per-sample-nan", torch.tensor([NAN] * 4), Raises(ValueError)),
    row("mix_targets", "lam", "per-sample-wrong-shape", torch.rand(5), Raises(ValueError)),
    row("mix_targets", "num_classes", "None", None, Raises(TypeError)),
    row("mix_targets", "num_classes", "numpy", np.int32(3), SameAs(3)),

    row("soft_cross_entropy", "logits", "list", [[0.0] * 3] * 6, Raises(TypeError)),
    row("soft_cross_entropy", "logits", "1-d", torch.randn(6), Raises(ValueError)),
    row("soft_cross_entropy", "logits", "int-dtype", torch.ones(6, 3, dtype=torch.long), Raises(TypeError)),
    row("soft_cross_entropy", "logits", "empty", torch.randn(0, 3), Raises(ValueError, "empty"),
        also={"targets": probs(0)}),
    row("soft_cross_entropy", "logits", "nan", torch.full((6, 3), NAN), Works(lambda loss: bool(loss.isnan()))),
    row("soft_cross_entropy", "targets", "int-dtype", labels(6), Raises(TypeError)),
    row("soft_cross_entropy", "targets", "list", [[1.0, 0.0, 0.0]] * 6, Raises(TypeError)),
    row("soft_cross_entropy", "targets", "wrong-shape", probs(6, 2), Raises(ValueError)),

    row("mixup_criterion", "criterion", "None", None, Raises(TypeError)),
    row("mixup_criterion", "criterion", "int", 42, Raises(TypeError)),
    row("mixup_criterion", "pred", "list", [[0.0] * 3] * 4, Raises(TypeError)),
    row("mixup_criterion", "pred", "0-dim", torch.tensor(0.0), Raises(ValueError)),
    row("mixup_criterion", "y_a", "wrong-batch", labels(3), Raises(ValueError, r"\bpred\b has 4 samples but \by_a\b has 3")),
    row("mixup_criterion", "y_b", "wrong-batch", labels(3), Raises(ValueError, r"\bpred\b has 4 samples but \by_b\b has 3")),
    row("mixup_criterion", "y_a", "list", [0, 1, 2, 0], Raises(TypeError)),
    row("mixup_criterion", "y_b", "list", [0, 1, 2, 0], Raises(TypeError)),
    row("mixup_criterion", "y_b", "int32", (PERM % 3).int(), SameAs(PERM % 3)),
    row("mixup_criterion", "lam", "too-large", 2.0, Raises(ValueError)),
    row("mixup_criterion", "lam", "nan", NAN, Raises(ValueError)),
    row("mixup_criterion", "lam", "bool", True, Raises(TypeError)),
    row("mixup_criterion", "lam", "numpy", np.float32(0.25), SameAs(0.25)),
    row("mixup_criterion", "lam", "per-sample-with-a-mean-loss", torch.rand(4),
        Raises(ValueError, "reduction='none'")),

    row("mixup_cross_entropy", "logits", "list", [[0.0] * 3] * 4, Raises(TypeError)),
    row("mixup_cross_entropy", "logits", "int-dtype", torch.ones(4, 3, dtype=torch.long), Raises(TypeError)),
    row("mixup_cross_entropy", "logits", "1-d", torch.randn(4), Raises(ValueError)),
    row("mixup_cross_entropy", "logits", "empty", torch.randn(0, 3), Raises(ValueError, "empty"),
        also={"y_a": labels(0), "y_b": labels(0)}),
    row("mixup_cross_entropy", "logits", "empty-with-probabilities", torch.randn(0, 3), Raises(ValueError, r"\blogits\b.*empty"),
        also={"y_a": probs(0), "y_b": probs(0)}),
    row("mixup_cross_entropy", "logits", "nan", torch.full((4, 3), NAN), Works(lambda loss: bool(loss.isnan()))),
    row("mixup_cross_entropy", "y_a", "wrong-batch", labels(3),
        Raises(ValueError, r"\blogits\b has 4 samples but \by_a\b has 3")),
    row("mixup_cross_entropy", "y_b", "wrong-batch", labels(5),
        Raises(ValueError, r"\blogits\b has 4 samples but \by_b\b has 5")),
    row("mixup_cross_entropy", "y_a", "list", [0, 1, 2, 0], Raises(TypeError)),
    row("mixup_cross_entropy", "y_a", "float-indices", labels(4, torch.float32), Raises(TypeError)),
    row("mixup_cross_entropy", "y_b", "int32", (PERM % 3).int(), SameAs(PERM % 3)),
    row("mixup_cross_entropy", "y_b", "uint8", (PERM % 3).to(torch.uint8), SameAs(PERM % 3)),
    row("mixup_cross_entropy", "y_a", "label-out-of-range", torch.tensor([0, 1, 2, 3]),
        Raises(ValueError, r"\by_a\b holds the label 3, outside \[0, 3\)")),
    row("mixup_cross_entropy", "y_b", "negative-label", torch.tensor([0, -1, 2, 0]), Raises(ValueError)),
    row("mixup_cross_entropy", "y_b", "probabilities-of-another-width", probs(4, 2), Raises(ValueError)),
    row("mixup_cross_entropy", "y_a", "probabilities", torch.eye(3)[labels()],
        SameAs(labels())),
    row("mixup_cross_entropy", "lam", "too-large", 1.5, Raises(ValueError)),
    row("mixup_cross_entropy", "lam", "negative", -0.1, Raises(ValueError)),
    row("mixup_cross_entropy", "lam", "nan", NAN, Raises(ValueError)),
    row("mixup_cross_entropy", "lam", "bool", True, Raises(TypeError)),
    row("mixup_cross_entropy", "lam", "numpy", np.float32(0.25), SameAs(0.25)),
    row("mixup_cross_entropy", "lam", "per-sample-wrong-shape", torch.rand(3), Raises(ValueError)),
    row("mixup_cross_entropy", "lam", "per-sample-int", torch.ones(4, dtype=torch.long), Raises(TypeError)),
    row("mixup_cross_entropy", "label_smoothing", "too-large", 1.5, Raises(ValueError)),
    row("mixup_cross_entropy", "label_smoothing", "negative", -0.1, Raises(ValueError)),
    row("mixup_cross_entropy", "label_smoothing", "str", "0.1", Raises(TypeError)),
    row("mixup_cross_entropy", "label_smoothing", "numpy", np.float64(0.5), SameAs(0.5)),

    row("accuracy", "scores", "list", [[0.0] * 3] * 6, Raises(TypeError)),
    row("accuracy", "scores", "1-d", torch.randn(6), Raises(ValueError)),
    row("accuracy", "scores", "empty", torch.randn(0, 3), Raises(ValueError), also={"labels": labels(0)}),
    row("accuracy", "scores", "bool", torch.ones(6, 3, dtype=torch.bool), Raises(TypeError)),
    row("accuracy", "scores", "nan", torch.full((6, 3), NAN), Raises(ValueError)),
    row("accuracy", "scores", "inf", torch.tensor([[INF, 0.0, -INF]] * 6),
        Works(lambda acc: acc == pytest.approx(2 / 6))),
    row("accuracy", "labels", "float", torch.rand(6), Raises(TypeError)),
    row("accuracy", "labels", "too-large", torch.tensor([0, 1, 2, 3, 0, 1]), Raises(ValueError)),
    row("accuracy", "labels", "wrong-batch", labels(5), Raises(ValueError, r"\bscores\b has 6 samples but \blabels\b has 5")),
    row("accuracy", "labels", "uint8", labels(6, torch.uint8), SameAs(labels(6))),

    row("expected_calibration_error", "probs", "list", [[1.0, 0.0, 0.0]] * 6, Raises(TypeError)),
    row("expected_calibration_error", "probs", "logits", torch.randn(6, 3) * 5, Raises(ValueError, "softmax")),
    row("expected_calibration_error", "probs", "negative", torch.tensor([[1.5, -0.5, 0.0]] * 6), Raises(ValueError)),
    row("expected_calibration_error", "probs", "nan", torch.full((6, 3), NAN), Raises(ValueError)),
    row("expected_calibration_error", "probs", "inf", torch.tensor([[INF, 0.0, 0.0]] * 6), Raises(ValueError)),
    row("expected_calibration_error", "probs", "1-d", probs()[:, 0], Raises(ValueError)),
    row("expected_calibration_error", "probs", "empty", probs(0), Raises(ValueError), also={"labels": labels(0)}),
    row("expected_calibration_error", "probs", "int-dtype", torch.eye(3, dtype=torch.long).repeat(2, 1),
        Raises(TypeError)),
    row("expected_calibration_error", "probs", "bfloat16", probs(dtype=torch.bfloat16),
        Works(lambda ece: 0 <= ece <= 1)),
    row("expected_calibration_error", "probs", "float16", probs(dtype=torch.float16),
        Works(lambda ece: 0 <= ece <= 1)),
    row("expected_calibration_error", "labels", "float", torch.rand(6), Raises(TypeError)),
    row("expected_calibration_error", "labels", "too-large", torch.tensor([0, 1, 2, 3, 0, 1]), Raises(ValueError)),
    row("expected_calibration_error", "labels", "wrong-batch", labels(5), Raises(ValueError, r"\bprobs\b has 6 samples but \blabels\b has 5")),
    row("expected_calibration_error", "labels", "int8", labels(6, torch.int8), SameAs(labels(6))),
    row("expected_calibration_error", "n_bins", "float", 2.5, Raises(TypeError)),
    row("expected_calibration_error", "n_bins", "bool", True, Raises(TypeError)),
    row("expected_calibration_error", "n_bins", "str", "10", Raises(TypeError)),
    row("expected_calibration_error", "n_bins", "zero", 0, Raises(ValueError)),
    row("expected_calibration_error", "n_bins", "negative", -3, Raises(ValueError)),
    row("expected_calibration_error", "n_bins", "huge", 10_000, Works(lambda ece: 0 <= ece <= 1)),
    row("expected_calibration_error", "n_bins", "numpy", np.int64(5), SameAs(5)),

    row("reliability_bins", "probs", "logits", torch.randn(6, 3) * 5, Raises(ValueError, "softmax")),
    row("reliability_bins", "labels", "float", torch.rand(6), Raises(TypeError)),
    row("reliability_bins", "n_bins", "zero", 0, Raises(ValueError)),
    row("reliability_bins", "n_bins", "float", 2.5, Raises(TypeError)),
    row("reliability_bins", "n_bins", "numpy", np.int16(4), SameAs(4)),

    row("add_label_noise", "y", "list", [0, 1], Raises(TypeError)),
    row("add_label_noise", "y", "float", torch.rand(4), Raises(TypeError)),
    row("add_label_noise", "y", "empty", labels(0), Raises(ValueError)),
    row("add_label_noise", "y", "wrong-shape", labels().view(2, 2), Raises(ValueError)),
    row("add_label_noise", "y", "too-large", torch.tensor([0, 1, 2, 5]), Raises(ValueError)),
    row("add_label_noise", "y", "uint16", labels(dtype=torch.uint16), Raises(TypeError)),
    row("add_label_noise", "y", "int8-too-narrow", labels(dtype=torch.int8), Raises(ValueError),
        also={"num_classes": 200}),
    row("add_label_noise", "y", "int8", labels(dtype=torch.int8), Works(lambda out: out[0].dtype == torch.int8)),
    row("add_label_noise", "rate", "bool", True, Raises(TypeError)),
    row("add_label_noise", "rate", "str", "0.5", Raises(TypeError)),
    row("add_label_noise", "rate", "nan", NAN, Raises(ValueError)),
    row("add_label_noise", "rate", "inf", INF, Raises(ValueError)),
    row("add_label_noise", "rate", "negative", -0.1, Raises(ValueError)),
    row("add_label_noise", "rate", "one", 1.0, Raises(ValueError)),
    row("add_label_noise", "rate", "zero", 0.0, Works(lambda out: torch.equal(out[0], labels()) and not out[1].any())),
    row("add_label_noise", "rate", "numpy", np.float32(0.5), SameAs(0.5)),
    row("add_label_noise", "num_classes", "None", None, Raises(TypeError)),
    row("add_label_noise", "num_classes", "float", 3.0, Raises(TypeError)),
    row("add_label_noise", "num_classes", "zero", 0, Raises(ValueError)),
    row("add_label_noise", "num_classes", "one-with-noise", 1, Raises(ValueError),
        also={"y": torch.zeros(4, dtype=torch.long)}),
    row("add_label_noise", "num_classes", "numpy", np.int64(3), SameAs(3)),
    row("add_label_noise", "generator", "int", 42, Raises(TypeError)),

    row("make_moons", "n", "float", 2.5, Raises(TypeError)),
    row("make_moons", "n", "str", "10", Raises(TypeError)),
    row("make_moons", "n", "bool", True, Raises(TypeError)),
    row("make_moons", "n", "too-small", 1, Raises(ValueError)),
    row("make_moons", "n", "negative", -10, Raises(ValueError)),
    row("make_moons", "n", "numpy", np.int64(10), SameAs(10)),
    row("make_moons", "noise", "nan", NAN, Raises(ValueError)),
    row("make_moons", "noise", "inf", INF, Raises(ValueError)),
    row("make_moons", "noise", "negative", -0.1, Raises(ValueError)),
    row("make_moons", "noise", "str", "0.1", Raises(TypeError)),
    row("make_moons", "noise", "numpy", np.float32(0.25), SameAs(0.25)),
    row("make_moons", "generator", "int", 42, Raises(TypeError)),

    row("make_spirals", "n", "float", 2.5, Raises(TypeError)),
    row("make_spirals", "n", "zero", 0, Raises(ValueError)),
    row("make_spirals", "noise", "nan", NAN, Raises(ValueError)),
    row("make_spirals", "turns", "nan", NAN, Raises(ValueError)),
    row("make_spirals", "turns", "negative", -1, Raises(ValueError)),
    row("make_spirals", "turns", "str", "1", Raises(TypeError)),
    row("make_spirals", "turns", "numpy", np.float32(0.5), SameAs(0.5)),
    row("make_spirals", "generator", "int", 42, Raises(TypeError)),

    row("plot_beta_pdfs", "alphas", "number", 0.2, Raises(TypeError)),
    row("plot_beta_pdfs", "alphas", "str", "0.2", Raises(TypeError)),
    row("plot_beta_pdfs", "alphas", "empty", (), Raises(ValueError)),
    row("plot_beta_pdfs", "alphas", "zero", (0,), Raises(ValueError)),
    row("plot_beta_pdfs", "alphas", "nan", (NAN,), Raises(ValueError)),
    row("plot_beta_pdfs", "alphas", "bool", (True,), Raises(TypeError, r"\balphas\b.*got bool True")),
    row("plot_beta_pdfs", "alphas", "too-large", (1e300,), Raises(ValueError)),
    row("plot_beta_pdfs", "alphas", "numpy", (np.float32(0.5), 1), SameAs((0.5, 1))),
    row("plot_beta_pdfs", "ax", "str", "left", Raises(TypeError)),

    row("soft_label_title", "target", "list", [0.75, 0.25], Raises(TypeError)),
    row("soft_label_title", "target", "int-dtype", torch.tensor([0, 1]), Raises(TypeError)),
    row("soft_label_title", "target", "2-d", probs(2, 2), Raises(ValueError)),
    row("soft_label_title", "target", "empty", torch.zeros(0), Raises(ValueError)),
    row("soft_label_title", "target", "nan", torch.tensor([NAN, 0.5]), Raises(ValueError)),
    row("soft_label_title", "class_names", "too-short", ["a"], Raises(ValueError)),
    row("soft_label_title", "class_names", "str", "ab", Raises(TypeError)),
    row("soft_label_title", "top", "zero", 0, Raises(ValueError)),
    row("soft_label_title", "top", "float", 1.5, Raises(TypeError)),
    row("soft_label_title", "top", "numpy", np.int64(1), Works(lambda title: title == "0.75 a")),

    row("show_images", "images", "list", [[0.0]], Raises(TypeError)),
    row("show_images", "images", "empty", torch.rand(0, 1, 6, 6), Raises(ValueError), also={"titles": None}),
    row("show_images", "images", "three-channels", torch.rand(2, 3, 6, 6), Raises(ValueError)),
    row("show_images", "images", "int-dtype", torch.ones(2, 6, 6, dtype=torch.uint8), Raises(TypeError)),
    row("show_images", "titles", "too-short", ["a"], Raises(ValueError)),
    row("show_images", "titles", "str", "ab", Raises(TypeError)),
    row("show_images", "ncols", "zero", 0, Raises(ValueError)),
    row("show_images", "ncols", "float", 2.5, Raises(TypeError)),
    row("show_images", "ncols", "numpy", np.int64(2), Works(lambda fig: len(fig.axes) == 2)),
    row("show_images", "size", "zero", 0, Raises(ValueError)),
    row("show_images", "size", "nan", NAN, Raises(ValueError)),

    row("plot_mixed_batch", "images", "list", [[0.0]] * 2, Raises(TypeError)),
    row("plot_mixed_batch", "soft_labels", "1-d", torch.rand(2), Raises(ValueError)),
    row("plot_mixed_batch", "soft_labels", "int-dtype", torch.eye(2, 3, dtype=torch.long), Raises(TypeError)),
    row("plot_mixed_batch", "soft_labels", "wrong-batch", probs(3), Raises(ValueError)),
    row("plot_mixed_batch", "soft_labels", "nan", torch.full((2, 3), NAN), Raises(ValueError)),
    row("plot_mixed_batch", "class_names", "too-short", ["a"], Raises(ValueError)),
    row("plot_mixed_batch", "ncols", "zero", 0, Raises(ValueError)),

    row("cross_class_segments", "x", "list", [[0.0, 1.0]] * 8, Raises(TypeError)),
    row("cross_class_segments", "x", "images", images(8), Raises(ValueError)),
    row("cross_class_segments", "x", "nan", torch.full((8, 2), NAN), Raises(ValueError)),
    row("cross_class_segments", "x", "empty", points(0), Raises(ValueError), also={"y": labels(0)}),
    row("cross_class_segments", "y", "float", torch.rand(8), Raises(TypeError)),
    row("cross_class_segments", "y", "wrong-batch", labels(5) % 2, Raises(ValueError)),
    row("cross_class_segments", "y", "one-class", torch.zeros(8, dtype=torch.long), Raises(ValueError, "class 1")),
    row("cross_class_segments", "y", "three-classes", labels(8), Raises(ValueError, "label 2")),
    row("cross_class_segments", "n", "zero", 0, Raises(ValueError)),
    row("cross_class_segments", "n", "float", 2.5, Raises(TypeError)),
    row("cross_class_segments", "n", "numpy", np.int64(5), SameAs(5)),
    row("cross_class_segments", "generator", "int", 0, Raises(TypeError)),
    row("probability_along", "model", "str", "mlp", Raises(TypeError)),
    row("probability_along", "model", "three-classes", me.MLP(num_classes=3), Raises(ValueError, "2 class scores")),
    row("probability_along", "starts", "list", [[0.0, 1.0]] * 3, Raises(TypeError)),
    row("probability_along", "ends", "wrong-shape", points(4), Raises(ValueError)),
    row("probability_along", "ends", "inf", torch.full((3, 2), INF), Raises(ValueError)),
    row("probability_along", "ends", "float64", points(3).double(), Raises(ValueError, "dtype")),
    row("probability_along", "steps", "one", 1, Raises(ValueError)),
    row("probability_along", "steps", "numpy", np.int32(4), SameAs(4)),
    row("band_width", "model", "str", "mlp", Raises(TypeError)),
    row("band_width", "x", "nan", torch.full((8, 2), NAN), Raises(ValueError)),
    row("band_width", "y", "wrong-batch", labels(5) % 2, Raises(ValueError)),
    row("band_width", "low", "negative", -0.1, Raises(ValueError)),
    row("band_width", "low", "above-one", 1.5, Raises(ValueError), also={"high": 1.0}),
    row("band_width", "high", "above-one", 1.5, Raises(ValueError)),
    row("band_width", "high", "below-low", 0.05, Raises(ValueError)),
    row("band_width", "high", "equal-to-low", 0.1, Raises(ValueError)),
    row("band_width", "high", "str", "0.9", Raises(TypeError)),
    row("band_width", "seed", "negative", -1, Raises(ValueError)),
    row("band_width", "seed", "float", 1.5, Raises(TypeError)),
    row("band_width", "n", "numpy", np.int64(5), SameAs(5)),
    row("confidence_and_distance", "model", "None", None, Raises(TypeError)),
    row("confidence_and_distance", "x", "labels", labels(8), Raises(TypeError)),
    row("confidence_and_distance", "x", "one-dim", torch.rand(8), Raises(ValueError)),
    row("confidence_and_distance", "n", "zero", 0, Raises(ValueError)),
    row("confidence_and_distance", "margin", "negative", -1.0, Raises(ValueError)),
    row("confidence_and_distance", "margin", "nan", NAN, Raises(ValueError)),
    row("confidence_and_distance", "seed", "numpy", np.int64(3), SameAs(3)),
    row("far_confidence", "model", "str", "mlp", Raises(TypeError)),
    row("far_confidence", "min_distance", "negative", -0.5, Raises(ValueError)),
    row("far_confidence", "min_distance", "too-far", 100.0, Raises(ValueError)),
    row("far_confidence", "min_distance", "None", None, Raises(TypeError)),
    row("far_confidence", "min_distance", "numpy", np.float64(0.1), SameAs(0.1)),
    row("plot_decision_boundary", "model", "str", "mlp", Raises(TypeError)),
    row("plot_decision_boundary", "model", "three-classes", me.MLP(num_classes=3), Raises(ValueError)),
    row("plot_decision_boundary", "x", "list", [[0.0, 1.0]] * 8, Raises(TypeError)),
    row("plot_decision_boundary", "x", "three-features", points(8, 3), Raises(ValueError)),
    row("plot_decision_boundary", "x", "nan", torch.full((8, 2), NAN), Raises(ValueError)),
    row("plot_decision_boundary", "x", "empty", points(0), Raises(ValueError), also={"y": labels(0)}),
    row("plot_decision_boundary", "y", "float", torch.rand(8), Raises(TypeError)),
    row("plot_decision_boundary", "y", "wrong-batch", labels(5), Raises(ValueError)),
    row("plot_decision_boundary", "ax", "str", "left", Raises(TypeError)),
    row("plot_decision_boundary", "resolution", "one", 1, Raises(ValueError)),
    row("plot_decision_boundary", "resolution", "float", 2.5, Raises(TypeError)),
    row("plot_decision_boundary", "resolution", "numpy", np.int64(5), Works(lambda ax: ax.get_title() == "t")),
    row("plot_decision_boundary", "margin", "negative", -1, Raises(ValueError)),
    row("plot_decision_boundary", "margin", "inf", INF, Raises(ValueError)),
    row("plot_decision_boundary", "title", "int", 3, Raises(TypeError)),

    row("plot_history", "histories", "list", [HISTORY], Raises(TypeError)),
    row("plot_history", "histories", "empty", {}, Raises(ValueError)),
    row("plot_history", "histories", "empty-run", {"ERM": []}, Raises(ValueError)),
    row("plot_history", "histories", "run-of-numbers", {"ERM": [1.0, 0.5]},
        Raises(TypeError, r"^histories\['ERM'\] must be a list of dicts")),  # the run, not the dict, is wrong
    row("plot_history", "histories", "missing-metric", {"ERM": [{"epoch": 1}]}, Raises(ValueError, "train_loss")),
    row("plot_history", "metrics", "str", "train_loss", Raises(TypeError)),
    row("plot_history", "metrics", "empty", (), Raises(ValueError)),
    row("plot_history", "metrics", "unknown", ("ece",), Raises(ValueError, "ece")),

    row("plot_reliability_diagram", "probs", "logits", torch.randn(6, 3) * 5, Raises(ValueError, "softmax")),
    row("plot_reliability_diagram", "labels", "float", torch.rand(6), Raises(TypeError)),
    row("plot_reliability_diagram", "n_bins", "zero", 0, Raises(ValueError)),
    row("plot_reliability_diagram", "n_bins", "float", 2.5, Raises(TypeError)),
    row("plot_reliability_diagram", "n_bins", "numpy", np.int64(5), Works(lambda ax: ax.get_xlabel() == "confidence")),
    row("plot_reliability_diagram", "ax", "str", "left", Raises(TypeError)),
    row("plot_reliability_diagram", "title", "int", 3, Raises(TypeError)),

    row("MLP", "in_features", "numpy", np.int64(3), SameAs(3)),
    row("MLP", "in_features", "negative", -1, Raises(ValueError)),
    row("MLP", "in_features", "float", 2.5, Raises(TypeError)),
    row("MLP", "in_features", "bool", True, Raises(TypeError)),
    row("MLP", "hidden", "zero", 0, Raises(ValueError)),
    row("MLP", "num_classes", "zero", 0, Raises(ValueError)),
    row("MLP", "depth", "negative", -1, Raises(ValueError)),
    row("MLP", "seed", "str", "a", Raises(TypeError)),
    row("SmallCNN", "num_classes", "numpy", np.int64(3), SameAs(3)),
    row("SmallCNN", "num_classes", "float", 2.5, Raises(TypeError)),
    row("SmallCNN", "num_classes", "zero", 0, Raises(ValueError)),
    row("SmallCNN", "widths", "int", 8, Raises(TypeError, r"\bwidths\b.*got 8")),
    row("SmallCNN()", "x", "wrong-shape", torch.rand(2, 3, 32, 32), Raises(ValueError, "images of shape")),
    row("SmallCNN()", "x", "list", [[0.0]], Raises(TypeError)),

    row("predict_logits", "batch_size", "numpy", np.int64(3), SameAs(3)),
    row("predict_logits", "batch_size", "zero", 0, Raises(ValueError)),
    row("predict_logits", "batch_size", "float", 2.5, Raises(TypeError)),
    row("predict_logits", "model", "None", None, Raises(TypeError)),
    row("predict_logits", "x", "list", [[0.0, 1.0]], Raises(TypeError)),
    row("predict_logits", "x", "empty", points(0), Raises(ValueError)),
    row("predict_proba", "x", "list", [[0.0, 1.0]], Raises(TypeError)),
    row("predict_proba", "batch_size", "numpy", np.int64(3), SameAs(3)),
    row("resolve_device", "device", "unknown", "gpu", Raises(ValueError)),
    row("resolve_device", "device", "None", None, Raises(TypeError)),
    row("resolve_device", "device", "int", 42, Raises(TypeError)),

    row("mixed_batch_loss", "alpha", "negative", -1, Raises(ValueError)),
    row("mixed_batch_loss", "alpha", "numpy", np.float64(0.5), SameAs(0.5)),
    row("mixed_batch_loss", "per_sample", "str", "yes", Raises(TypeError)),
    row("mixed_batch_loss", "per_sample", "numpy-bool", np.bool_(True), SameAs(True)),
    row("mixed_batch_loss", "label_smoothing", "above-1", 1.5, Raises(ValueError)),
    row("mixed_batch_loss", "label_smoothing", "nan", NAN, Raises(ValueError)),
    row("mixed_batch_loss", "label_smoothing", "negative", -0.1, Raises(ValueError)),
    row("mixed_batch_loss", "mixer", "None", None, Raises(TypeError)),
    row("mixed_batch_loss", "mixer", "int", 42, Raises(TypeError)),
    row("mixed_batch_loss", "mixer", "wrong-signature", lambda x: x, Raises(TypeError, r"\bmixer\b.*; <lambda> does not")),
    row("mixed_batch_loss", "mixer", "partial-without-per-sample", functools.partial(me.cutmix_data, alpha=1.0),
        Raises(ValueError, r"\bper_sample\b.*; functools\.partial\(<function cutmix_data"), also={"per_sample": True}),
    row("mixed_batch_loss", "mixer", "cutmix-per-sample", me.cutmix_data, Raises(ValueError, r"\bper_sample\b.*; cutmix_data takes no"),
        also={"per_sample": True}),
    row("manifold_mixup_loss", "alpha", "nan", NAN, Raises(ValueError)),
    row("manifold_mixup_loss", "alpha", "numpy", np.float32(0.5), SameAs(0.5)),
    row("manifold_mixup_loss", "points", "str", "02", Raises(TypeError)),
    row("manifold_mixup_loss", "points", "int", 2, Raises(TypeError)),
    row("manifold_mixup_loss", "points", "empty", [], Raises(ValueError)),
    row("manifold_mixup_loss", "points", "negative", [-1], Raises(ValueError, names="split point")),
    row("manifold_mixup_loss", "points", "float", [0.5], Raises(TypeError, names="split point")),
    row("manifold_mixup_loss", "points", "numpy", [np.int64(0), 2], SameAs([0, 2])),
    row("manifold_mixup_loss", "points", "past-the-end", [0, 9], Raises(ValueError)),
    row("mixup_ablation_loss", "alpha", "negative", -1, Raises(ValueError)),
    row("mixup_ablation_loss", "alpha", "str", "1", Raises(TypeError)),
    row("mixup_ablation_loss", "alpha", "numpy", np.float32(0.5), SameAs(0.5)),
    row("mixup_ablation_loss", "same_class", "str", "yes", Raises(TypeError)),
    row("mixup_ablation_loss", "same_class", "numpy-bool", np.bool_(True), SameAs(True)),
    row("mixup_ablation_loss", "mix_labels", "None", None, Raises(TypeError)),
    row("mixup_ablation_loss", "mix_labels", "int", 0, Raises(TypeError)),
    row("split_points", "model", "None", None, Raises(TypeError)),
    row("split_points", "model", "unsplittable", nn.Linear(2, 2), Raises(TypeError)),

    row("load_fashion_mnist", "train", "numpy-bool", np.bool_(False), SameAs(False)),
    row("load_fashion_mnist", "train", "str", "test", Raises(TypeError)),
    row("load_fashion_mnist", "full", "str", "yes", Raises(TypeError)),
    row("load_fashion_mnist", "root", "int", 42, Raises(TypeError)),
]


@pytest.mark.parametrize("function, argument, changes, expect", ROWS)
def test_bad_input(function: str, argument: str, changes: dict[str, Any], expect: Raises | SameAs | Works) -> None:
    expect.check(function, argument, changes)


def test_every_public_function_has_rows() -> None:
    covered = {re.split(r"[.(]", r.values[0])[0] for r in ROWS}
    missing = set(me.__all__) - SKIPPED - covered
    assert not missing, f"public names without a row in the bad-input matrix: {sorted(missing)}"
    assert not SKIPPED & covered, "a skipped name has rows: take it off SKIPPED"
    assert covered <= set(me.__all__) | INFRASTRUCTURE, f"rows for unknown names: {sorted(covered - set(me.__all__))}"
    assert SKIPPED <= set(me.__all__), f"SKIPPED names that are not public: {sorted(SKIPPED - set(me.__all__))}"


def test_row_ids_are_unique() -> None:
    ids = [r.id for r in ROWS]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
