"""A class at once: many proofs checked in parallel, one summary row each.

Takes files and folders (a folder: every ``.md`` and ``.tex`` below it, sorted);
gives one :class:`Row` per file (steps read, proved, unknown, refuted, the first
wrong step, or the one-line error that made the file unreadable), printed as a
text table, JSON or CSV, for a teacher marking a class's submissions. A file
that cannot be read is a row with its error: the others are still checked.
"""

from __future__ import annotations

import csv
import io
import json
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

#: The files of a folder that are proofs.
SUFFIXES = (".md", ".tex")


@dataclass(frozen=True)
class Row:
    """One file's summary."""

    file: str
    steps: int = 0
    read: int = 0
    proved: int = 0
    unknown: int = 0
    refuted: int = 0
    first_error: int | None = None
    error: str = ""                  # the one-line error of an unreadable file

    @property
    def verdict(self) -> str:
        if self.error:
            return "unreadable"
        if self.refuted:
            return "refuted"
        return "valid" if self.steps and self.proved == self.steps else "not all proved"


def files_of(paths: list[Path]) -> list[Path]:
    """The proof files named, folders expanded (sorted, so the summary is the same on every run)."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix in SUFFIXES))
        else:
            out.append(path)
    return out


def check_file(path: Path) -> Row:
    """One file's row; a SymfisherError becomes the row's error, never an exception."""
    from symfisher.check import check
    from symfisher.errors import SymfisherError
    from symfisher.model.spec import read_text_file

    try:
        report = check(read_text_file(path, "proof file"))
    except SymfisherError as exc:
        return Row(str(path), error=exc.one_line())
    verdicts = [s.verdict.verdict for s in report.steps]
    return Row(str(path), steps=len(verdicts), read=len(verdicts) - len(report.not_read),
               proved=verdicts.count("proved"), unknown=len(verdicts) - verdicts.count("proved")
               - verdicts.count("refuted"), refuted=verdicts.count("refuted"), first_error=report.first_error)


def check_files(paths: list[Path], jobs: int = 2, progress: bool = True) -> list[Row]:
    """Every file's row, in the order given, checked in ``jobs`` worker processes."""
    from tqdm import tqdm

    if jobs <= 1 or len(paths) <= 1:
        return [check_file(p) for p in tqdm(paths, unit="file", disable=not progress)]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        return list(tqdm(pool.map(check_file, paths), total=len(paths), unit="file", disable=not progress))


def render_rows(rows: list[Row], fmt: str) -> str:
    """The summary as a text table, JSON or CSV."""
    fields = ["file", "steps", "read", "proved", "unknown", "refuted", "first_error", "verdict", "error"]
    records = [{**asdict(r), "verdict": r.verdict} for r in rows]
    if fmt == "json":
        return json.dumps(records, ensure_ascii=False, indent=2)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: ("" if v is None else v) for k, v in rec.items()} for rec in records)
        return buffer.getvalue().rstrip("\n")
    width = max([len("file"), *(len(r.file) for r in rows)])
    lines = [f"{'file':<{width}}  steps  read  proved  unknown  refuted  first error  verdict"]
    for r in rows:
        lines.append(f"{r.file:<{width}}  {r.steps:>5}  {r.read:>4}  {r.proved:>6}  {r.unknown:>7}  {r.refuted:>7}  "
                     f"{'' if r.first_error is None else r.first_error:>11}  {r.verdict}"
                     + (f": {r.error}" if r.error else ""))
    refuted = sum(1 for r in rows if r.refuted)
    unreadable = sum(1 for r in rows if r.error)
    lines.append(f"{len(rows)} files: {sum(r.verdict == 'valid' for r in rows)} valid, {refuted} with a refuted "
                 f"step, {unreadable} unreadable")
    return "\n".join(lines)
