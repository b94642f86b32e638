"""One status line per sweep: jobs done / total, elapsed time, and an estimate of the rest."""


def clock(seconds):
    """``seconds`` as m:ss, or h:mm:ss from an hour up (e.g. 75 -> '1:15')."""
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def status(label, done, total, elapsed, eta=True):
    """'label: done/total jobs, m:ss elapsed[, ETA m:ss]'; the ETA assumes the rest go as fast."""
    text = f"{label}: {done}/{total if total else '?'} jobs, {clock(elapsed)} elapsed"
    if eta and total and 0 < done < total:
        text += f", ETA {clock(elapsed / done * (total - done))}"
    return text


class Progress:
    """Writes ``status`` lines to ``stream``.

    On a terminal the line is redrawn in place; in a log (not a terminal) a new
    line is written when the count changes, at most every ``every`` seconds, so
    long runs do not flood the log.
    """

    def __init__(self, label, stream, every=10.0):
        self.label, self.stream, self.every = label, stream, every
        self.tty = bool(getattr(stream, "isatty", lambda: False)())
        self.last_shown, self.last_time = None, -every

    def update(self, done, total, elapsed):
        if self.tty:
            self._write("\r" + status(self.label, done, total, elapsed) + "\x1b[K")
        elif (done, total) != self.last_shown and elapsed - self.last_time >= self.every:
            self._write(status(self.label, done, total, elapsed) + "\n")
            self.last_shown, self.last_time = (done, total), elapsed

    def finish(self, done, total, elapsed, ok=True):
        end = "done" if ok else "FAILED"
        self._write(("\r" if self.tty else "") + status(self.label, done, total, elapsed, eta=False)
                    + f" ({end})" + ("\x1b[K" if self.tty else "") + "\n")

    def _write(self, text):
        self.stream.write(text)
        self.stream.flush()
