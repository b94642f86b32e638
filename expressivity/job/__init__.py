"""The job: one config in, one result record out.

Owns the structured config and its checks (``config``, ``config_checks``,
``consistency``, ``memory``, ``paths``), where the shipped configs live
(``conf_files``), the runner (``runner``: task, population, trainer or
construction -> record), the searches and tuning it runs (``converged_search``,
``tuning``, ``teacher_job``), what it says about failed members (``diagnose``,
``divergence``), its log and progress line (``joblog``, ``progress``), the
value it returns to a sweeper (``objective``) and how many BLAS threads it may
use (``parallel``). May import the core (nn, train, tasks, theory, exact),
``constructions`` and ``storage``; never sweeps, claims or the report.
"""
