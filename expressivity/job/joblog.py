"""What a job tells its user while it runs: progress of long training, and how it ended.

Everything goes through the ``expressivity`` logger, which Hydra's job logging
writes to the console and to ``<output dir>/<job name>.log``. On a terminal
(stderr is a tty) a progress line is also redrawn in place on stderr as chunks of
members train: epochs, members fitted, and an ETA. In a log only a line every
``every`` seconds is written, so a long job leaves a few lines, not thousands.
"""
import logging
import sys
import threading
import time

from hydra.experimental.callback import Callback

from expressivity.job.failure import explain_failure
from expressivity.job.progress import clock

log = logging.getLogger("expressivity")
REDRAW_SECONDS = 0.2   # a terminal line is redrawn at most this often


class TrainingProgress:
    """Collects ``chunk`` reports from ``train`` and shows them.

    Parameters
    ----------
    label : what is trained, e.g. 'width 8' (in every line)
    members : population size P (all restarts)
    max_epochs : the epoch budget of every member
    stream : where the terminal line goes (default stderr; only if it is a tty)
    every : seconds between log lines when not on a terminal
    now : the clock (seconds, monotonic); tests pass a fake one
    """

    def __init__(self, label, members, max_epochs, stream=None, every=30.0, now=time.monotonic):
        self.label, self.members, self.max_epochs = label, members, max(max_epochs, 1)
        self.stream = stream if stream is not None else sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.every, self.now = every, now
        self.start = now()
        self.last_line = self.start - every   # the first report is shown at once
        self.chunks = {}   # chunk start -> (members, epochs done, fitted, finished)
        self.lock = threading.Lock()

    def chunk(self, start, members, epoch, fitted, finished):
        """One chunk of ``members`` members reached ``epoch`` with ``fitted`` of them fitted."""
        with self.lock:
            self.chunks[start] = (members, self.max_epochs if finished else epoch, fitted, finished)
            elapsed = self.now() - self.start
            if self.tty:
                if elapsed - (self.last_line - self.start) >= REDRAW_SECONDS or finished:
                    self.last_line = self.now()
                    self.stream.write("\r" + self.line(elapsed) + "\x1b[K")
                    self.stream.flush()
            elif elapsed - (self.last_line - self.start) >= self.every:
                self.last_line = self.now()
                log.info(self.line(elapsed))

    def line(self, elapsed):
        """'width 8: epoch 300/1000, 47/100 members fitted, 0:12 elapsed, ETA 0:28'.

        The epoch is the least reached by any chunk still training; the ETA assumes the
        remaining member-epochs go as fast as the ones done (an upper bound: members that
        fit stop early).
        """
        fitted = sum(c[2] for c in self.chunks.values())
        done = sum(c[0] * c[1] for c in self.chunks.values())
        total = self.members * self.max_epochs
        running = [c[1] for c in self.chunks.values() if not c[3]]
        epoch = min(running) if running else self.max_epochs
        text = (f"{self.label}: epoch {epoch}/{self.max_epochs}, {fitted}/{self.members} "
                f"members fitted, {clock(elapsed)} elapsed")
        if 0 < done < total:
            text += f", ETA {clock(elapsed / done * (total - done))}"
        return text

    def close(self):
        """Clear the terminal line; log the final count."""
        if self.tty:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
        fitted = sum(c[2] for c in self.chunks.values())
        log.info(f"{self.label}: {fitted}/{self.members} members fitted in "
                 f"{clock(self.now() - self.start)}")


def start_training(widths, sizes, restarts, max_epochs):
    """Log what is about to train; the ``TrainingProgress`` to pass to ``train``."""
    log.info(f"training {restarts} members of sizes {list(sizes)} for up to {max_epochs} epochs")
    return TrainingProgress(f"widths {list(widths)}", restarts, max_epochs)


def task_label(task, choice=None):
    """'parity n=4', or 'xor (parity n=2)' when the task was chosen by another name."""
    own = f"{task['name']} n={task['n']}"
    return own if not choice or choice == task["name"] else f"{choice} ({own})"


def summary_line(record, choice=None):
    """One line for the end of a job: what ran and what came out, e.g.
    'parity n=4, widths [8]: success_rate=0.47, best_loss=0.0012, … (2.1 s)'; ``choice`` is
    the task's name as the user chose it (Hydra's ``task=xor``)."""
    task, summary = record["task"], record["summary"]
    cached = ", from the cache" if record["timing"].get("cached") else ""
    if "rows" in record:
        return (f"construction {task['construction']}: {summary['rows']} rows "
                f"({record['timing']['seconds']:.1f} s{cached})")
    widths = [p["widths"] for p in record["probes"]]
    shown = ", ".join(f"{k}={_short(v)}" for k, v in summary.items())
    return (f"{task_label(task, choice)}, widths {widths[0] if len(widths) == 1 else widths}: "
            f"{shown} ({record['timing']['seconds']:.1f} s{cached})")


def _short(value):
    return f"{value:.4g}" if isinstance(value, float) else value


def log_job_end(record, path, choice=None):
    """Log the summary line, what it means when no restart fitted, and the record's path."""
    log.info(summary_line(record, choice))
    why = explain_failure(record)
    if why:
        log.warning(f"no restart fitted: {why}")
    log.info(f"record: {path}")


# Launchers whose jobs log in other processes, where the console does not show them
# (submitit: .submitit/<id>/<id>_log.out; Ray: the workers' own logs).
REMOTE_LAUNCHERS = ("submitit", "ray")


def sweep_summaries(sweep_dir):
    """Every job's summary line (and what it means when it fitted nothing) of a sweep folder,
    in job order; records that cannot be read are named."""
    from expressivity.storage.records import read_folder
    records, problems = read_folder(sweep_dir)
    lines = []
    for folder, record in records:
        lines.append(f"job {folder.name}: {summary_line(record)}")
        why = explain_failure(record)
        if why:
            lines.append(f"job {folder.name}: no restart fitted: {why}")
    lines += [f"unreadable record: {path}: {reason}" for path, reason in problems]
    return lines


class ConsoleSummaries(Callback):
    """Hydra callback (``hydra.callbacks.console_summaries`` in conf/config.yaml): when a
    multirun whose jobs ran elsewhere ends (submitit, Ray), print each job's summary line on
    the console, as the basic and joblib launchers show them while they run."""

    def on_multirun_end(self, config, **kwargs):
        target = str(config.hydra.launcher.get("_target_", "")).lower()
        if any(name in target for name in REMOTE_LAUNCHERS):
            for line in sweep_summaries(config.hydra.sweep.dir):
                print(f"[expressivity] {line}", file=sys.stderr, flush=True)
