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
from typing import Any, Callable, TypeVar

from symfisher.errors import BudgetExceeded

T = TypeVar("T")

#: Default seconds for one symbolic operation; the CLI's --timeout changes it.
DEFAULT_SECONDS = 10.0

_state = {"seconds": DEFAULT_SECONDS}


def default_seconds() -> float:
    """The budget used when a caller does not give one."""
    return _state["seconds"]


def set_default_seconds(seconds: float) -> None:
    """Set the budget used when a caller does not give one (the CLI's ``--timeout``)."""
    if not seconds > 0:
        raise ValueError("a time budget must be positive")
    _state["seconds"] = float(seconds)


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
    for deadline, token in _deadlines:         # the outermost expired budget wins
        if now >= deadline - 1e-4:
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


def _run_with_alarm(fn: Callable[..., T], args, kwargs, seconds: float, label: str) -> T:
    token = object()
    signal.signal(signal.SIGALRM, _on_alarm)
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
        raise BudgetExceeded(label, seconds) from None


def run(fn: Callable[..., T], *args: Any, seconds: float | None = None, label: str = "operation",
        **kwargs: Any) -> T:
    """Call ``fn(*args, **kwargs)`` with a time budget.

    Args:
        fn: the function; off the main thread it and its result must be picklable.
        seconds: the budget (default :func:`default_seconds`).
        label: what the operation is, for the error message.

    Raises:
        BudgetExceeded: when no answer came within the budget.
    """
    seconds = default_seconds() if seconds is None else seconds
    if _alarm_usable():
        return _run_with_alarm(fn, args, kwargs, seconds, label)
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
            raise BudgetExceeded(label, seconds)
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
