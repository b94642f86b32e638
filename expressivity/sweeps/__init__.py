"""Sweeps: many jobs at once, checked as a whole before the first one starts.

``launch`` runs a claim's experiment files as Hydra multiruns in child
processes (joblib for several jobs at once); ``validation`` composes and checks
every point of a sweep before any work (the validating sweeper in
``hydra_plugins`` calls it), and ``preflight`` runs the same checks from the command line
before Hydra starts, whatever the sweeper; ``plan`` writes a sweep's job total for progress;
``interrupts`` stops a sweep and every worker it started on SIGINT/SIGTERM.
May import the job, storage and the core; never claims or the report.
"""
