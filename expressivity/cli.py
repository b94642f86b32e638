"""The ``expressivity`` console command: one subcommand per step of the data flow.

    expressivity run [Hydra args…]    one Hydra job or sweep: the arguments go to Hydra
                                      unchanged (-m, --cfg job, --info, --help, -sc …)
    expressivity collect DIR…         sweep folders -> members/curves/jobs CSV tables
    expressivity report               existing sweep folders -> reports/README.md (+ index.html)
    expressivity reproduce            run every claim's sweeps, collect, and write the report
    expressivity explain [--out F]    the essay's example network with numbers: forward pass,
                                      one backprop step, checked by finite differences
    expressivity bench [--quick]      time the trainer against scikit-learn, PyTorch and
                                      NumPy's matmul -> reports/performance.md
    expressivity runs [--root runs]   the sweeps and jobs that ran: experiment, when, jobs,
                                      from the cache, failures, the keys that vary
    expressivity show FOLDER          one sweep's (or job's) summary table and loss curves

Each subcommand is a small function over plain arguments, so tests call it
without a shell.
"""
import argparse
import os
import sys
from pathlib import Path

COMPLETION_FLAGS = ("-sc", "--shell-completion")


def cmd_run(hydra_args):
    """Run Hydra in this process on ``hydra_args`` (a list of str, unchanged); exit code 0.

    Hydra exits by itself (SystemExit) on a bad override or a failed job.
    """
    from expressivity.__main__ import hydra_main
    hydra_main(list(hydra_args), prog=sys.argv[0])
    return 0


def cmd_complete(hydra_args, subcommands):
    """Shell completion. Hydra's completion script calls ``expressivity -sc query=bash`` with
    the line typed so far in ``COMP_LINE``: after ``expressivity run`` Hydra completes the
    overrides (it sees the line without ``run``); in the first word, the subcommands.
    ``-sc install=bash`` prints Hydra's script for this program."""
    if not any(a.startswith("query") for a in hydra_args):
        return cmd_run(hydra_args)
    line = os.environ.get("COMP_LINE", "")
    words = line.split()
    if len(words) >= 2 and words[1] == "run" and (len(words) > 2 or line.endswith(" ")):
        os.environ["COMP_LINE"] = " ".join([words[0], *words[2:]]) + (" " if line.endswith(" ") else "")
        return cmd_run(hydra_args)
    if len(words) <= 2 and not (len(words) == 2 and line.endswith(" ")):
        typed = words[1] if len(words) == 2 else ""
        print(" ".join(name for name in subcommands if name.startswith(typed)))
    return 0


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


def check_out(key, folder):
    """Raise ValueError unless ``folder`` can be created and written (nothing is left behind):
    before any sweep runs or any record is read."""
    from expressivity.job.paths import writable_problem
    problem = writable_problem(key, folder, keep=False)
    if problem:
        raise ValueError(problem)


def cmd_collect(args):
    """Read records below the folders, write the tables, name unreadable records on stderr."""
    from expressivity.storage.collect import collect
    try:
        check_out("--out", args.out)
        results, written = collect(args.dirs, args.out)
    except ValueError as error:
        return _bad_input(error)
    for path, reason in results.problems:
        print(f"unreadable record: {path}: {reason}", file=sys.stderr)
    tables = ", ".join(str(p) for p in written.values() if p) or "no tables (no records found)"
    print(f"collected {len(results.jobs)} jobs, {len(results.members)} member rows, "
          f"{len(results.problems)} unreadable record(s): {tables}", file=sys.stderr)
    return 0


def _report_dir(args):
    """``--out``, or reports/ for the full profile and runs/<profile>/report/ otherwise."""
    from expressivity.report.pages import default_out
    return args.out or str(default_out(args.profile))


def _registry(args):
    """The built-in claims plus every claim folder under each ``--claims-dir`` (None: built-in)."""
    if not args.claims_dir:
        return None
    from expressivity.claims.registry import CLAIMS_DIR, discover
    for folder in args.claims_dir:
        if not Path(folder).is_dir():
            raise ValueError(f"--claims-dir={folder!r} is not a folder; allowed: a folder holding "
                             "claim folders (<id>/claim.yaml and <id>/claim.py)")
    return discover([CLAIMS_DIR, *args.claims_dir])


def cmd_report(args):
    """Analyse every selected claim from existing sweep folders and write the report."""
    from expressivity.analyse import report
    try:
        claims = _claim_ids(args.claims)
        check_out("--out", _report_dir(args))
        return report(runs=args.runs, profile=args.profile, claims=claims, out=_report_dir(args),
                      registry=_registry(args))
    except ValueError as error:
        return _bad_input(error)


def cmd_reproduce(args):
    """Run every selected claim's sweeps, collect, analyse and write the report."""
    from expressivity.sweeps import interrupts
    from expressivity.reproduce import reproduce
    interrupts.install()   # SIGINT/SIGTERM stop the running sweep's whole process group
    try:
        claims = _claim_ids(args.claims)
        check_out("--out", _report_dir(args))   # before the sweeps, not after them
        registry = _registry(args)
        interrupts.guard()     # SIGKILL of this process stops its sweeps too
        return reproduce(profile=args.profile, jobs=args.jobs, claims=claims, out=_report_dir(args),
                         registry=registry, config_dirs=tuple(args.config_dir or ()))
    except ValueError as error:
        return _bad_input(error)


