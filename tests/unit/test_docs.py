"""The documentation names only what exists: README.md and docs/ against the repository.

A module renamed or moved while the docs still name its old place would send a reader to a
file that is not there. So every repository path the docs name (in backticks, in fenced code,
in a relative link, and in the tree of the README's Design section, whose entries are relative
to the folder above them) must exist, and every dotted module name in backticks
(``bot.updates.polling``, ``storage.members.Roster``) must resolve to a module and the names it
defines. The project explains itself in its own README.md and docs/: no file cites a design
document kept outside the repository.
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
# A token that starts with one of these is a path from the repository root.
ROOTS = ("bot/", "storage/", "scheduler/", "tests/", "benchmarks/", "docs/", "deploy/", ".ci/")
PACKAGES = ("bot", "storage", "scheduler", "tests", "benchmarks")
GLOB = set("*?[]{}<>|…$")  # patterns and placeholders, not paths
FENCE = re.compile(r"^(```|~~~)[^\n]*\n(.*?)^\1[ \t]*$", re.M | re.S)
INLINE = re.compile(r"`([^`]+)`")
LINK = re.compile(r"\]\(([^)\s]+)\)")
DOTTED = re.compile(rf"(?:{'|'.join(PACKAGES)})(?:\.[A-Za-z_]\w*)+")
# In the Design tree: an entry is a folder (``rules/``) or a file (``engine.py``) at the start of
# a line, indented two spaces per level; the text after it may name more files of that folder.
ENTRY = re.compile(r"(?P<indent> *)(?P<name>[\w.-]+/|[\w.-]+\.\w+)(?:\s{2,}(?P<text>.*))?\s*")
WORD = re.compile(r"[\w./-]+")
FILE = re.compile(r"[\w./-]*\w\.(?:py|md|toml|csv|txt|json|sh)")
OPENERS, CLOSERS = "([{\"'", ")]}\"',.;:"  # punctuation around a token in prose
FORBIDDEN = ("DESIGN" + " §", "DESIGN" + ".md")  # in two parts, so this file holds neither


def _clean(token: str) -> str:
    return token.lstrip(OPENERS).rstrip(CLOSERS)


def is_repo_path(token: str) -> bool:
    """Whether a token looks like a path in the repository (not a URL, pattern or sibling)."""
    if "/" not in token or "://" in token or token.startswith(("../", "~")):
        return False
    if GLOB & set(token):
        return False
    return token.startswith(ROOTS) or token.endswith(".py")


def paths_in(text: str) -> list[str]:
    """Repository paths among the whitespace-separated tokens of ``text``."""
    return [t for t in (_clean(raw) for raw in text.split()) if is_repo_path(t)]


def dotted_in(text: str) -> list[str]:
    """Dotted names of the project's packages among the tokens of ``text``."""
    found = []
    for raw in text.split():
        token = _clean(raw.split("(")[0])
        if DOTTED.fullmatch(token) and not GLOB & set(token):
            found.append(token)
    return found


def tree_paths(block: str) -> list[str]:
    """Every path the tree names: its entries, and the files named after them, made whole."""
    found: list[str] = []
    folders: list[tuple[int, str]] = []  # (indent, path) of the folders enclosing the line
    here = ""  # the folder that names in the current text are relative to
    for line in block.splitlines():
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip(" "))
        entry = ENTRY.fullmatch(line)
        deepest = folders[-1][0] + 2 if folders else 0
        text = line
        if entry is not None and indent <= deepest:  # else a description's second line
            while folders and folders[-1][0] >= indent:
                folders.pop()
            parent = folders[-1][1] if folders else ""
            path = parent + entry["name"]
            found.append(path)
            if path.endswith("/"):
                folders.append((indent, path))
            here = path if path.endswith("/") else parent
            text = entry["text"] or ""
        for word in WORD.findall(text):
            name = word.rstrip(".")
            if name.startswith(("/", "../")) or not (name.endswith("/") or FILE.fullmatch(name)):
                continue  # a command (/lapor), a sibling folder, or prose
            found.append(name if name.startswith(ROOTS) else here + name)
    return found


def design_tree(readme: str) -> str:
    """The first fenced block of the README's ``## Design`` section."""
    section = readme.split("\n## Design\n", 1)[1].split("\n## ", 1)[0]
    block = FENCE.search(section)
    assert block is not None, "the Design section has no tree"
    return block.group(2)


def references(doc: Path) -> Iterator[tuple[str, str]]:
    """(kind, name) of every path, module and link target ``doc`` names."""
    text = doc.read_text(encoding="utf-8")
    prose = FENCE.sub("", text)
    for block in FENCE.finditer(text):
        for path in paths_in(block.group(2)):
            yield "path", path
    for span in INLINE.findall(prose):
        for path in paths_in(span):
            yield "path", path
        for name in dotted_in(span):
            yield "module", name
    for target in LINK.findall(prose):
        if "://" in target or target.startswith(("#", "mailto:")):
            continue
        local = (doc.parent / target.split("#")[0]).resolve()
        yield "path", os.path.relpath(local, ROOT)
    if doc.name == "README.md" and doc.parent == ROOT:
        for path in tree_paths(design_tree(text)):
            yield "path", path


@cache
def defined(source: Path, inside: str = "") -> frozenset[str]:
    """Names bound at the top of ``source``, or in the body of its class ``inside``."""
    body: list[ast.stmt] = ast.parse(source.read_text(encoding="utf-8")).body
    if inside:
        classes = [s for s in body if isinstance(s, ast.ClassDef) and s.name == inside]
        body = classes[0].body if classes else []
    names: set[str] = set()
    pending = list(body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, ast.If | ast.Try):
            pending += [*node.body, *node.orelse, *getattr(node, "finalbody", [])]
    return frozenset(names)


