"""The ``expressivity`` console command: one subcommand per step of the data flow.

    expressivity run [overrides…]     one Hydra job (same as python -m expressivity)
    expressivity bench [--quick]      time the trainer against scikit-learn, PyTorch and
                                      NumPy's matmul -> reports/performance.md

Each subcommand is a small function over plain arguments, so tests call it
without a shell.
"""
import argparse
import subprocess
import sys


def cmd_run(args):
    """Pass overrides straight to the Hydra job."""
    return subprocess.call([sys.executable, "-m", "expressivity", *args.overrides])


def cmd_bench(args):
    """Time the trainer against its baselines; write reports/performance.md and its CSV."""
    from .bench import run_bench
    say = (lambda message: print(message, file=sys.stderr)) if args.verbose else (lambda m: None)
    markdown, table = run_bench(out=args.out, quick=args.quick, threads=args.threads, say=say)
    print(f"wrote {markdown} and {table}", file=sys.stderr)
    return 0


def build_parser():
    parser = argparse.ArgumentParser(prog="expressivity", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run one Hydra job or sweep (-m): python -m expressivity …")
    run.add_argument("overrides", nargs=argparse.REMAINDER)
    run.set_defaults(func=cmd_run)
    bench = sub.add_parser("bench", help="time the trainer against scikit-learn, PyTorch and "
                                         "NumPy's matmul; write reports/performance.md")
    bench.add_argument("--quick", action="store_true", help="tiny sizes: a smoke run, not a measurement")
    bench.add_argument("--out", default="reports", help="report folder (default: reports)")
    bench.add_argument("--threads", type=int, default=None, help="threads (default: all cores)")
    bench.add_argument("--verbose", action="store_true", help="say what is being timed")
    bench.set_defaults(func=cmd_bench)
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    return args.func(args) or 0


if __name__ == "__main__":
    sys.exit(main())
