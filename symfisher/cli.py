"""The ``symfisher`` command line: the pipeline's stages as subcommands.

Every SymfisherError becomes one line on stderr (plus a LaTeX excerpt with a
caret when the error has a position) and exit code 2; ``--debug`` shows the
traceback instead. Nothing is written when a run fails.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any, Callable

import click
from click.core import ParameterSource

from symfisher import budget
from symfisher.catalog import catalog, catalog_spec
from symfisher.errors import SymfisherError
from symfisher.model import DOMAINS, Model, ModelSpec, build_model, load_model_file, parse_declaration

EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 1       # a bug: one line asking for a report (the traceback with --debug)


def _model_options(command: Callable) -> Callable:
    """The options every model-reading command shares (flags, --file, --model)."""
    options = [
        click.argument("density", required=False),
        click.option("--var", "variable", default=None, help="The variable (default x)."),
        click.option("--param", "params", multiple=True, metavar="NAME:DOMAIN",
                     help=f"A parameter, in order; domains: {', '.join(DOMAINS)}."),
        click.option("--const", "consts", multiple=True, metavar="NAME:DOMAIN",
                     help="A known constant (not differentiated)."),
        click.option("--support", default=None, help=r"Support, e.g. '(0,\infty)' or '\{0,1,\dots,n\}'."),
        click.option("--title", default=None, help="Title of the model."),
        click.option("--file", "model_file", type=click.Path(dir_okay=False), default=None,
                     help="A model file (YAML or TOML) instead of flags."),
        click.option("--model", "model_name", default=None, help="A catalogue model by name."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def spec_from_options(density: str | None, variable: str | None, params: tuple[str, ...],
                      consts: tuple[str, ...], support: str | None, title: str | None,
                      model_file: str | None, model_name: str | None) -> ModelSpec:
    """One ModelSpec from exactly one of: flags, --file, --model.

    Raises:
        SymfisherError: when the sources conflict or are missing.
    """
    flags = density is not None or params or consts or support is not None or variable is not None
    sources = [name for name, given in (("a density with flags", flags), ("--file", model_file),
                                        ("--model", model_name)) if given]
    if len(sources) != 1:
        raise SymfisherError("give the model one way: a density with --param flags, --file FILE, "
                             "or --model NAME" + (f" (got {' and '.join(sources)})" if sources else ""))
    if model_file:
        spec = load_model_file(model_file)
    elif model_name:
        spec = catalog_spec(model_name)
    else:
        if density is None:
            raise SymfisherError("the density is missing: give it as the first argument")
        spec = ModelSpec(
            density=density,
            parameters=tuple(parse_declaration(p, "parameter") for p in params),
            constants=tuple(parse_declaration(c, "constant") for c in consts),
            variable="x" if variable is None else variable,
            **({"support": support} if support is not None else {}),
        )
    return spec.with_title(title) if title else spec


def model_text(model: Model) -> str:
    """A readable summary of a validated model."""
    def declared(items) -> str:
        return ", ".join(f"{d.source} ({d.domain.name})" for d in items) or "none"
    normalization = {"symbolic": "proved symbolically", "numeric": "checked numerically",
                     "unchecked": "not checked"}[model.normalization]
    lines = [
        f"model        {model.title or '(untitled)'}",
        f"variable     {model.variable.name} in {model.support.latex()} "
        f"({'discrete' if model.discrete else 'continuous'})",
        f"parameters   {declared(model.parameters)}",
        f"constants    {declared(model.constants)}",
        f"density      {model.density_source.strip()}",
        f"read as      {model.density}",
        f"normalized   {normalization}",
    ]
    lines += [f"diagnostic   [{d.code}] {d.message}" for d in model.diagnostics]
    return "\n".join(lines)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=None,
              help=f"Seconds for each symbolic operation (default {budget.DEFAULT_SECONDS:g}).")
@click.option("--deadline", type=click.FloatRange(min=0, min_open=True), default=budget.DEFAULT_DEADLINE,
              show_default=True, help="Seconds for the whole run: past them, every symbolic step left "
                                      "is reported as not established (booklet: not applied).")
@click.option("--memory", type=click.FloatRange(min=0, min_open=True), default=budget.DEFAULT_MEMORY_GB,
              show_default=True, metavar="GB", help="Memory ceiling of the run (and its worker processes), "
                                                    "in GB: past it the run stops with one line.")
@click.version_option(package_name="symfisher")
@click.pass_context
def cli(ctx: click.Context, debug: bool, timeout: float | None, deadline: float, memory: float) -> None:
    """symfisher: score, Hessian and Fisher information of a density typed in LaTeX."""
    ctx.obj = {"debug": debug, "memory": memory}
    if timeout is not None:
        budget.set_default_seconds(timeout)
    # lifted again when the command's context closes, so a second run in the same process starts afresh
    ctx.with_resource(budget.deadline(deadline))
    ctx.with_resource(budget.memory_ceiling(memory))


@cli.command()
@_model_options
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def parse(fmt: str, **options: Any) -> None:
    """Read and validate a model; print it."""
    model = build_model(spec_from_options(**options))
    if fmt == "json":
        click.echo(json.dumps(model.as_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(model_text(model))


def derivation_text(derivation) -> str:
    """A readable summary of a derivation: score, Hessian, Fisher matrix, diagnostics."""
    from symfisher.printing import latex

    names = [p.name for p in derivation.model.parameters]
    lines = [f"log p        {derivation.log_density}"]
    lines += [f"score[{n}]{' ' * max(1, 4 - len(n))}{s}" for n, s in zip(names, derivation.score)]
    lines += [f"E[score]     {list(derivation.score_mean)}"]
    for j, row in enumerate(derivation.fisher):
        for k, entry in enumerate(row[j:], start=j):
            shown = "not derived symbolically" if entry is None else f"{entry}    ${latex(entry)}$"
            lines.append(f"F[{names[j]},{names[k]}]{' ' * max(1, 8 - len(names[j]) - len(names[k]))}{shown}")
    lines.append(f"regular      {derivation.regular}")
    lines += [f"diagnostic   [{d.code}] {d.message}" for d in derivation.diagnostics]
    return "\n".join(lines)


#: Where ``derive`` output goes by default: text and JSON to the terminal, documents to output/.
DOCUMENT_FORMATS = ("md", "tex")
DEFAULT_OUTPUT_DIRECTORY = "output"
SUMMARY_SUFFIX = {"text": "txt", "json": "json"}    # the file name in `-o DIR/` for the summaries


def document_name(model_name: str | None, model_file: str | None, title: str | None) -> str:
    """A file name stem for a model: its catalogue name, its file's name, or its title."""
    if model_name:
        return model_name
    if model_file:
        return Path(model_file).stem
    slug = re.sub(r"[^a-z0-9]+", "-", (title or "").lower()).strip("-")[:60]
    return slug or "model"


