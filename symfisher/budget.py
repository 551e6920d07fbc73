"""Time budgets for symbolic operations that may run long.

SymPy's ``integrate``, ``summation``, ``simplify`` and ``solve`` cannot be
interrupted from inside. On the main thread a budget is a real-time timer
(``SIGALRM``) that raises in the running code, nested budgets included: the
cheapest way, used by the CLI. Elsewhere (a notebook's worker, a web server's
thread), where signals cannot be delivered, the call runs in a forked child
process that is killed when its budget runs out. Either way the caller gets
:class:`~symfisher.errors.BudgetExceeded` and goes on.

Where neither is available the call runs inline without a limit, and
:func:`enforced` says so.

Over all operations sits the run's deadline (:func:`deadline`, the CLI's
``--deadline``): each operation gets the smaller of its own budget and the time
left, and once the deadline has passed every operation raises at once, so that
a derivation of many steps ends with the rest "not established" instead of
running on. Callers that want a share of the user's budget ask
:func:`seconds_for` rather than hard-coding seconds.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import signal
import sys
import threading
import time
import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Callable, Iterator, TypeVar

from symfisher.errors import BudgetExceeded, DeadlineExceeded

T = TypeVar("T")

#: Default seconds for one symbolic operation; the CLI's --timeout changes it.
DEFAULT_SECONDS = 10.0
#: Default seconds for a whole run of the CLI (--deadline); the Python API has no deadline unless asked.
DEFAULT_DEADLINE = 120.0
#: Default ceiling on the CLI process's address space, in GB (--memory): a typical run peaks near
#: 0.5 GB, while 2^{2^{40}} or a support of 10⁸ points grew past 3-5 GB before they were refused.
DEFAULT_MEMORY_GB = 4.0

_state = {"seconds": DEFAULT_SECONDS}


@dataclass(frozen=True)
class _Deadline:
    end: float          # time.monotonic() when the run must stop
    seconds: float      # the limit as the user gave it, for messages


# One deadline for the process, read by every thread: the run's limit is the run's, whoever computes.
_run: list[_Deadline | None] = [None]


def default_seconds() -> float:
    """The budget used when a caller does not give one."""
    return _state["seconds"]


def set_default_seconds(seconds: float) -> None:
    """Set the budget used when a caller does not give one (the CLI's ``--timeout``)."""
    if not seconds > 0:
        raise ValueError("a time budget must be positive")
    _state["seconds"] = float(seconds)


def set_deadline(seconds: float | None) -> None:
    """Start the run's deadline, ``seconds`` from now (None lifts it).

    Raises:
        ValueError: a limit that is not positive.
    """
    if seconds is not None and not seconds > 0:
        raise ValueError("a deadline must be positive")
    _run[0] = None if seconds is None else _Deadline(time.monotonic() + seconds, float(seconds))


@contextmanager
def deadline(seconds: float | None) -> Iterator[None]:
    """A deadline for the block (None: none added); the previous one comes back afterwards.

    An inner deadline can shorten an outer one, never extend it.

    Raises:
        ValueError: a limit that is not positive.
    """
    previous = _run[0]
    if seconds is not None:
        set_deadline(seconds)
        if previous is not None and previous.end < _run[0].end:
            _run[0] = previous
    try:
        yield
    finally:
        _run[0] = previous


@contextmanager
def memory_ceiling(gigabytes: float | None) -> Iterator[None]:
    """Cap the process's address space (``RLIMIT_AS``) for the block; the previous cap comes back after.

    Past the cap an allocation fails with MemoryError, which the CLI reports in one line, instead of
    the machine swapping or the kernel killing the process. Child processes (budgets' forks, the
    booklet's and the checker's workers) inherit the cap. Only the soft limit is lowered, so it
    can be lifted again; on a platform without ``resource`` nothing is capped.

    Raises:
        ValueError: a ceiling that is not positive.
    """
    if gigabytes is not None and not gigabytes > 0:
        raise ValueError("a memory ceiling must be positive")
    try:
        import resource
    except ImportError:                      # pragma: no cover - Windows
        yield
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    wanted = None if gigabytes is None else int(gigabytes * 2**30)
    if wanted is not None and hard != resource.RLIM_INFINITY:
        wanted = min(wanted, hard)
    if wanted is not None and soft != resource.RLIM_INFINITY:
        wanted = min(wanted, soft)             # an outer ceiling (ulimit -v, a test harness) is kept
    try:
        if wanted is not None:
            resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))
        yield
    finally:
        if wanted is not None:
            resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def remaining() -> float | None:
    """Seconds left before the run's deadline (negative once passed), or None without one."""
    run_deadline = _run[0]
    return None if run_deadline is None else run_deadline.end - time.monotonic()


def seconds_for(fraction: float = 1.0) -> float:
    """A share of the user's per-operation budget, capped by the time left before the deadline.

    Use it instead of fixed seconds: ``budget.run(f, seconds=budget.seconds_for(0.5))``.
    Once the deadline has passed it is 0, and :func:`run` raises at once.
    """
    share = default_seconds() * fraction
    left = remaining()
    return share if left is None else max(0.0, min(share, left))


def _limit(seconds: float, label: str) -> tuple[float, BudgetExceeded]:
    """The seconds an operation may take, and the error it raises when they run out.

    Raises:
        DeadlineExceeded: the run's deadline has already passed.
    """
    run_deadline, left = _run[0], remaining()
    if run_deadline is None or seconds <= left:
        return seconds, BudgetExceeded(label, seconds)
    if left <= 0:
        raise DeadlineExceeded(label, run_deadline.seconds, passed=True)
    return left, DeadlineExceeded(label, run_deadline.seconds)


