"""The ``expressivity`` console command: one subcommand per step of the data flow.

    expressivity run [overrides…]     one Hydra job (same as python -m expressivity)

Each subcommand is a small function over plain arguments, so tests call it
without a shell.
"""
import argparse
import subprocess
import sys


def cmd_run(args):
    """Pass overrides straight to the Hydra job."""
    return subprocess.call([sys.executable, "-m", "expressivity", *args.overrides])


def build_parser():
    parser = argparse.ArgumentParser(prog="expressivity", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run one Hydra job or sweep (-m): python -m expressivity …")
    run.add_argument("overrides", nargs=argparse.REMAINDER)
    run.set_defaults(func=cmd_run)
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    return args.func(args) or 0


if __name__ == "__main__":
    sys.exit(main())
