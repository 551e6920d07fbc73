"""The booklet: the whole catalogue written up, one document per model plus an index.

Models are derived and rendered in parallel worker processes; the parent writes
every file atomically and keeps a manifest of what each file was made from
(model, language, format, date, symfisher version and templates), so that a
second run skips what is already there and unchanged. A model that fails is
reported and the others go on. For LaTeX, the chapters also go into one book
(``booklet.LANG.tex``) that compiles on its own.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures import TimeoutError as FuturesTimeout
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from symfisher import budget
from symfisher.errors import OutputFileError, SymfisherError
from symfisher.render import FORMATS, document_date, environment, render
from symfisher.render.output import file_target, write_all, write_atomic

MANIFEST = ".symfisher-booklet.json"


@dataclass
class BookletReport:
    written: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    late: list[str] = field(default_factory=list)        # not written: the run's deadline passed first
    index: str = ""
    book: str = ""


def _templates_digest(templates: str | None) -> str:
    """A digest of every template file that could be used (built-in and the user's)."""
    digest = hashlib.sha256()
    env = environment(templates)
    for name in sorted(n for n in env.loader.list_templates() if n.endswith((".j2", ".yaml"))):
        source, _, _ = env.loader.get_source(env, name)
        digest.update(name.encode() + b"\0" + source.encode() + b"\0")
    return digest.hexdigest()


def _input_digest(name: str, spec, lang: str, fmt: str, date: str, templates: str) -> str:
    from symfisher import __version__

    payload = json.dumps([__version__, name, repr(spec), lang, fmt, date, templates], ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


def _ignore_interrupts() -> None:
    """In a worker: Ctrl-C is the parent's to handle (it stops the workers); a worker must not die half-way alone."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _work(name: str, lang: str, fmt: str, date: str, templates: str | None, scratch: str) -> dict:
    """In a worker process: derive and render one model (its document, chapter, figures and index row).

    The worker writes nothing in the booklet's directory: its figures are drawn in
    ``scratch`` (the parent's private directory) and handed back as bytes, so a worker
    stopped half-way (Ctrl-C) leaves no partial file there.
    """
    from symfisher.catalog import catalog
    from symfisher.derive import derive
    from symfisher.model import build_model
    from symfisher.printing import latex

    try:
        # each model has the run's default deadline, so that a booklet without --deadline is bounded too
        # (at most one deadline per model and worker); an explicit --deadline bounds the whole booklet
        with budget.deadline(budget.DEFAULT_DEADLINE):
            d = derive(build_model(catalog()[name]))
        from symfisher.render.figures import draw

        drawn = Path(scratch) / name
        drawn.mkdir()
        figures = draw(d, drawn, name)                 # the same bytes for every language: safe to rewrite
        document = render(d, fmt, lang, date=date, templates=templates, figures=figures)
        chapter = render(d, "chapter", lang, date=date, templates=templates, figures=figures) if fmt == "tex" \
            else ""
        symbols = set(d.model.theta) | {c.symbol for c in d.model.declared} | {d.model.variable}
        fisher = [[None if e is None else latex(e, symbols) for e in row] for row in d.fisher]
        title = (d.model.title_zh if lang == "zh" and d.model.title_zh else d.model.title) or name
        return {"name": name, "document": document, "chapter": chapter, "title": title,
                "parameters": [latex(t, symbols) for t in d.model.theta], "fisher": fisher,
                "figures": {f: (drawn / f).read_bytes() for f in figures.values()}}
    except SymfisherError as exc:
        return {"name": name, "error": exc.one_line()}
    except Exception as exc:  # noqa: BLE001 - one model's bug must not stop the booklet; it is reported
        return {"name": name, "error": f"{type(exc).__name__}: {exc}"}


def build_booklet(directory: str | Path, lang: str = "en", fmt: str = "md", *, date: str | None = None,
                  templates: str | None = None, workers: int | None = None, progress: bool = True,
                  names: list[str] | None = None, deadline: float | None = None) -> BookletReport:
    """Render the catalogue into ``directory``; skip documents whose inputs have not changed.

    With a ``deadline`` (seconds from now), the models not finished by then are cancelled (their
    workers stopped, nothing of theirs written) and listed in ``report.late``; what was finished is
    written with its index, as a complete run would write it, and a re-run resumes.

    Raises:
        RenderError: an unknown format or language, or templates that do not exist.
        OutputFileError: ``directory`` is empty or not a directory.
    """
    from symfisher.catalog import catalog

    if fmt not in ("md", "tex"):
        raise SymfisherError(f"the booklet is made as md or tex, not {fmt!r}")
    # checked before any model is derived: Path('') is the current directory, a file fails only at the end
    if not os.fspath(directory):
        raise OutputFileError("-o '': give the booklet's directory")
    out = Path(directory)
    if out.exists() and not out.is_dir():
        raise OutputFileError(f"cannot write the booklet into {out}: it is not a directory")
    day = document_date(date).isoformat()
    templates_digest = _templates_digest(templates)
    specs = catalog()
    names = names or list(specs)
    manifest_path = out / MANIFEST
    manifest = _read_manifest(manifest_path)
    report = BookletReport()
    rows: dict[str, dict] = {}
    todo = []
    for name in names:
        key = f"{name}.{lang}.{fmt}"
        digest = _input_digest(name, specs[name], lang, fmt, day, templates_digest)
        entry = manifest.get(key)
        if entry and entry.get("digest") == digest and (out / f"{key}").exists() \
                and (fmt != "tex" or (out / f".chapters/{key}").exists()):
            report.skipped.append(name)
            rows[name] = entry["row"]
        else:
            todo.append((name, digest))
    workers = workers or max(1, min(len(todo), os.cpu_count() or 1))
    end = None if deadline is None else time.monotonic() + deadline
    if todo:
        scratch = tempfile.mkdtemp(prefix="symfisher-booklet-")
        pool = ProcessPoolExecutor(max_workers=workers, initializer=_ignore_interrupts)
        bar = tqdm(total=len(todo), desc=f"booklet {lang}.{fmt}", unit="model", disable=not progress)
        try:
            futures = {pool.submit(_work, name, lang, fmt, day, templates, scratch): (name, digest)
                       for name, digest in todo}
            handled = set()
            finished = as_completed(futures, timeout=None if end is None else max(end - time.monotonic(), 0))
            while True:
                try:
                    future = next(finished)
                except StopIteration:
                    break
                except FuturesTimeout:
                    # the run's deadline: what is finished stays, the rest is cancelled (the workers
                    # stopped at once, as for Ctrl-C) and listed as not written
                    report.late = [name for f, (name, _) in futures.items() if f not in handled]
                    _stop(pool)
                    break
                handled.add(future)
                name, digest = futures[future]
                result = future.result()
                bar.update(1)
                if "error" in result:
                    report.failed[name] = result["error"]
                    continue
                key = f"{name}.{lang}.{fmt}"
                # a model's figures, chapter and document go in together, then the manifest says so
                write_all([*((file_target(out / f), data) for f, data in result["figures"].items()),
                           *([(file_target(out / ".chapters" / key), result["chapter"].encode("utf-8"))]
                             if fmt == "tex" else []),
                           (file_target(out / key), result["document"].encode("utf-8"))])
                row = {k: result[k] for k in ("title", "parameters", "fisher")}
                rows[name] = row
                manifest[key] = {"digest": digest, "row": row}
                report.written.append(name)
                write_atomic(manifest_path, json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True))
        except BaseException:
            # Ctrl-C (or any failure): drop the queue and stop the workers now, not after every queued model
            _stop(pool)
            raise
        else:
            if not report.late:
                pool.shutdown()
        finally:
            bar.close()
            shutil.rmtree(scratch, ignore_errors=True)
    ordered = [n for n in names if n in rows]
    not_written = {n: "not written before the run's deadline passed; run again to resume" for n in report.late}
    context = {"rows": [{"name": n, **rows[n]} for n in ordered], "failed": {**report.failed, **not_written}}
    index_text = render_index(context, lang, fmt, day, templates)
    report.index = str(write_atomic(out / f"index.{lang}.{fmt}", index_text))
    if fmt == "tex":
        chapters = [(out / ".chapters" / f"{n}.{lang}.tex").read_text(encoding="utf-8") for n in ordered]
        book = render_index({**context, "chapters": chapters}, lang, "book", day, templates)
        report.book = str(write_atomic(out / f"booklet.{lang}.tex", book))
    return report


def _stop(pool: ProcessPoolExecutor) -> None:
    """Cancel what is queued and end the running workers at once (their work is lost, nothing was written)."""
    # Python 3.14 has pool.terminate_workers(); before it, the workers are only reachable as _processes
    # (read before shutdown, which forgets them)
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.terminate()
    for process in processes:
        process.join(timeout=5)


def _read_manifest(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def render_index(context: dict, lang: str, fmt: str, date: str, templates: str | None) -> str:
    """The index table (md or tex) or the whole book (fmt "book")."""
    from symfisher.render import _TEXT, _tidy
    from symfisher.render.environment import Wording

    env = environment(templates)
    wording = Wording(env, lang, "md" if fmt == "md" else "tex")
    engine = dict(FORMATS["tex"].engines)[lang]

    def say(key: str, **values) -> str:
        return wording.say({"lang": lang}, key, **values)

    template = env.get_template({"md": "index.md.j2", "tex": "index.tex.j2", "book": "booklet.tex.j2"}[fmt])
    return _tidy(template.render({**context, "say": say, "date": date, "lang": lang, "engine": engine,
                                  "text": _TEXT[(wording.fmt, engine == "xelatex")]}))