def enforced() -> bool:
    """True when budgets are enforced (a platform with ``fork``)."""
    return "fork" in multiprocessing.get_all_start_methods()


def _child(conn, fn, args, kwargs) -> None:  # pragma: no cover - runs in the child
    try:
        payload = ("ok", fn(*args, **kwargs))
    except BaseException as exc:  # the parent re-raises it
        payload = ("error", exc)
    try:
        conn.send_bytes(pickle.dumps(payload))
    except Exception as exc:  # unpicklable result
        conn.send_bytes(pickle.dumps(("error", RuntimeError(f"result not transferable: {exc}"))))
    conn.close()
    os._exit(0)


class _Expired(BaseException):
    """Raised by the timer; a BaseException so that no ``except Exception`` in SymPy swallows it."""

    def __init__(self, token: object) -> None:
        super().__init__()
        self.token = token


_deadlines: list[tuple[float, object]] = []   # (monotonic deadline, token), innermost last


def _on_alarm(signum, frame) -> None:  # pragma: no cover - timing dependent
    now = time.monotonic()
    for end, token in _deadlines:              # the outermost expired budget wins
        if now >= end - 1e-4:
            # fire again soon: code with a bare ``except:`` may swallow this one
            signal.setitimer(signal.ITIMER_REAL, 0.05)
            raise _Expired(token)
    _arm()


def _arm() -> None:
    if _deadlines:
        remaining = max(min(d for d, _ in _deadlines) - time.monotonic(), 1e-4)
        signal.setitimer(signal.ITIMER_REAL, remaining)
    else:
        signal.setitimer(signal.ITIMER_REAL, 0)


def _alarm_usable() -> bool:
    return (hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
            and signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, signal.SIG_IGN, None, _on_alarm))


def _forget(token: object) -> None:
    """Drop a budget's deadline and re-arm for the others (idempotent)."""
    _deadlines[:] = [(d, t) for d, t in _deadlines if t is not token]
    _arm()


def _quiet_unraisable(unraisable) -> None:
    """sys.unraisablehook: an alarm that fell in a finalizer (__del__, a gc callback), where Python cannot
    raise, is dropped silently (it fires again 50 ms later); anything else goes to the previous hook."""
    if isinstance(unraisable.exc_value, _Expired):
        return
    _previous_hook[0](unraisable)


_previous_hook: list[Callable[..., None]] = [sys.unraisablehook]


def _run_with_alarm(fn: Callable[..., T], args, kwargs, seconds: float, expired: BudgetExceeded) -> T:
    token = object()
    signal.signal(signal.SIGALRM, _on_alarm)
    if sys.unraisablehook is not _quiet_unraisable:   # else "Exception ignored in …" and a traceback
        _previous_hook[0], sys.unraisablehook = sys.unraisablehook, _quiet_unraisable
    _deadlines.append((time.monotonic() + seconds, token))
    _arm()
    try:
        try:
            return fn(*args, **kwargs)
        finally:
            _forget(token)            # the timer may fire even here: the outer handler sees it
    except _Expired as exc:
        _forget(token)
        if exc.token is not token:
            raise                     # an outer budget ran out: let it reach its owner
        raise expired from None


def run(fn: Callable[..., T], *args: Any, seconds: float | None = None, label: str = "operation",
        **kwargs: Any) -> T:
    """Call ``fn(*args, **kwargs)`` with a time budget, capped by the run's deadline.

    Args:
        fn: the function; off the main thread it and its result must be picklable.
        seconds: the budget (default :func:`default_seconds`).
        label: what the operation is, for the error message.

    Raises:
        BudgetExceeded: when no answer came within the budget; DeadlineExceeded (a
            BudgetExceeded) when the run's deadline came first or had already passed.
    """
    seconds, expired = _limit(default_seconds() if seconds is None else seconds, label)
    if _alarm_usable():
        return _run_with_alarm(fn, args, kwargs, seconds, expired)
    if not enforced():
        return fn(*args, **kwargs)
    ctx = multiprocessing.get_context("fork")
    receiver, sender = ctx.Pipe(duplex=False)
    with warnings.catch_warnings():
        # Python >= 3.12 warns about fork in a threaded process; the child only
        # computes and exits with os._exit, never touching the parent's locks' owners.
        warnings.simplefilter("ignore", DeprecationWarning)
        process = ctx.Process(target=_child, args=(sender, fn, args, kwargs), daemon=True)
        process.start()
    sender.close()
    try:
        if not receiver.poll(seconds):
            raise expired
        try:
            status, value = pickle.loads(receiver.recv_bytes())
        except EOFError:
            raise RuntimeError(f"{label}: the worker process died (exit code {process.exitcode})") from None
    finally:
        receiver.close()
        if process.is_alive():
            process.kill()
        process.join()
    if status == "error":
        raise value
    return value


def run_or_none(fn: Callable[..., T], *args: Any, seconds: float | None = None,
                label: str = "operation", **kwargs: Any) -> T | None:
    """Like :func:`run`, but return None when the budget runs out."""
    try:
        return run(fn, *args, seconds=seconds, label=label, **kwargs)
    except BudgetExceeded:
        return None


if sys.platform == "win32":  # pragma: no cover
    warnings.warn("symfisher: time budgets are not enforced on this platform", RuntimeWarning)