@cli.command()
@_model_options
@click.option("--format", "fmt", type=click.Choice(["text", "json", *DOCUMENT_FORMATS]), default="text",
              show_default=True, help="text or json: a summary; md or tex: the write-up, like the note.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="en", show_default=True,
              help="Language of the write-up.")
@click.option("-o", "--output", "output", default=None, metavar="PATH",
              help="Write here ('-' for the terminal). Default: the terminal for text and json, "
                   "output/NAME.LANG.md|tex for documents.")
@click.option("--date", default=None, metavar="YYYY-MM-DD",
              help="Date printed in the document (default: SOURCE_DATE_EPOCH, else today).")
@click.option("--templates", "templates", default=None, metavar="DIR",
              type=click.Path(file_okay=False), help="Your templates, searched before the built-in ones.")
@click.option("--results/--no-results", default=True, show_default=True,
              help="Also derive what follows from F: MLE, Cramér–Rao bound, reparametrization, KL.")
@click.option("--figures/--no-figures", default=True, show_default=True,
              help="Draw the figures (PNG files beside the document; not with -o -).")
def derive(fmt: str, lang: str, output: str | None, date: str | None, templates: str | None, results: bool,
           figures: bool, **options: Any) -> None:
    """Derive the score, Hessian and Fisher matrix of a model; write them up."""
    from symfisher.derive import derive as run_derivation
    from symfisher.render import document_date, environment, render, write_atomic
    from symfisher.render.output import output_target

    document_date(date)                            # bad --date, --templates or -o fail before the slow part
    environment(templates)
    model = build_model(spec_from_options(**options))
    name = document_name(options["model_name"], options["model_file"], model.title)
    if output is None and fmt in DOCUMENT_FORMATS:
        output = str(Path(DEFAULT_OUTPUT_DIRECTORY) / f"{name}.{lang}.{fmt}")
    target = None if output is None or output == "-" else \
        output_target(output, f"{name}.{lang}.{fmt}" if fmt in DOCUMENT_FORMATS else f"{name}.{SUMMARY_SUFFIX[fmt]}")
    derivation = run_derivation(model, results=results)
    if fmt == "json":
        text = json.dumps(derivation.as_dict(), ensure_ascii=False, indent=2) + "\n"
    elif fmt == "text":
        text = derivation_text(derivation) + "\n"
    elif figures and target is not None and not target.stream:
        _write_with_figures(derivation, target, fmt, lang, date, templates)
        return
    else:
        text = render(derivation, fmt, lang, date=date, templates=templates)
    if target is None:
        click.echo(text, nl=False)
        return
    write_atomic(target, text)
    if not target.stream:                          # a device or pipe (-o /dev/stdout) gets the document alone
        click.echo(f"wrote {target.named}")


