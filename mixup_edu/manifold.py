"""Where a network can be split for Manifold Mixup (Verma et al., "Manifold
Mixup: Better Representations by Interpolating Hidden States", ICML 2019).

Manifold Mixup writes the network as f = g_k ∘ h_k and mixes the hidden
representation h_k(x) instead of the input; k = 0 mixes the inputs, so input
mixup is one of the choices. The loss itself is
``mixup_edu.losses.manifold_mixup_loss``.
"""

from __future__ import annotations

import torch
from torch import nn

from ._checks import check_model


def network_layers(model: nn.Module) -> list[nn.Module]:
    """The layers of ``model`` in the order its forward pass applies them.

    An ``nn.Sequential`` gives its layers; a model with ``features`` and ``classifier`` Sequentials whose
    forward is ``classifier(features(x))``, such as ``SmallCNN``, gives the layers of both.
    """
    model = check_model(model)
    if isinstance(model, nn.Sequential):
        return list(model)
    features, classifier = getattr(model, "features", None), getattr(model, "classifier", None)
    if isinstance(features, nn.Sequential) and isinstance(classifier, nn.Sequential):
        return [*features, *classifier]
    raise TypeError(
        "model must be a network that Manifold Mixup can split into layers: an nn.Sequential, or a model with "
        f"features and classifier Sequentials (like SmallCNN); got {type(model).__name__}"
    )


def split_points(model: nn.Module) -> list[int]:
    """The k where ``model`` may be split into h_k (its first k layers) and g_k: 0, and after every ReLU."""
    return [0] + [i + 1 for i, layer in enumerate(network_layers(model)) if isinstance(layer, nn.ReLU)]


def run_layers(layers: list[nn.Module], h: torch.Tensor) -> torch.Tensor:
    """Apply ``layers`` to ``h`` one after the other."""
    for layer in layers:
        h = layer(h)
    return h
