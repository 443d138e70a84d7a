"""The scorer's hot modules compiled to C with mypyc (part of mypy), for speed: ``python scoring/_native.py``.

``make install`` (and so ``make demo`` and ``make test``) runs this after installing the package: each module below is
compiled on its own (``separate=True``, so every shared library sits next to its source inside the package) and the
``.so`` files are written beside the ``.py`` files, which Python then imports instead. Without them (a plain ``pip
install``, a fresh worktree) the same modules run as pure Python, with the same verdicts and about 10 % more work a
reply (bench/README.md, run 23).

A compiled module older than its source would run code that is no longer in the file: :func:`stale` names them, and
``import scoring`` refuses to start while any is stale (``make build`` or this script recompiles; ``--clean``
deletes the ``.so`` files, to run from source). It is run as a script, not with ``-m``, so that it never imports
``scoring`` itself.
"""

from __future__ import annotations

import os
import sys
import tempfile
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

__all__ = ["MODULES", "compiled", "main", "stale"]

ROOT = Path(__file__).resolve().parent.parent
# the modules every reply passes through, in their pure-Python form the bulk of a reply's instructions outside the
# regex engine; the criteria are left alone (their parameter models are pydantic classes, and most of their time is
# spent inside compiled regexes anyway)
MODULES = ("scoring/_text.py", "scoring/analysis.py", "scoring/lexicon.py", "scoring/learned.py", "scoring/pii.py",
           "scoring/scorer.py", "scoring/criteria/_lex.py")


def compiled(module: str, root: Path = ROOT) -> list[Path]:
    """The extension files built from ``module`` (a path in :data:`MODULES`): the module and its shared library."""
    src = root / module
    stem = src.with_suffix("")
    return [p for suffix in EXTENSION_SUFFIXES for p in (Path(f"{stem}{suffix}"), Path(f"{stem}__mypyc{suffix}"))
            if p.exists()]


def stale(root: Path = ROOT) -> list[str]:
    """The modules whose compiled form is older than their source (empty when none is compiled, or all are current)."""
    out = []
    for module in MODULES:
        built = compiled(module, root)
        if built and min(p.stat().st_mtime for p in built) < (root / module).stat().st_mtime:
            out.append(module)
    return out


def main(argv: list[str] | None = None) -> int:
    """Compile :data:`MODULES` in place (``--clean`` deletes the compiled files instead)."""
    args = sys.argv[1:] if argv is None else argv
    if "--clean" in args:
        for module in MODULES:
            for p in compiled(module):
                p.unlink()
        print("removed the compiled modules; scoring runs from source")
        return 0
    from mypyc.build import mypycify
    from setuptools import Distribution  # type: ignore[import-untyped]

    os.chdir(ROOT)  # mypyc names the modules by their paths from here, and build_ext writes in place from here
    with tempfile.TemporaryDirectory(prefix="crisisdrill-mypyc-") as tmp:
        ext = mypycify(list(MODULES), separate=True, opt_level="3", target_dir=str(Path(tmp) / "c"))
        dist = Distribution({"name": "crisisdrill-native", "ext_modules": ext})
        cmd = dist.get_command_obj("build_ext")
        cmd.inplace = True
        cmd.build_temp = str(Path(tmp) / "temp")
        cmd.build_lib = str(Path(tmp) / "lib")
        cmd.ensure_finalized()
        cmd.run()
    left = stale()
    if left:
        print(f"still stale after compiling: {', '.join(left)}", file=sys.stderr)
        return 1
    print(f"compiled {len(MODULES)} modules with mypyc")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