EXIT_REFUTED = 1
DATA_LIMIT = 500_000_000          # a data file: tens of millions of observations


def _read_stdin(limit: int, what: str, like: str) -> str:
    """Standard input as UTF-8 text, refused past ``limit`` bytes as a file of that kind would be.

    Raises:
        InputFileError: larger than the limit, or not UTF-8.
    """
    from symfisher.errors import InputFileError

    # read one byte past the limit, never more: a 20 GB pipe costs limit + 1 bytes of memory
    stream = getattr(sys.stdin, "buffer", None)
    raw = stream.read(limit + 1) if stream is not None else sys.stdin.read(limit + 1).encode("utf-8")
    if len(raw) > limit:
        raise InputFileError(f"standard input: the {what} is larger than {limit:,} bytes (the limit of {like})")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputFileError(f"standard input: not UTF-8 text (byte {exc.start})") from None


@cli.command()
@_model_options
@click.option("--data", "data", required=True, type=click.Path(dir_okay=False, allow_dash=True),
              help="A CSV file of observations ('-' for standard input).")
@click.option("--column", default=None, help="The column to use (by header name or 0-based number).")
@click.option("--value", "values", multiple=True, metavar="NAME=NUMBER", help="The value of a known constant.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def empirical(data: str, column: str | None, values: tuple[str, ...], fmt: str, **options: Any) -> None:
    """The MLE and the empirical, observed and expected Fisher matrices for a sample.

    Constants must lie in their declared domains; a sample too small or degenerate for the MLE, or one
    whose results are not finite, is refused in one line.
    """
    from symfisher.derive import derive as run_derivation
    from symfisher.empirical import empirical_fisher, read_sample
    from symfisher.model.spec import read_text_file

    text = _read_stdin(DATA_LIMIT, "data", "a data file") if data == "-" else \
        read_text_file(Path(data), "data file", limit=DATA_LIMIT)
    sample = read_sample(text, data, column)
    constants = {}
    for item in values:
        name, sep, number = item.partition("=")
        try:
            constants[name.strip().lstrip("\\")] = float(number)
        except ValueError:
            raise SymfisherError(f"--value {item!r}: write NAME=NUMBER") from None
        if not sep:
            raise SymfisherError(f"--value {item!r}: write NAME=NUMBER")
    derivation = run_derivation(build_model(spec_from_options(**options)))
    result = empirical_fisher(derivation, sample, constants)
    click.echo(json.dumps(result.as_dict(), indent=2) if fmt == "json" else result.text())


@cli.command()
@click.option("--lang", type=click.Choice(["zh", "en"]), default="en", show_default=True)
@click.option("--format", "fmt", type=click.Choice(["md", "tex"]), default="md", show_default=True)
@click.option("-o", "--output", "directory", default=str(Path(DEFAULT_OUTPUT_DIRECTORY) / "booklet"),
              show_default=True, metavar="DIR", help="Where the documents go.")
@click.option("--date", default=None, metavar="YYYY-MM-DD", help="Date printed in the documents.")
@click.option("--templates", "templates", default=None, metavar="DIR", type=click.Path(file_okay=False),
              help="Your templates, searched before the built-in ones.")
@click.option("--jobs", type=click.IntRange(min=1), default=None, help="Worker processes (default: one per core).")
@click.option("--only", "only", multiple=True, metavar="NAME", help="Only these catalogue models (repeat).")
@click.pass_context
def booklet(ctx: click.Context, lang: str, fmt: str, directory: str, date: str | None, templates: str | None,
            jobs: int | None, only: tuple[str, ...]) -> None:
    """Write up the whole catalogue: one document per model and an index (and, for tex, one book).

    Models already written and unchanged are skipped; a model that fails is reported and the rest go on.
    """
    from symfisher.render import document_date, environment
    from symfisher.render.booklet import build_booklet

    # The booklet derives the catalogue in worker processes, each model with its own operations' budgets
    # (--timeout): the run's deadline bounds the booklet as a whole (past it, the models not finished are
    # cancelled and the rest written). Only when given: the default is sized for one model, not thirty.
    given = ctx.parent is not None and ctx.parent.get_parameter_source("deadline") is not ParameterSource.DEFAULT
    left = budget.remaining() if given else None
    budget.set_deadline(None)
    document_date(date)
    environment(templates)
    names = [catalog_spec(name) and name for name in only] or None      # unknown names fail with a suggestion
    report = build_booklet(directory, lang, fmt, date=date, templates=templates, workers=jobs,
                           progress=sys.stderr.isatty(), names=names,
                           deadline=None if left is None else max(left, 0.0))
    click.echo(f"booklet: {len(report.written)} written, {len(report.skipped)} unchanged, "
               f"{len(report.failed)} failed" + (f", {len(report.late)} not written" if report.late else "")
               + f"; index {report.index}" + (f"; book {report.book}" if report.book else ""))
    if report.late:
        click.echo(f"booklet: the run's deadline (--deadline {ctx.parent.params['deadline']:g} s) passed: not written "
                   f"{', '.join(report.late)} (run again to resume)", err=True)
    for name, message in sorted(report.failed.items()):
        click.echo(f"  failed {name}: {message}", err=True)
    if report.failed:
        ctx.exit(1)


@cli.command("check")
@click.argument("files", nargs=-1, required=True, type=click.Path(allow_dash=True))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "md", "csv"]), default="text",
              show_default=True, help="one file: text (a verdict per step), json (the steps as data) or md (the input "
                                      "annotated); several files or a folder: a summary as text, json or csv.")
