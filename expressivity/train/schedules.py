"""Step-size schedules: ``name(lr, epoch, tau, gamma, step_every) -> step size``.

``epoch`` counts completed epochs (0 for the first).
"""


def constant(lr, epoch, tau, gamma, step_every):
    return lr


def inverse_time(lr, epoch, tau, gamma, step_every):
    """η₀ / (1 + t/τ): the classic Robbins–Monro decay."""
    return lr / (1.0 + epoch / tau)


def exponential(lr, epoch, tau, gamma, step_every):
    return lr * gamma ** epoch


def step(lr, epoch, tau, gamma, step_every):
    """Multiply by γ every ``step_every`` epochs."""
    return lr * gamma ** (epoch // step_every)


SCHEDULES = {"constant": constant, "inverse_time": inverse_time,
             "exponential": exponential, "step": step}
