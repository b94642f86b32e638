"""A job's progress lines and its last words: summary and the path of its record."""
import io
import logging

import numpy as np

from expressivity.job.joblog import TrainingProgress, summary_line
from expressivity.nn import MLP
from expressivity.job.runner import run_job
from expressivity.tasks import make_task
from expressivity.train import SGDSettings, train
from tests.support.jobs import compose_job


class Clock:
    def __init__(self):
        self.t = 0.0

    def __call__(self):
        return self.t


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_a_log_gets_a_line_at_most_every_few_seconds_with_an_eta(caplog):
    clock = Clock()
    progress = TrainingProgress("w", members=8, max_epochs=100, stream=io.StringIO(), every=10,
                                now=clock)
    with caplog.at_level(logging.INFO, logger="expressivity"):
        for t, (start, epoch, fitted) in zip((0, 5, 10, 12), ((0, 10, 0), (0, 20, 1), (0, 50, 3),
                                                                (0, 60, 3))):
            clock.t = t
            progress.chunk(start, 4, epoch, fitted, False)
    lines = [r.getMessage() for r in caplog.records]
    # At 10 s, 4 members x 50 epochs of 8 x 100 are done: the other 600 take 30 s more.
    assert lines == ["w: epoch 10/100, 0/8 members fitted, 0:00 elapsed, ETA 0:00",
                     "w: epoch 50/100, 3/8 members fitted, 0:10 elapsed, ETA 0:30"]


def test_a_terminal_line_is_redrawn_in_place_and_cleared_at_the_end(caplog):
    clock, stream = Clock(), Terminal()
    progress = TrainingProgress("w", members=4, max_epochs=10, stream=stream, now=clock)
    with caplog.at_level(logging.INFO, logger="expressivity"):
        progress.chunk(0, 4, 5, 1, False)
        clock.t = 1
        progress.chunk(0, 4, 10, 4, True)
        progress.close()
    assert stream.getvalue() == ("\rw: epoch 5/10, 1/4 members fitted, 0:00 elapsed, ETA 0:00\x1b[K"
                                 "\rw: epoch 10/10, 4/4 members fitted, 0:01 elapsed\x1b[K\r\x1b[K")
    assert [r.getMessage() for r in caplog.records] == ["w: 4/4 members fitted in 0:01"]


class Recorder:
    def __init__(self):
        self.calls = []

    def chunk(self, *args):
        self.calls.append(args)


def test_training_reports_every_chunk_and_changes_no_number():
    task = make_task("parity", n=3)
    settings = SGDSettings(lr=5.0, max_epochs=200, chunk_size=32, record_every=10)

    def fit(progress):
        net = MLP.init((3, 4, 1), ("sigmoid", "sigmoid"), population=70,
                       rng=np.random.default_rng(0))
        return train(net, task.X, task.Y, settings, threshold=task.threshold, progress=progress)

    recorder = Recorder()
    plain, watched = fit(None), fit(recorder)
    assert np.array_equal(plain.final_loss, watched.final_loss)
    assert np.array_equal(plain.fit_epoch, watched.fit_epoch)
    finals = {start: (members, fitted) for start, members, _, fitted, done in recorder.calls if done}
    assert finals.keys() == {0, 32, 64} and [m for m, _ in finals.values()] == [32, 32, 6]
    assert sum(f for _, f in finals.values()) == int((watched.fit_epoch >= 0).sum())
    epochs = [epoch for start, _, epoch, _, done in recorder.calls if start == 0 and not done]
    assert epochs == sorted(epochs) and all(e % 10 == 0 for e in epochs)


def test_a_job_ends_with_its_summary_line_and_the_path_of_its_record(tmp_path, caplog):
    cfg = compose_job("task=xor", "trainer.restarts=4", "trainer.max_epochs=20", "cache_dir=null")
    with caplog.at_level(logging.INFO, logger="expressivity"):
        record = run_job(cfg, tmp_path)
    lines = [r.getMessage() for r in caplog.records]
    assert lines[0] == "training 4 members of sizes [2, 8, 1] for up to 20 epochs"
    assert lines[-3] == summary_line(record)
    assert lines[-3].startswith("parity n=2, widths [8]: restarts=4, success_rate=0,")
    assert lines[-2].startswith("no restart fitted: ")   # 20 epochs: what that means (failure.py)
    assert lines[-1] == f"record: {tmp_path / 'result.json'}"
