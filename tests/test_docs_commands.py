"""Every shell command in README.md and docs/*.md runs as written.

What counts as a command
    Each line of a ```sh, ```bash, ```shell or ```console block, joined with the next line
    when it ends in a backslash. In ```console blocks only lines starting with ``$ `` are
    commands (the others are output); elsewhere a leading ``$ `` is dropped. Blank lines and
    lines that are only a comment are not commands.

How a command is run
    With ``bash -o pipefail -c`` from a scratch copy of the repository root: a temp dir
    holding a symlink to each top-level entry of the checkout, so paths such as
    ``geo_events/data/samples/sample_article.txt`` resolve while the files a command writes
    land in the temp dir. The commands of one block share that dir and run in order (a
    later one may read an earlier one's output). ``GEO_EVENTS_CACHE_DIR`` is the session's
    gazetteer dir (built once, by the ``gazetteer`` fixture, before the first command), and
    ``geo-events`` is the script of the interpreter running the tests.

What is checked
    The exit status is 0, or N when the command's comment says ``exits N``. Every file it
    writes (``-o FILE``, ``--output FILE``, ``> FILE``; not ``-``) exists afterwards, is not
    empty and lies in the scratch dir (outputs are removed before the command runs, so an
    earlier command's file does not count).

Commands that are not run -- the one convention
    A command that cannot run here says why in its own trailing comment, with
    ``not run: <reason>``::

        geo-events gazetteer download SY   # not run: needs the internet
        python -m pytest                   # all tests; not run: includes the docs test

    The test for it is skipped with that reason, so ``pytest -ra`` lists every one. A
    ``not run`` without a reason fails. The single built-in exception is an install step,
    ``pip install -e .`` or ``pip install -e ".[extra]"``: it is never run (it would change
    the environment the tests run in); the test checks instead that this environment is
    what it produces (geo_events imported from this checkout, ``geo-events`` on PATH, the
    extra's requirements installed). Alone it is then skipped; before ``&&`` the rest of the
    chain is run (``pip install -e . && geo-events map --demo -o demo.html`` runs the map).
    Any other command is run: there is no list of exceptions in this file.
"""

from __future__ import annotations

import ast
import importlib.metadata
import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
SHELL_LANGS = {"sh", "bash", "shell", "console"}
TIMEOUT = 300  # seconds per command

_FENCE = re.compile(r"^\s*(`{3,}|~{3,})\s*([\w+-]*)")
_NOT_RUN = re.compile(r"(?:^|[(;,]\s*)not run\b(:?)\s*(.*)$", re.IGNORECASE)
_EXITS = re.compile(r"\bexits? (?:with )?(?:status )?(\d+)\b")
_INSTALL = re.compile(
    r"""^(?:python3? -m )?pip3? install (?:-e|--editable) (["']?)\.(?:\[([\w,-]+)\])?\1$"""
)
_OUTPUT_OPTIONS = {"-o", "--output"}


@dataclass
class Command:
    doc: str  # path relative to the repository root
    line: int  # 1-based line of the command in the doc
    block: int  # 1-based line of the block's opening fence
    text: str  # the command as written, without a prompt, continuations joined
    comment: str = ""
    run: str = ""  # what bash runs: the command without its install steps
    installs: list[str] = field(default_factory=list)
    skip: str = ""  # the reason given with "not run:"
    status: int = 0
    outputs: list[str] = field(default_factory=list)
    problem: str = ""  # why the command breaks the conventions above

    @property
    def id(self) -> str:
        return f"{self.doc}:{self.line}"


def _scan(text: str):
    """Yield (index, char, outside_quotes) for each character of a shell line."""
    quote = ""
    escaped = False
    for i, char in enumerate(text):
        if escaped:
            escaped = False
            yield i, char, False
            continue
        if char == "\\" and quote != "'":
            escaped = True
            yield i, char, False
            continue
        if quote:
            if char == quote:
                quote = ""
            yield i, char, False
            continue
        if char in "'\"":
            quote = char
            yield i, char, False
            continue
        yield i, char, True


def split_comment(text: str) -> tuple[str, str]:
    """Split a shell line into its code and its trailing comment (without the '#')."""
    for i, char, outside in _scan(text):
        if outside and char == "#" and (i == 0 or text[i - 1].isspace()):
            return text[:i].rstrip(), text[i + 1 :].strip()
    return text.rstrip(), ""


