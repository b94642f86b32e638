"""Progress lines: clock format, ETA, and a log that is not flooded."""
import io

from expressivity.job.progress import Progress, clock, status


def test_clock_and_status_with_an_eta_from_the_pace_so_far():
    assert [clock(s) for s in (0, 59.6, 75, 3600, 3725)] == ["0:00", "1:00", "1:15", "1:00:00", "1:02:05"]
    assert status("width", 0, 0, 3) == "width: 0/? jobs, 0:03 elapsed"
    # 3 of 12 jobs in 30 s -> 9 more at 10 s each.
    assert status("width", 3, 12, 30) == "width: 3/12 jobs, 0:30 elapsed, ETA 1:30"
    assert status("width", 12, 12, 40) == "width: 12/12 jobs, 0:40 elapsed"


def test_a_log_gets_a_line_per_change_at_most_every_few_seconds():
    stream = io.StringIO()
    progress = Progress("s", stream, every=10)
    for done, elapsed in ((0, 0.5), (0, 1), (1, 2), (2, 5), (3, 12), (3, 30)):
        progress.update(done, 4, elapsed)
    progress.finish(4, 4, 31, ok=False)
    # 1/4 and 2/4 come within 10 s of the first line; 3/4 at 30 s is no change.
    assert stream.getvalue().splitlines() == [
        "s: 0/4 jobs, 0:00 elapsed", "s: 3/4 jobs, 0:12 elapsed, ETA 0:04",
        "s: 4/4 jobs, 0:31 elapsed (FAILED)"]


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_a_terminal_line_is_redrawn_in_place():
    stream = Terminal()
    progress = Progress("s", stream)
    progress.update(1, 2, 1)
    progress.update(1, 2, 1.2)
    progress.finish(2, 2, 2)
    assert stream.getvalue().count("\r") == 3 and stream.getvalue().endswith("(done)\x1b[K\n")
