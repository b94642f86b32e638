"""The backward pass, written once: the essay's three steps over any memory layout.

Every trainer in this package runs this function; what differs between them is
only how the arrays are laid out (``nn.MLP``: (P, batch, units); the fast
full-batch kernel ``train.folded``: (members, units, rows) with biases folded
into the weights; the per-example kernel ``train.per_example``: members last).
A layout is an object with four methods, each one product in its own layout:

``output_delta(output_gradient)``
    step 1: δ_L = ∂L/∂ŷ ⊙ f_L'(z_L), the output layer's delta.
``send_down(l, delta)``
    step 2, first half: the error δ_l W_lᵀ that layer ``l`` sends to layer ``l - 1``
    (computed from the weights as they were in the forward pass).
``times_derivative(l, error)``
    step 2, second half: δ_l = error ⊙ f_l'(z_l).
``weight_gradient(l, delta)``
    step 3: ∂L/∂W_l = a_{l-1}ᵀ δ_l and ∂L/∂b_l = Σ δ_l (a per-example layout may
    apply the SGD step to layer ``l`` right here: its error has already been sent down).

The activation derivatives come from ``nn.activations`` and the loss
derivatives from ``nn.losses`` (or from in-place kernels that tests check
against them, see ``train.agreement``). A compiled accelerator
(``train.compiled``) repeats these steps in one loop; tests check its numbers
against this function's.
"""


def backward(layout, n_layers, output_gradient, fused=False):
    """Run the three steps of backprop through ``n_layers`` layers of ``layout``.

    Parameters
    ----------
    layout : object with ``output_delta``, ``send_down``, ``times_derivative``,
        ``weight_gradient`` (see the module docstring)
    n_layers : int, number of weight layers L
    output_gradient : array, ∂L/∂ŷ in the layout's shape for the output layer
        (∂L/∂z itself when ``fused``)
    fused : bool, True when the loss and output activation are fused
        (``nn.losses.fused``, e.g. bce on a sigmoid: δ_L = sigmoid(z) - y directly)
    """
    delta = output_gradient if fused else layout.output_delta(output_gradient)   # step 1
    for l in range(n_layers - 1, -1, -1):
        error = layout.send_down(l, delta) if l > 0 else None       # step 2 (δ Wᵀ)
        layout.weight_gradient(l, delta)                            # step 3
        if l > 0:
            delta = layout.times_derivative(l - 1, error)           # step 2 (⊙ f'(z))
