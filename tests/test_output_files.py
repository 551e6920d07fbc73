"""Issue 13, point 4: what `derive -o` and `booklet` leave on disk, for every kind of target and on failure.

Each test is a reproducer of the issue with its exact command line: the exit code, the lines printed and
the files left on disk (nothing new and nothing changed when a run fails; a device or pipe written through,
never replaced; a symlink followed and kept; a directory means "into it, with the default file name").
"""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from symfisher.cli import main
from symfisher.render.booklet import MANIFEST

ROOT = Path(__file__).resolve().parents[1]
DERIVE = ["derive", "--model", "exponential", "--format", "md", "--no-results", "--date", "2025-08-18"]
FIGURES = ("exponential.loglik.png", "exponential.convergence.png")


def tree(directory: Path) -> dict[str, bytes | str]:
    """Every entry below ``directory``: file bytes, or a tag for links, directories and devices."""
    out: dict[str, bytes | str] = {}
    for path in sorted(directory.rglob("*")):
        mode = path.lstat().st_mode
        key = str(path.relative_to(directory))
        out[key] = (f"link -> {os.readlink(path)}" if stat.S_ISLNK(mode) else "dir" if stat.S_ISDIR(mode)
                    else path.read_bytes() if stat.S_ISREG(mode) else f"node {stat.S_IFMT(mode):o}")
    return out


def one_error_line(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("symfisher: error: "), err
    return lines[0]


def test_existing_directory_means_into_it(tmp_path, monkeypatch, capsys):
    """`derive -o existingdir`: refused but left NAME.loglik.png beside it; now the document goes into it."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "existingdir").mkdir()
    assert main([*DERIVE, "-o", "existingdir"]) == 0
    assert capsys.readouterr().out == f"wrote {Path('existingdir') / 'exponential.en.md'}\n"
    assert sorted(tree(tmp_path)) == ["existingdir", "existingdir/exponential.convergence.png",
                                      "existingdir/exponential.en.md", "existingdir/exponential.loglik.png"]
    text = (tmp_path / "existingdir" / "exponential.en.md").read_text(encoding="utf-8")
    assert all(f"({name})" in text for name in FIGURES)


def test_trailing_slash_means_a_new_directory(tmp_path, monkeypatch, capsys):
    """`derive -o newdir/`: wrote a file named newdir; now newdir/NAME.LANG.md with its figures."""
    monkeypatch.chdir(tmp_path)
    assert main([*DERIVE, "-o", "newdir/"]) == 0
    assert sorted(tree(tmp_path)) == ["newdir", "newdir/exponential.convergence.png", "newdir/exponential.en.md",
                                      "newdir/exponential.loglik.png"]
    assert main(["derive", "--model", "exponential", "--format", "json", "-o", "newdir/"]) == 0
    assert (tmp_path / "newdir" / "exponential.json").read_text(encoding="utf-8").startswith("{")


def test_empty_path_is_refused_and_nothing_is_touched(tmp_path, monkeypatch, capsys):
    """`derive -o ''`: refused, but wrote .loglik.png and .convergence.png (overwriting files of that name)."""
    monkeypatch.chdir(tmp_path)
    for name in (".loglik.png", ".convergence.png", *FIGURES):
        (tmp_path / name).write_bytes(b"mine")
    before = tree(tmp_path)
    assert main([*DERIVE, "-o", ""]) == 2
    captured = capsys.readouterr()
    assert one_error_line(captured.err) == "symfisher: error: -o '': give a file name, a directory, or - for " \
                                           "the terminal"
    assert captured.out == "" and tree(tmp_path) == before


def test_a_failed_render_leaves_existing_figures_as_they_were(tmp_path, monkeypatch, capsys):
    """The figures are drawn before the document is rendered: a template that fails must not replace them."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pack").mkdir()
    (tmp_path / "pack" / "document.md.j2").write_text("{{ no_such_thing }}", encoding="utf-8")
    for name in (*FIGURES, "exponential.md"):
        (tmp_path / name).write_bytes(b"mine")
    before = tree(tmp_path)
    assert main([*DERIVE, "-o", "exponential.md", "--templates", "pack"]) == 2
    assert "no_such_thing" in one_error_line(capsys.readouterr().err)
    assert tree(tmp_path) == before


