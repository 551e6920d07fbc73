"""Time budgets stop long symbolic work, also off the main thread."""

from __future__ import annotations

import threading
import time

import pytest
import sympy as sp

from symfisher import budget
from symfisher.errors import BudgetExceeded


def slow(seconds: float) -> str:
    time.sleep(seconds)
    return "done"


def failing() -> None:
    raise ValueError("from the worker")


def test_budget_returns_the_result():
    x = sp.Symbol("x")
    assert budget.run(sp.integrate, sp.exp(-x), (x, 0, sp.oo), seconds=30) == 1


def test_budget_stops_a_long_call():
    start = time.monotonic()
    with pytest.raises(BudgetExceeded, match="sleeping: no answer within the time budget of 0.5 s"):
        budget.run(slow, 30, seconds=0.5, label="sleeping")
    assert time.monotonic() - start < 5


def test_budget_passes_exceptions_through():
    with pytest.raises(ValueError, match="from the worker"):
        budget.run(failing, seconds=10)


def test_budget_works_outside_the_main_thread():
    outcome = {}

    def worker():
        try:
            budget.run(slow, 30, seconds=0.5)
        except BudgetExceeded as exc:
            outcome["error"] = exc
        outcome["value"] = budget.run(slow, 0, seconds=10)

    thread = threading.Thread(target=worker)
    start = time.monotonic()
    thread.start()
    thread.join(20)
    assert isinstance(outcome.get("error"), BudgetExceeded) and outcome["value"] == "done"
    assert time.monotonic() - start < 10


def test_nested_budgets_each_report_their_own_expiry():
    def inner_then_outer():
        with pytest.raises(BudgetExceeded, match="inner"):
            budget.run(slow, 30, seconds=0.3, label="inner")
        return budget.run(slow, 0.05, seconds=5, label="inner-ok")

    assert budget.run(inner_then_outer, seconds=10, label="outer") == "done"
    start = time.monotonic()
    with pytest.raises(BudgetExceeded, match="outer"):
        budget.run(lambda: budget.run(slow, 30, seconds=20, label="inner"), seconds=0.4, label="outer")
    assert time.monotonic() - start < 5


def test_budget_interrupts_a_long_sympy_computation():
    x = sp.Symbol("x")
    start = time.monotonic()
    with pytest.raises(BudgetExceeded):
        budget.run(sp.integrate, sp.exp(-x ** 4 + sp.sin(x) ** 3 * sp.log(x + 2)), (x, 0, sp.oo), seconds=0.5)
    assert time.monotonic() - start < 5


def swallowing(seconds: float) -> str:
    """Code that catches everything once, as some SymPy internals do, then goes on working."""
    try:
        time.sleep(seconds)
    except BaseException:  # noqa: BLE001 - the point of the test
        pass
    time.sleep(seconds)
    return "finished"


def test_budget_survives_code_that_swallows_the_interrupt():
    start = time.monotonic()
    with pytest.raises(BudgetExceeded):
        budget.run(swallowing, 30, seconds=0.3)
    assert time.monotonic() - start < 5
