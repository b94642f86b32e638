"""What one ``expressivity bench`` run measures, full or quick."""
from dataclasses import dataclass


@dataclass(frozen=True)
class Plan:
    members: tuple = (1, 10, 100, 1000)      # this project's population sizes
    epochs: int = 500                        # full-batch epochs (the reference work)
    per_example_epochs: int = 50             # per-example epochs (each is 256 steps)
    per_example_activations: tuple = ("sigmoid",)
    sklearn_restarts: int = 5                # timed one after another, then scaled
    sklearn_per_example_restarts: int = 1
    torch_members: int = 1000
    torch_epochs: int = 200
    growth_members: int = 100
    growth_n: tuple = (8, 10, 12, 14, 16)    # 256 to 65,536 rows
    growth_widths: tuple = (16, 24, 32, 64, 128, 256)
    reference_point: tuple = (12, 24)        # (n, width) whose time per member-epoch is stated
    growth_row_epochs: int = 500 * 256       # epochs x rows per growth point (n sweep)
    gemm_size: int = 2048
    profile_repeats: int = 20
    kernel_epochs: int = 100                 # the headline rows again, OpenBLAS choosing kernels
    # The depth issue's workloads (tanh, full batch, float64): parity at each n and depth with
    # the width search's first width (n) and a wide one; the product on sampled points.
    depth_parity_n: tuple = (10, 12, 14)
    depth_parity_widths: tuple = (0, 32)     # 0: width n
    depths: tuple = (1, 2, 3)
    depth_product_n: tuple = (6, 7)
    depth_product_widths: tuple = (64, 128, 256)
    depth_product_depths: tuple = (1, 2)
    depth_members: int = 32
    depth_flops: float = 4e9                 # matmul FLOPs timed per point (sets its epochs)
    depth_profile_repeats: int = 3


FULL = Plan()
QUICK = Plan(members=(1, 10), epochs=4, per_example_epochs=2, sklearn_restarts=1,
             sklearn_per_example_restarts=1, torch_members=10, torch_epochs=2, growth_members=4,
             growth_n=(4, 5), growth_widths=(4, 8), reference_point=(5, 8), growth_row_epochs=4 * 256, gemm_size=128,
             profile_repeats=2, kernel_epochs=2, depth_parity_n=(4, 5), depth_parity_widths=(0, 6),
             depths=(1, 2), depth_product_n=(3,), depth_product_widths=(8,), depth_product_depths=(1, 2),
             depth_members=4, depth_flops=1e6, depth_profile_repeats=1)