def split_and(code: str) -> list[str]:
    """Split a shell line at the ``&&`` outside quotes."""
    parts, start, previous = [], 0, -2
    for i, char, outside in _scan(code):
        if outside and char == "&" and i > 0 and code[i - 1] == "&" and previous != i - 1:
            parts.append(code[start : i - 1].strip())
            start, previous = i + 1, i
    parts.append(code[start:].strip())
    return parts


def written_files(code: str) -> list[str]:
    """Files a command writes: after -o/--output, --output=, > and >> (not '-')."""
    lexer = shlex.shlex(code, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    tokens = list(lexer)
    files = []
    for i, token in enumerate(tokens):
        target = None
        if token in _OUTPUT_OPTIONS or token in (">", ">>"):
            if token.startswith(">") and i > 0 and tokens[i - 1].isdigit():
                continue  # 2> err.txt: a file descriptor other than stdout
            target = tokens[i + 1] if i + 1 < len(tokens) else None
        elif token.startswith("--output="):
            target = token.split("=", 1)[1]
        if target and target != "-":
            files.append(target)
    return files


def _command(doc: str, line: int, block: int, text: str) -> Command:
    cmd = Command(doc, line, block, text)
    code, cmd.comment = split_comment(text)
    marker = _NOT_RUN.search(cmd.comment)
    if marker:
        reason = marker.group(2).strip()
        if "(not run" in cmd.comment.lower() and reason.endswith(")"):
            reason = reason[:-1].strip()
        if not marker.group(1) or not reason:
            cmd.problem = "a command that is not run says why: '# not run: <reason>'"
        cmd.skip = reason
    exits = _EXITS.search(cmd.comment)
    cmd.status = int(exits.group(1)) if exits else 0
    if re.search(r"<<-?\s*['\"]?\w", code):
        cmd.problem = "heredocs are not supported by this test: write the file another way"
    parts = split_and(code)
    cmd.installs = [p for p in parts if re.match(r"(?:python3? -m )?pip3? install\b", p)]
    for install in cmd.installs:
        if not _INSTALL.match(install) and not cmd.skip:
            cmd.problem = (
                f"unknown install step {install!r}: only 'pip install -e .' / "
                "'pip install -e \".[extra]\"' are understood; else mark it 'not run: <reason>'"
            )
    cmd.run = " && ".join(p for p in parts if p not in cmd.installs)
    if not cmd.problem:
        try:
            cmd.outputs = written_files(cmd.run)
        except ValueError as error:  # unbalanced quotes
            cmd.problem = f"cannot parse the command: {error}"
    return cmd


def blocks(path: Path):
    """Yield (fence line, language, [(line number, text), ...]) for each fenced block."""
    fence = None
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        match = _FENCE.match(line)
        if fence is None:
            if match:
                fence, start, lang, body = match.group(1), number, match.group(2).lower(), []
        elif match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
            if not match.group(2):
                yield start, lang, body
                fence = None
        else:
            body.append((number, line))


def collect(path: Path) -> list[Command]:
    doc = path.relative_to(REPO).as_posix()
    commands = []
    for start, lang, body in blocks(path):
        if lang not in SHELL_LANGS:
            continue
        i = 0
        while i < len(body):
            number, raw = body[i]
            text = raw.strip()
            if lang == "console":
                if not text.startswith("$ "):
                    i += 1
                    continue
                text = text[2:]
            elif text.startswith("$ "):
                text = text[2:]
            while text.endswith("\\") and i + 1 < len(body):
                i += 1
                following = body[i][1].strip()
                if lang == "console" and following.startswith("> "):
                    following = following[2:]
                text = text[:-1].rstrip() + " " + following
            i += 1
            if text and not text.startswith("#"):
                commands.append(_command(doc, number, start, text.strip()))
    return commands


COMMANDS = [cmd for doc in DOCS for cmd in collect(doc)]


def _geo_events_bin() -> Path | None:
    """Directory to put first on PATH so that `geo-events` is this interpreter's script."""
    bin_dir = Path(sys.executable).parent
    for name in ("geo-events", "geo-events.exe"):
        if (bin_dir / name).is_file():
            return bin_dir
    found = shutil.which("geo-events")
    return Path(found).parent if found else None


def check_installed(install: str) -> None:
    """Check that this environment is what ``install`` (pip install -e .[extra]) produces."""
    import geo_events

    location = Path(geo_events.__file__).resolve()
    assert location.is_relative_to(REPO), (
        f"{install!r}: geo_events is imported from {location}, not from this checkout"
    )
    assert _geo_events_bin() is not None, f"{install!r}: no geo-events script on PATH"
    match = _INSTALL.match(install)
    extras = match.group(2).split(",") if match and match.group(2) else []
    if not extras:
        return
    from packaging.requirements import Requirement

    missing = []
    for spec in importlib.metadata.requires("geo_events") or []:
        req = Requirement(spec)
        if req.marker is None or not any(req.marker.evaluate({"extra": e}) for e in extras):
            continue
        try:
            version = importlib.metadata.version(req.name)
        except importlib.metadata.PackageNotFoundError:
            missing.append(f"{req} (not installed)")
            continue
        if not req.specifier.contains(version, prereleases=True):
            missing.append(f"{req} (installed {version})")
    assert not missing, f"{install!r}: requirements not met: {', '.join(missing)}"


class Scratch:
    """One scratch copy of the repository root per block; commands run there in order."""

    def __init__(self, factory: pytest.TempPathFactory) -> None:
        self.factory = factory
        self.dirs: dict[tuple[str, int], Path] = {}
        self.ran: set[str] = set()

    def cwd(self, cmd: Command) -> Path:
        key = (cmd.doc, cmd.block)
        if key not in self.dirs:
            root = self.factory.mktemp(re.sub(r"\W+", "-", f"{cmd.doc}-{cmd.block}"))
            for entry in REPO.iterdir():
                if entry.name != ".git":
                    (root / entry.name).symlink_to(entry, target_is_directory=entry.is_dir())
            self.dirs[key] = root
        return self.dirs[key]

    def run(self, cmd: Command) -> subprocess.CompletedProcess[str]:
        cwd = self.cwd(cmd)
        for name in cmd.outputs:
            path = cwd / name
            if path.resolve().is_relative_to(cwd.resolve()) and path.is_file():
                path.unlink()
        env = dict(os.environ)
        bin_dir = _geo_events_bin()
        if bin_dir is not None:
            env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
        self.ran.add(cmd.id)
        return subprocess.run(
            ["bash", "-o", "pipefail", "-c", cmd.run],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
        )


@pytest.fixture(scope="session")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Scratch:
    return Scratch(tmp_path_factory)


def _runs(cmd: Command) -> bool:
    return bool(cmd.run) and not cmd.skip and not cmd.problem


@pytest.mark.parametrize("cmd", COMMANDS, ids=[cmd.id for cmd in COMMANDS])
def test_doc_command(
    cmd: Command, request: pytest.FixtureRequest, gazetteer_dir, scratch: Scratch
) -> None:
    if cmd.problem:
        pytest.fail(f"{cmd.id}: {cmd.problem}\n  {cmd.text}", pytrace=False)
    for install in cmd.installs:
        check_installed(install)
    if cmd.skip:
        pytest.skip(f"{cmd.id} not run: {cmd.skip}")
    if not cmd.run:
        pytest.skip(f"{cmd.id} not run: an install step (checked: this environment is its result)")
    request.getfixturevalue("gazetteer")  # the index, built once, before any command runs
    assert os.environ["GEO_EVENTS_CACHE_DIR"] == str(gazetteer_dir)
    assert _geo_events_bin() is not None, "no geo-events script: pip install -e . first"

    # Earlier commands of the block first, when this one runs alone (pytest -k).
    block = [c for c in COMMANDS if (c.doc, c.block) == (cmd.doc, cmd.block)]
    for earlier in block[: block.index(cmd)]:
        if _runs(earlier) and earlier.id not in scratch.ran:
            scratch.run(earlier)

    result = scratch.run(cmd)
    shown = f"$ {cmd.run}\n--- stdout\n{result.stdout[-3000:]}\n--- stderr\n{result.stderr[-3000:]}"
    assert result.returncode == cmd.status, (
        f"{cmd.id}: exit status {result.returncode}, expected {cmd.status}\n{shown}"
    )
    cwd = scratch.cwd(cmd)
    for name in cmd.outputs:
        path = cwd / name
        assert path.resolve().is_relative_to(cwd.resolve()), (
            f"{cmd.id}: writes {name}, outside the scratch dir (into the checkout?)"
        )
        assert path.is_file(), f"{cmd.id}: {name} was not written\n{shown}"
        assert path.stat().st_size > 0, f"{cmd.id}: {name} is empty\n{shown}"


def test_commands_are_found() -> None:
    """The parser finds the README's commands (a parser bug must not make this test vacuous)."""
    readme = [cmd for cmd in COMMANDS if cmd.doc == "README.md"]
    assert len(readme) >= 10, [cmd.text for cmd in readme]
    assert sum(_runs(cmd) for cmd in COMMANDS) >= 8


def test_readme_starts_with_install_and_test_commands() -> None:
    """The README's first block: install and run the main job; install and run the tests."""
    first = min(cmd.block for cmd in COMMANDS if cmd.doc == "README.md")
    top = [cmd for cmd in COMMANDS if (cmd.doc, cmd.block) == ("README.md", first)]
    assert len(top) == 2, [cmd.text for cmd in top]
    main_job, tests = top
    assert main_job.installs and "geo-events" in main_job.run and not main_job.skip
    assert tests.installs and "pytest" in tests.text


def test_no_untagged_command_blocks() -> None:
    """A block of commands is tagged as shell, or this test would not see it."""
    looks_like_command = re.compile(r"^\s*(\$ |geo-events\b|pip3? install\b|python3? -m\b)")
    untagged = [
        f"{doc.relative_to(REPO)}:{start}"
        for doc in DOCS
        for start, lang, body in blocks(doc)
        if lang in ("", "text", "txt") and any(looks_like_command.match(t) for _, t in body)
    ]
    assert not untagged, f"tag these blocks ```sh (or ```console): {untagged}"


@pytest.mark.parametrize("doc", DOCS, ids=[doc.name for doc in DOCS])
def test_python_blocks_parse(doc: Path) -> None:
    """Python examples are not run, but they are Python."""
    for start, lang, body in blocks(doc):
        if lang in ("python", "py", "pycon"):
            source = "\n".join(text for _, text in body)
            try:
                ast.parse(source)
            except SyntaxError as error:
                pytest.fail(f"{doc.name}:{start + (error.lineno or 0)}: {error.msg}")


@pytest.mark.parametrize(
    ("text", "code", "comment"),
    [
        ("geo-events a -o x.html   # note", "geo-events a -o x.html", "note"),
        ('geo-events search "#1 place" # c', 'geo-events search "#1 place"', "c"),
        ("echo a#b", "echo a#b", ""),
    ],
)
def test_split_comment(text: str, code: str, comment: str) -> None:
    assert split_comment(text) == (code, comment)


def test_parsing_rules() -> None:
    assert split_and('pip install -e ".[test]" && python -m pytest') == [
        'pip install -e ".[test]"',
        "python -m pytest",
    ]
    assert split_and("echo '&&' && true") == ["echo '&&'", "true"]
    assert written_files("cat a.txt | geo-events extract - > out.geojson") == ["out.geojson"]
    assert written_files("geo-events extract a -o - --output=b.csv 2> err.txt") == ["b.csv"]
    chained = _command("X.md", 1, 1, "pip install -e . && geo-events map --demo -o d.html")
    assert chained.installs == ["pip install -e ."] and chained.run.startswith("geo-events map")
    assert chained.outputs == ["d.html"] and not chained.skip and not chained.problem
    marked = _command("X.md", 1, 1, "geo-events gazetteer download SY  # not run: needs the net")
    assert marked.skip == "needs the net"
    assert _command("X.md", 1, 1, "x  # run it (not run: slow)").skip == "slow"
    assert _command("X.md", 1, 1, "x  # not run").problem
    assert not _command("X.md", 1, 1, "x  # does not run slowly").skip
    assert _command("X.md", 1, 1, "pip install requests").problem
    assert _command("X.md", 1, 1, "geo-events search Nowhere  # exits 1").status == 1