@click.option("--jobs", type=click.IntRange(1, 64), default=2, show_default=True,
              help="worker processes when checking several files.")
@click.option("--no-progress", is_flag=True, help="no progress bar when checking several files.")
@click.pass_context
def check_command(ctx: click.Context, files: tuple[str, ...], fmt: str, jobs: int, no_progress: bool) -> None:
    """Check every step of derivations written in Markdown or LaTeX.

    One FILE (or - for standard input): every step with its verdict. Several files or
    a folder (every .md and .tex below it): one summary row per file, checked in parallel.
    Exit code 0 when no step is refuted, 1 when one is, 2 for unreadable input.
    """
    from symfisher.check import check
    from symfisher.check.summary import check_files, files_of, render_rows
    from symfisher.errors import CheckError
    from symfisher.model.spec import MAX_FILE_BYTES as MAX_STDIN, read_text_file

    paths = [Path(f) for f in files]
    if len(files) == 1 and (files[0] == "-" or not paths[0].is_dir()):
        if fmt == "csv":
            raise CheckError("--format csv is for a summary of several files or a folder")
        text = sys.stdin.read(MAX_STDIN + 1) if files[0] == "-" else read_text_file(paths[0], "proof file")
        if files[0] == "-" and len(text) > MAX_STDIN:
            raise CheckError(f"standard input is larger than {MAX_STDIN:,} characters")
        report = check(text)
        if fmt == "json":
            click.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        elif fmt == "md":
            click.echo(report.markdown(), nl=False)
        else:
            click.echo(report.text())
        if report.valid is False:
            ctx.exit(EXIT_REFUTED)
        return
    if "-" in files:
        raise CheckError("standard input (-) can only be checked alone")
    if fmt == "md":
        raise CheckError("--format md annotates one file; a summary is text, json or csv")
    missing = [f for f, p in zip(files, paths) if not p.exists()]
    if missing:
        raise CheckError(f"no such file or folder: {missing[0]}")
    rows = check_files(files_of(paths), jobs=jobs, progress=not no_progress)
    if not rows:
        raise CheckError("no .md or .tex file to check in " + ", ".join(files))
    click.echo(render_rows(rows, fmt))
    if any(r.error for r in rows):
        ctx.exit(2)
    if any(r.refuted for r in rows):
        ctx.exit(EXIT_REFUTED)


