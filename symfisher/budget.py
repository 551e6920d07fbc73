"""Time budgets for symbolic operations that may run long.

SymPy's ``integrate``, ``summation``, ``simplify`` and ``solve`` cannot be
interrupted from inside, and ``signal.alarm`` only works in the main thread.
So a budgeted call runs in a forked child process, which is killed when its
budget runs out; the caller gets :class:`~symfisher.errors.BudgetExceeded` and
goes on. This works from any thread (a notebook, a web server).

Where ``fork`` is unavailable the call runs inline without a limit, and
:func:`enforced` says so.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import sys
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


def run(fn: Callable[..., T], *args: Any, seconds: float | None = None, label: str = "operation",
        **kwargs: Any) -> T:
    """Call ``fn(*args, **kwargs)`` with a time budget.

    Args:
        fn: the function; it and its result must be picklable.
        seconds: the budget (default :func:`default_seconds`).
        label: what the operation is, for the error message.

    Raises:
        BudgetExceeded: when no answer came within the budget.
    """
    seconds = default_seconds() if seconds is None else seconds
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