def cmd_bench(args):
    """Time the trainer against its baselines; write reports/performance.md and its CSV."""
    from expressivity.bench import run_bench
    if args.threads is not None and args.threads < 1:
        return _bad_input(f"--threads={args.threads} is not allowed; allowed: a positive integer")
    say = (lambda message: print(message, file=sys.stderr)) if args.verbose else (lambda m: None)
    markdown, table = run_bench(out=args.out, quick=args.quick, threads=args.threads, say=say)
    print(f"wrote {markdown} and {table}", file=sys.stderr)
    return 0


def cmd_explain(args):
    """Print the essay's example with numbers; write it to ``--out`` as Markdown too."""
    from expressivity.explain_cli import explain
    try:
        return explain(x=args.x, y=args.y, lr=args.lr, activation=args.activation, out=args.out)
    except ValueError as error:
        return _bad_input(error)


def cmd_runs(args):
    """List the sweeps and jobs below ``--root`` (default runs/)."""
    from expressivity.browse import list_runs
    return list_runs(args.root)


def cmd_show(args):
    """Print a sweep's (or job's) summary table and write its loss-curve figure."""
    from expressivity.browse import show
    return show(args.target, out=args.out)


CLAIMS_DIR_HELP = ("a folder of your own claim folders (<id>/claim.yaml + <id>/claim.py), "
                   "added to the built-in claims; repeatable")
OUT_HELP = ("report folder (default: reports/ for --profile full, runs/quick/report/ for quick, "
            "so a quick run never overwrites the committed report)")


def build_parser():
    parser = argparse.ArgumentParser(prog="expressivity", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    # `run` never reaches argparse (main passes its arguments to Hydra); listed for --help.
    sub.add_parser("run", add_help=False, help="one Hydra job or sweep; arguments go to Hydra "
                                               "unchanged (-m, --cfg job, --info, --help)")

    collect = sub.add_parser("collect", help="sweep folders -> CSV tables (members, curves, jobs)")
    collect.add_argument("dirs", nargs="+", metavar="DIR", help="sweep folders or result.json")
    collect.add_argument("--out", default="reports/data", help="folder for the tables")
    collect.set_defaults(func=cmd_collect)

    report = sub.add_parser("report", help="analyse existing sweep folders and write the report")
    report.add_argument("--runs", help="folder with one folder per sweep (default runs/<profile>)")
    report.add_argument("--profile", choices=("quick", "full"), default="quick")
    report.add_argument("--claims", help="comma-separated claim ids (default: all)")
    report.add_argument("--out", help=OUT_HELP)
    report.add_argument("--claims-dir", action="append", metavar="DIR", help=CLAIMS_DIR_HELP)
    report.set_defaults(func=cmd_report)

    reproduce = sub.add_parser("reproduce", help="run every claim's sweeps, collect, report")
    reproduce.add_argument("--profile", choices=("quick", "full"), default="quick")
    reproduce.add_argument("--jobs", type=int, default=1, help="parallel jobs per sweep (joblib)")
    reproduce.add_argument("--claims", help="comma-separated claim ids (default: all)")
    reproduce.add_argument("--out", help=OUT_HELP)
    reproduce.add_argument("--claims-dir", action="append", metavar="DIR", help=CLAIMS_DIR_HELP)
    reproduce.add_argument("--config-dir", action="append", metavar="DIR",
                           help="a folder of your own experiment files (DIR/experiment/<sweep>.yaml)")
    reproduce.set_defaults(func=cmd_reproduce)
    bench = sub.add_parser("bench", help="time the trainer against scikit-learn, PyTorch and "
                                         "NumPy's matmul; write reports/performance.md")
    bench.add_argument("--quick", action="store_true", help="tiny sizes: a smoke run, not a measurement")
    bench.add_argument("--out", default="reports", help="report folder (default: reports)")
    bench.add_argument("--threads", type=int, default=None, help="threads (default: all cores)")
    bench.add_argument("--verbose", action="store_true", help="say what is being timed")
    bench.set_defaults(func=cmd_bench)
    runs = sub.add_parser("runs", help="list the sweeps and jobs under runs/: experiment, when, "
                                       "jobs, from the cache, failures, the keys that vary")
    runs.add_argument("--root", default="runs", help="folder to look in (default: runs)")
    runs.set_defaults(func=cmd_runs)
    show = sub.add_parser("show", help="a sweep's or job's summary table and a figure of its "
                                       "loss curves")
    show.add_argument("target", metavar="FOLDER", help="a sweep or job folder (see `runs`)")
    show.add_argument("--out", help="figure path (default: <FOLDER>/loss_curves.png)")
    show.set_defaults(func=cmd_show)
    from expressivity.explain_cli import add_arguments
    add_arguments(sub.add_parser("explain", help="the essay's example network with numbers: "
                                 "forward pass and one backprop step, checked"), cmd_explain)
    return parser


def subcommand_names(parser):
    """The subcommands ``parser`` knows, in the order they were added."""
    actions = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return list(actions[0].choices)


def main(argv=None):
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["run"]:
        return cmd_run(argv[1:])
    parser = build_parser()
    if argv[:1] and argv[0].split("=")[0] in COMPLETION_FLAGS:
        return cmd_complete(argv, subcommand_names(parser))
    args = parser.parse_args(argv)
    return args.func(args) or 0


if __name__ == "__main__":
    sys.exit(main())