def module_problem(name: str, root: Path = ROOT) -> str | None:
    """Why a dotted name does not resolve (None if it does): the longest prefix that is a
    module or package, then at most a top-level name and an attribute of that class."""
    parts = name.split(".")
    for cut in range(len(parts), 0, -1):
        base = root.joinpath(*parts[:cut])
        source = base / "__init__.py" if base.is_dir() else base.with_suffix(".py")
        if source.is_file():
            break
    else:
        return f"no module {parts[0]}"
    rest = parts[cut:]
    module = ".".join(parts[:cut])
    if rest and rest[0] not in defined(source):
        return f"{module} has no module or name {rest[0]}"
    if len(rest) > 1 and rest[1] not in defined(source, rest[0]):
        return f"{module}.{rest[0]} has no {rest[1]}"
    return None


def tracked_files() -> list[Path]:
    """The repository's files: tracked or new, without what git ignores (.venv, caches)."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=ROOT, capture_output=True, check=True, timeout=60).stdout
    except (OSError, subprocess.SubprocessError):  # no git: walk the tree instead
        return walked_files()
    return [ROOT / name for name in listed.decode().split("\0") if name]


def walked_files() -> list[Path]:
    """The files under the root, without virtual environments, caches and build output."""
    skip = {".git", ".venv", "venv", "__pycache__", ".mypy_cache", ".pytest_cache",
            ".ruff_cache", ".hypothesis", "build", "dist"}
    found = []
    for folder, dirs, files in os.walk(ROOT):
        dirs[:] = [d for d in dirs if d not in skip and not d.endswith(".egg-info")]
        found += [Path(folder, name) for name in files]
    return found


# --- the documentation --------------------------------------------------------------------

@pytest.mark.parametrize("doc", DOCS, ids=lambda d: str(d.relative_to(ROOT)))
def test_every_path_and_module_the_docs_name_exists(doc: Path) -> None:
    missing = set()
    for kind, name in references(doc):
        if kind == "path" and not (ROOT / name).exists():
            missing.add(f"{name}: no such file or folder")
        elif kind == "module" and (problem := module_problem(name)) is not None:
            missing.add(f"{name}: {problem}")
    assert sorted(missing) == []


def test_the_docs_are_there_and_name_the_tree() -> None:
    assert {d.name for d in DOCS} >= {"README.md", "design.md", "performance.md"}
    tree = tree_paths(design_tree((ROOT / "README.md").read_text(encoding="utf-8")))
    # The tree's folders are read whole: a parse that lost its nesting would check little.
    assert {"storage/sqlite/engine.py", "bot/updates/polling.py", "tests/support/",
            "bot/handlers/access.py", "docs/design.md"} <= set(tree)


def test_no_file_cites_an_outside_design_document() -> None:
    this = Path(__file__).resolve()
    citing = []
    for path in tracked_files():
        if path.resolve() == this or not path.is_file():
            continue
        content = path.read_bytes()
        citing += [f"{path.relative_to(ROOT)}: {word}" for word in FORBIDDEN
                   if word.encode() in content]
    assert citing == []


# --- the checker itself -------------------------------------------------------------------

def test_paths_are_told_from_urls_patterns_and_prose() -> None:
    text = ("see bot/updates/polling.py, (storage/sqlite/) and .ci/run; tools/x.py too; not "
            "https://x.org/bot/a.py, ../shared/data/w.csv, tests/<layer>/, benchmarks/*.tmp, "
            "id/en, /lapor, t.me/bot")
    assert paths_in(text) == ["bot/updates/polling.py", "storage/sqlite/", ".ci/run",
                              "tools/x.py"]
    assert dotted_in("python -m benchmarks.bench_sweep; storage.outbox.enqueue(tx) botany.x") \
        == ["benchmarks.bench_sweep", "storage.outbox.enqueue"]


def test_a_renamed_module_is_caught(tmp_path: Path) -> None:
    (tmp_path / "storage" / "sqlite").mkdir(parents=True)
    (tmp_path / "storage" / "__init__.py").write_text("")
    (tmp_path / "storage" / "sqlite" / "__init__.py").write_text("")
    (tmp_path / "storage" / "sqlite" / "engine.py").write_text(
        "class Database:\n    def scan(self): ...\n\ndef open_store(): ...\n")
    assert module_problem("storage.sqlite.engine.Database.scan", tmp_path) is None
    assert module_problem("storage.sqlite.engine.open_store", tmp_path) is None
    assert module_problem("storage.sqlite.db", tmp_path) == "storage.sqlite has no module or " \
        "name db"
    assert module_problem("storage.sqlite.engine.Database.fetch", tmp_path) == \
        "storage.sqlite.engine.Database has no fetch"


def test_the_tree_is_read_by_folder() -> None:
    block = (
        "bot/                 the face\n"
        "  handlers/          __init__.py (the registry), access.py;\n"
        "                     one module per feature, see bot/callbacks.py\n"
        "  app.py             wiring\n"
        "storage/             tables: desks.py,\n"
        "                     shifts.py\n"
        "  sqlite/            engine.py\n"
        "tests/\n"
        "  e2e/               subprocesses\n"
    )
    assert tree_paths(block) == [
        "bot/", "bot/handlers/", "bot/handlers/__init__.py", "bot/handlers/access.py",
        "bot/callbacks.py", "bot/app.py", "storage/", "storage/desks.py", "storage/shifts.py",
        "storage/sqlite/", "storage/sqlite/engine.py", "tests/", "tests/e2e/"]