def test_a_failed_document_rename_puts_the_old_figures_back(tmp_path, monkeypatch, capsys):
    """All or nothing: when the document cannot be put in place, the figures already moved are rolled back."""
    from symfisher.render import output

    monkeypatch.chdir(tmp_path)
    for name in (*FIGURES, "exponential.md"):
        (tmp_path / name).write_bytes(b"mine")
    before = tree(tmp_path)
    real_replace = os.replace

    def replace(src, dst):
        if str(dst).endswith("exponential.md"):
            raise OSError(28, "No space left on device")
        return real_replace(src, dst)
    monkeypatch.setattr(output.os, "replace", replace)
    assert main([*DERIVE, "-o", "exponential.md"]) == 2
    assert "No space left on device" in one_error_line(capsys.readouterr().err)
    assert tree(tmp_path) == before


def test_a_parent_that_is_a_file_is_refused_and_nothing_is_left(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "afile").write_bytes(b"mine")
    before = tree(tmp_path)
    assert main([*DERIVE, "-o", "afile/doc.md"]) == 2
    assert "afile" in one_error_line(capsys.readouterr().err)
    assert tree(tmp_path) == before


def test_a_new_parent_directory_is_removed_when_the_run_fails(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pack").mkdir()
    (tmp_path / "pack" / "document.md.j2").write_text("{{ no_such_thing }}", encoding="utf-8")
    before = tree(tmp_path)
    assert main([*DERIVE, "-o", "new/deeper/doc.md", "--templates", "pack"]) == 2
    one_error_line(capsys.readouterr().err)
    assert tree(tmp_path) == before


def test_a_character_device_is_written_through(tmp_path, monkeypatch, capsys):
    """`-o /dev/null` replaced the node with a regular file (shown on a private mknod copy): now written through."""
    monkeypatch.chdir(tmp_path)
    null = tmp_path / "null"
    try:
        os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except (PermissionError, OSError) as exc:
        pytest.skip(f"cannot make a device node here: {exc}")
    assert main([*DERIVE, "-o", str(null)]) == 0
    assert stat.S_ISCHR(null.lstat().st_mode) and null.lstat().st_rdev == os.makedev(1, 3)
    assert capsys.readouterr().out == ""                   # the document went to the device; no figures beside it
    assert sorted(tree(tmp_path)) == ["null"]
    assert main([*DERIVE, "-o", "/dev/null"]) == 0
    assert stat.S_ISCHR(os.lstat("/dev/null").st_mode)


def test_dev_stdout_is_written_through(tmp_path):
    """`-o /dev/stdout`: the document on standard output, byte for byte as `-o -` gives it; no figures."""
    through = subprocess.run([sys.executable, "-m", "symfisher", *DERIVE, "-o", "/dev/stdout"], cwd=tmp_path,
                             capture_output=True, timeout=300, env={**os.environ, "PYTHONPATH": str(ROOT)})
    dash = subprocess.run([sys.executable, "-m", "symfisher", *DERIVE, "-o", "-"], cwd=tmp_path,
                          capture_output=True, timeout=300, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert through.returncode == 0 and through.stderr == b"", through.stderr
    assert through.stdout == dash.stdout and through.stdout.startswith(b"---")
    assert list(tmp_path.iterdir()) == []


def test_a_fifo_is_written_through(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    assert main([*DERIVE, "-o", str(fifo)]) == 0
    reader.join(60)
    assert received and received[0].startswith(b"---") and b"lambda" in received[0]
    assert stat.S_ISFIFO(fifo.lstat().st_mode) and sorted(tree(tmp_path)) == ["pipe"]


def test_a_symlink_is_followed_and_kept(tmp_path, monkeypatch, capsys):
    """`-o link.md` replaced the link by a regular file: now its target is replaced (atomically), the link kept."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "store").mkdir()
    (tmp_path / "store" / "real.md").write_text("old", encoding="utf-8")
    (tmp_path / "link.md").symlink_to(Path("store") / "real.md")
    (tmp_path / "dangling.md").symlink_to(Path("store") / "new.md")
    assert main([*DERIVE, "-o", "link.md"]) == 0
    assert main([*DERIVE, "-o", "dangling.md", "--no-figures"]) == 0
    capsys.readouterr()
    assert os.readlink("link.md") == str(Path("store") / "real.md")
    assert os.readlink("dangling.md") == str(Path("store") / "new.md")
    document = (tmp_path / "store" / "real.md").read_text(encoding="utf-8")
    assert document.startswith("---") and "(link.loglik.png)" in document
    assert (tmp_path / "store" / "new.md").read_text(encoding="utf-8").startswith("---")
    # the figures go beside the name the document is opened by (the link), as its relative links expect
    assert sorted(tree(tmp_path)) == ["dangling.md", "link.convergence.png", "link.loglik.png", "link.md", "store",
                                      "store/new.md", "store/real.md"]


def test_a_254_character_file_name_works(tmp_path, monkeypatch, capsys):
    """A legal name: the temporary name and the figures' names must stay within the 255-byte limit too."""
    monkeypatch.chdir(tmp_path)
    name = "a" * 251 + ".md"
    assert main([*DERIVE, "-o", name]) == 0
    capsys.readouterr()
    files = sorted(p.name for p in tmp_path.iterdir())
    assert name in files and len(files) == 3 and all(len(f.encode()) <= 255 for f in files)
    text = (tmp_path / name).read_text(encoding="utf-8")
    assert all(f"({f})" in text for f in files if f.endswith(".png"))


def test_ctrl_c_on_the_booklet_stops_at_once_and_a_rerun_resumes(tmp_path):
    """`timeout -s INT 8 symfisher booklet --format tex`: ran ~60 s (the pool finished every queued model).

    SIGINT goes to the whole process group, as Ctrl-C at a terminal (and timeout) sends it: the run must end
    with one line and exit 130, cancel the queued models (fewer documents than models), stop every worker,
    leave no temporary or half-written file, and a re-run resumes.
    """
    out = tmp_path / "booklet"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    names = ["poisson", "exponential", "bernoulli", "geometric", "rayleigh", "normal", "gamma", "beta", "weibull",
             "laplace", "logistic", "gumbel"]
    command = [sys.executable, "-m", "symfisher", "booklet", "--format", "tex", "-o", str(out), "--jobs", "2",
               "--date", "2025-08-18", *(a for n in names for a in ("--only", n))]
    process = subprocess.Popen(command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               start_new_session=True)
    started = time.monotonic()
    while not list(out.glob("*.en.tex")) and time.monotonic() - started < 240 and process.poll() is None:
        time.sleep(0.1)
    assert process.poll() is None, "the booklet finished before it could be interrupted"
    os.killpg(process.pid, signal.SIGINT)
    try:
        stdout, stderr = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    # (how fast: `python benchmarks/interrupt.py`, about a second; the old pool took ~60 s. Not timed here.)
    # (click starts a new line after the terminal's ^C, as in test_cli)
    assert process.returncode == 130 and stderr.decode().strip() == "symfisher: interrupted", stderr
    time.sleep(0.5)                                # a worker that outlived the parent would still be writing
    with pytest.raises(ProcessLookupError):        # no worker outlives the run
        os.killpg(process.pid, 0)
    left = sorted(p.name for p in out.rglob("*"))
    assert not [n for n in left if n.endswith((".tmp", ".old")) or n.startswith(".symfisher-") and n != MANIFEST]
    assert not (out / "booklet.en.tex").exists()
    documents = {p.name for p in out.glob("*.en.tex")} - {"index.en.tex"}
    assert 0 < len(documents) < len(names)
    for document in documents:                     # every document there is complete
        assert (out / document).read_text(encoding="utf-8").rstrip().endswith(r"\end{document}")
    # the manifest lists what is complete (a document written just before the manifest is rendered again)
    done = set(json.loads((out / MANIFEST).read_text(encoding="utf-8")))
    assert done <= documents and len(documents - done) <= 1
    rerun = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=900)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{len(names) - len(done)} written, {len(done)} unchanged, 0 failed" in rerun.stdout


@pytest.mark.parametrize("target", ["", "afile"])
def test_booklet_target_that_is_not_a_directory_is_refused_at_once(target, tmp_path, monkeypatch, capsys):
    """`booklet -o ''` wrote the booklet into the current directory; `-o afile` failed only after deriving."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "afile").write_bytes(b"mine")
    before = tree(tmp_path)
    assert main(["booklet", "-o", target, "--only", "poisson", "--date", "2025-08-18"]) == 2
    line = one_error_line(capsys.readouterr().err)
    assert line == ("symfisher: error: -o '': give the booklet's directory" if not target
                    else "symfisher: error: cannot write the booklet into afile: it is not a directory")
    assert tree(tmp_path) == before


def test_figures_that_fail_are_one_warning_line_and_the_document_is_written(tmp_path, monkeypatch, capsys):
    """An optional part that fails is a diagnostic: one line on stderr (not Python's two-line warning)."""
    from symfisher.render import figures

    def broken(*args, **kwargs):
        raise ArithmeticError("no sample")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(figures, "_draw", broken)
    assert main([*DERIVE, "-o", "doc.md"]) == 0
    captured = capsys.readouterr()
    assert captured.err == "symfisher: warning: the figures are left out: ArithmeticError: no sample\n"
    assert sorted(tree(tmp_path)) == ["doc.md"]