def _write_with_figures(derivation, target, fmt: str, lang: str, date: str | None,
                        templates: str | None) -> None:
    """Draw the figures aside, render, and only then put figures and document in place, all or nothing.

    The figures are drawn in a private temporary directory, not beside the document:
    until the document is rendered nothing appears there, and a failure (a template,
    a full disk, Ctrl-C) leaves every file beside it as it was.
    """
    import shutil
    import tempfile
    import warnings

    from symfisher.render import render
    from symfisher.render.figures import draw
    from symfisher.render.output import file_target, write_all

    scratch = Path(tempfile.mkdtemp(prefix="symfisher-figures-"))
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            drawn = draw(derivation, scratch, target.named.name.split(".")[0])
        for warning in caught:                     # figures are optional: why they are missing, in one line
            click.echo(f"symfisher: warning: {str(warning.message).removeprefix('symfisher: ')}", err=True)
        text = render(derivation, fmt, lang, date=date, templates=templates, figures=drawn)
        # figures first, the document last: whoever sees the document finds its figures
        write_all([*((file_target(target.named.parent / name), (scratch / name).read_bytes())
                     for name in drawn.values()), (target, text.encode("utf-8"))])
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    click.echo(f"wrote {target.named}")


@cli.group("catalog")
def catalog_group() -> None:
    """The built-in catalogue of textbook models."""


@catalog_group.command("list")
def catalog_list() -> None:
    """List the catalogue: name, parameters, support, density."""
    for name, spec in catalog().items():
        params = ", ".join(f"{n}:{d}" for n, d in spec.parameters)
        click.echo(f"{name:20} {params:34} {spec.support:24} {' '.join(spec.density.split())}")


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the CLI, turning user errors into one line and exit code 2."""
    args = sys.argv[1:] if argv is None else argv
    debug = "--debug" in args
    previous_budget = budget.default_seconds()     # --timeout applies to this run only
    try:
        code = cli.main(args=args, prog_name="symfisher", standalone_mode=False)
        sys.stdout.flush()                         # a full disk or closed pipe shows here, not at exit
        if isinstance(code, int) and code:         # ctx.exit(1): e.g. a refuted step in check
            return code
    except SymfisherError as exc:
        if debug:
            raise
        click.echo(f"symfisher: error: {exc.one_line()}", err=True)
        for line in exc.details():
            click.echo(line, err=True)
        return EXIT_BAD_INPUT
    except click.UsageError as exc:
        if type(exc).__name__ == "NoArgsIsHelpError" and exc.ctx is not None:  # click >= 8.2
            click.echo(exc.ctx.get_help())
            return 0
        click.echo(f"symfisher: error: {' '.join(exc.format_message().split())} "
                   f"(see symfisher {exc.ctx.command_path.partition(' ')[2] + ' ' if exc.ctx else ''}--help)"
                   .replace("  ", " "), err=True)
        return EXIT_BAD_INPUT
    except click.ClickException as exc:
        click.echo(f"symfisher: error: {' '.join(exc.format_message().split())}", err=True)
        return EXIT_BAD_INPUT
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except (click.Abort, KeyboardInterrupt):
        click.echo("symfisher: interrupted", err=True)
        return 130
    except OSError as exc:
        # the system refused something (a full disk, a closed pipe, a device): not a bug, one line
        if debug:
            raise
        _silence_stdout()
        if isinstance(exc, BrokenPipeError):
            return 141                             # the reader went away (| head): as other Unix tools do
        where = f" ({exc.filename})" if exc.filename else " (standard output)" if _stdout_error(exc) else ""
        click.echo(f"symfisher: error: cannot complete: {exc.strerror or exc}{where}", err=True)
        return EXIT_BAD_INPUT
    except MemoryError:
        # the --memory ceiling (or the machine) ran out: the input is too large, not a bug
        if debug:
            raise
        click.echo("symfisher: error: out of memory: the input needs more than the memory ceiling "
                   "(--memory, default " f"{budget.DEFAULT_MEMORY_GB:g} GB)", err=True)
        return EXIT_BAD_INPUT
    except RecursionError:
        if debug:
            raise
        click.echo("symfisher: error: the input is nested too deeply to read", err=True)
        return EXIT_BAD_INPUT
    except Exception as exc:                       # noqa: BLE001 - anything else is a bug: one line, exit 1
        if debug:
            raise
        message = " ".join(str(exc).split())[:200]
        click.echo(f"symfisher: internal error: {type(exc).__name__}: {message}. This is a bug in symfisher; "
                   "please report it with the command and its input (--debug shows the traceback).", err=True)
        return EXIT_INTERNAL
    finally:
        budget.set_default_seconds(previous_budget)
    return 0


def _stdout_error(exc: OSError) -> bool:
    """Whether an OSError without a file name came from writing standard output."""
    return exc.filename is None and exc.errno is not None


def _silence_stdout() -> None:
    """Point standard output at /dev/null, so that the interpreter's final flush does not fail again."""
    import os
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):   # no real file descriptor (pytest's capture): nothing to do
        pass


def run() -> None:  # console script
    sys.exit(main())
