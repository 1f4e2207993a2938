"""Work in a forked process beside this one, when that can save time.

A one-off build or check has two CPUs' worth of independent work in places: the bibliography
and some of the claim files parse beside the other claim files, claim pages render beside the
rest of the site, and (in the plugin) MkDocs converts and renders pages beside each other. A
forked child starts with this process's memory, so its inputs are never copied; only its result
comes back, pickled through a pipe. That is why the work that moves is work
whose result is small or plain next to the work of making it: a parsed bibliography (a
5,000-entry library takes 0.9 s to parse and 0.2 s to pickle back), page texts, or parsed claims
(3,300 take about 0.9 s to read and parse and 0.26 s to pickle and unpickle).

Forking is only done where it is safe and pays: on Linux (macOS' system libraries are not
fork-safe, Windows has no fork), with more than one CPU to run on, and with no other thread
running (a thread holding a lock at the fork would leave the child stuck on it; `mkdocs serve`
rebuilds on a thread of its own, so it never forks). Anywhere else, or if the child fails, the
work runs here, in this process, with the same result, and an error in it is raised here.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

T = TypeVar("T")
_HERE = object()  # Pending's default: no fallback, the work runs in this process
R = TypeVar("R")
M = TypeVar("M")


def can_fork() -> bool:
    """Whether a forked child can run beside this process, on a CPU of its own."""
    if sys.platform != "linux" or threading.active_count() > 1:
        return False
    try:
        return len(os.sched_getaffinity(0)) > 1
    except OSError:
        return False


class Pending(Generic[T]):
    """Work started by `start`: `result()` waits for it; leaving a `with` block stops a child still running."""

    def __init__(self, function: Callable[..., T], args: tuple, pid: int | None = None, read_end: int | None = None, fallback: object = _HERE):
        self._function, self._args = function, args
        self._pid, self._read_end = pid, read_end
        self._fallback = fallback

    def result(self) -> T:
        if self._pid is None:
            return self._otherwise()
        with os.fdopen(self._read_end, "rb") as stream:  # read to the end before waiting: a full pipe blocks the child
            self._read_end = None
            data = stream.read()
        _, status = os.waitpid(self._pid, 0)
        self._pid = None
        if status == 0:
            try:
                return pickle.loads(data)
            except (pickle.UnpicklingError, EOFError, AttributeError, ImportError):
                pass
        return self._otherwise()  # the child failed

    def _otherwise(self) -> T:
        # By default the work is done here, where its error is reported as usual.
        return self._function(*self._args) if self._fallback is _HERE else self._fallback

    def close(self) -> None:
        if self._read_end is not None:
            os.close(self._read_end)
            self._read_end = None
        if self._pid is not None:
            try:
                os.kill(self._pid, signal.SIGKILL)
                os.waitpid(self._pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
            self._pid = None

    def __enter__(self) -> Pending[T]:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def start(function: Callable[..., T], *args: object, fork: bool = True, fallback: object = _HERE) -> Pending[T]:
    """Start `function(*args)` in a forked child; with `fork` false, or where forking is not possible,
    it runs when its result is asked for. Its result must pickle.

    With a `fallback`, that is the result instead whenever the child did not deliver one: for work
    that only a child can do, such as rendering with state this process is about to change.
    """
    if not (fork and can_fork()):
        return Pending(function, args, fallback=fallback)
    try:
        read_end, write_end = os.pipe()
    except OSError:
        return Pending(function, args, fallback=fallback)
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return Pending(function, args, fallback=fallback)
    if pid == 0:  # the child: compute, send, and leave without running any of the parent's exit handlers
        status = 1
        try:
            os.close(read_end)
            with os.fdopen(write_end, "wb") as stream:
                pickle.dump(function(*args), stream, protocol=pickle.HIGHEST_PROTOCOL)
            status = 0
        except BaseException:  # noqa: BLE001 - the parent does the work again and reports any error
            pass
        finally:
            os._exit(status)
    os.close(write_end)
    return Pending(function, args, pid, read_end, fallback)


def map_beside(function: Callable[[T], R], items: Sequence[T], meanwhile: Callable[[], M], *, child_share: float) -> tuple[list[R], M]:
    """`([function(item) for item in items], meanwhile())`: the last `child_share` of the items are
    mapped in a forked child when possible, while this process maps the others, then runs `meanwhile`."""
    if len(items) < 2:
        return _map(function, items), meanwhile()
    split = min(max(int(len(items) * (1 - child_share)), 1), len(items) - 1)
    # Where start() cannot fork, the child's share runs here when its result is asked for.
    with start(_map, function, items[split:]) as rest:
        first = _map(function, items[:split])
        other = meanwhile()
        return first + rest.result(), other


def _map(function: Callable[[T], R], items: Sequence[T]) -> list[R]:
    return [function(item) for item in items]
