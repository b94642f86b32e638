"""The ``expressivity`` console command: one subcommand per step of the data flow.

    expressivity run [overrides…]     one Hydra job (same as python -m expressivity)
    expressivity collect DIR…         sweep folders -> members/curves/jobs CSV tables
    expressivity report               existing sweep folders -> reports/README.md (+ index.html)
    expressivity reproduce            run every claim's sweeps, collect, and write the report
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


def _bad_input(error):
    print(f"expressivity: error: {error}", file=sys.stderr)
    return 2


def _claim_ids(text):
    """The ids in a --claims value; None when it is not given. A value naming no id is an error."""
    if text is None:
        return None
    ids = [c.strip() for c in text.split(",") if c.strip()]
    if not ids:
        raise ValueError(f"--claims={text!r} is not allowed; allowed: comma-separated claim ids")
    return ids


def cmd_collect(args):
    """Read records below the folders, write the tables, name unreadable records on stderr."""
    from .collect import collect
    try:
        results, written = collect(args.dirs, args.out)
    except ValueError as error:
        return _bad_input(error)
    for path, reason in results.problems:
        print(f"unreadable record: {path}: {reason}", file=sys.stderr)
    tables = ", ".join(str(p) for p in written.values() if p) or "no tables (no records found)"
    print(f"collected {len(results.jobs)} jobs, {len(results.members)} member rows, "
          f"{len(results.problems)} unreadable record(s): {tables}", file=sys.stderr)
    return 0


def cmd_report(args):
    """Analyse every selected claim from existing sweep folders and write the report."""
    from .analyse import report
    try:
        claims = _claim_ids(args.claims)
        return report(runs=args.runs, profile=args.profile, claims=claims, out=args.out)
    except ValueError as error:
        return _bad_input(error)


def cmd_reproduce(args):
    """Run every selected claim's sweeps, collect, analyse and write the report."""
    from . import interrupts
    from .reproduce import reproduce
    interrupts.install()   # SIGINT/SIGTERM stop the running sweep's whole process group
    try:
        return reproduce(profile=args.profile, jobs=args.jobs, claims=_claim_ids(args.claims),
                         out=args.out)
    except ValueError as error:
        return _bad_input(error)


def cmd_bench(args):
    """Time the trainer against its baselines; write reports/performance.md and its CSV."""
    from .bench import run_bench
    if args.threads is not None and args.threads < 1:
        return _bad_input(f"--threads={args.threads} is not allowed; allowed: a positive integer")
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

    collect = sub.add_parser("collect", help="sweep folders -> CSV tables (members, curves, jobs)")
    collect.add_argument("dirs", nargs="+", metavar="DIR", help="sweep folders or result.json")
    collect.add_argument("--out", default="reports/data", help="folder for the tables")
    collect.set_defaults(func=cmd_collect)

    report = sub.add_parser("report", help="analyse existing sweep folders and write the report")
    report.add_argument("--runs", help="folder with one folder per sweep (default runs/<profile>)")
    report.add_argument("--profile", choices=("quick", "full"), default="quick")
    report.add_argument("--claims", help="comma-separated claim ids (default: all)")
    report.add_argument("--out", default="reports", help="report folder")
    report.set_defaults(func=cmd_report)

    reproduce = sub.add_parser("reproduce", help="run every claim's sweeps, collect, report")
    reproduce.add_argument("--profile", choices=("quick", "full"), default="quick")
    reproduce.add_argument("--jobs", type=int, default=1, help="parallel jobs per sweep (joblib)")
    reproduce.add_argument("--claims", help="comma-separated claim ids (default: all)")
    reproduce.add_argument("--out", default="reports", help="report folder")
    reproduce.set_defaults(func=cmd_reproduce)
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
