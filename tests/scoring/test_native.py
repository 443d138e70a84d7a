"""The compiled hot modules (scoring/_native.py): a compiled module older than its source is refused."""

from __future__ import annotations

import os
import subprocess
import sys
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

from scoring import _native


def _tree(tmp_path: Path, *, built_age: float | None) -> Path:
    """A copy of MODULES' layout: every source, and (unless ``built_age`` is None) a fake extension file beside
    scoring/learned.py, ``built_age`` seconds older than its source (negative: newer)."""
    for module in _native.MODULES:
        src = tmp_path / module
        src.parent.mkdir(parents=True, exist_ok=True)
        src.write_text("x = 1\n")
        os.utime(src, (1_000_000, 1_000_000))
    if built_age is not None:
        so = tmp_path / "scoring" / f"learned{EXTENSION_SUFFIXES[0]}"
        so.write_bytes(b"")
        os.utime(so, (1_000_000 - built_age, 1_000_000 - built_age))
    return tmp_path


def test_a_compiled_module_older_than_its_source_is_stale(tmp_path: Path) -> None:
    assert _native.stale(_tree(tmp_path, built_age=60)) == ["scoring/learned.py"]


def test_a_current_or_absent_compiled_module_is_not(tmp_path: Path) -> None:
    assert _native.stale(_tree(tmp_path / "new", built_age=-60)) == []
    assert _native.stale(_tree(tmp_path / "none", built_age=None)) == []


def test_the_shipped_tree_is_not_stale() -> None:
    """`make install` compiles after any change to a compiled module; a stale build would refuse to import."""
    assert _native.stale() == []


def test_import_refuses_a_stale_build(tmp_path: Path) -> None:
    """`import scoring` raises, naming the module and the command, when a compiled module is older than its source:
    checked in a copy of the package whose learned.py is newer than a (fake) build of it."""
    root = Path(_native.__file__).resolve().parent.parent
    pkg = tmp_path / "scoring"
    subprocess.run(["cp", "-r", str(root / "scoring"), str(pkg)], check=True)
    for p in list(pkg.rglob("*.so")):
        p.unlink()
    so = pkg / f"learned{EXTENSION_SUFFIXES[0]}"
    so.write_bytes(b"")
    os.utime(so, (1_000_000, 1_000_000))
    out = subprocess.run([sys.executable, "-c", "import scoring"], cwd=tmp_path, capture_output=True, text=True)
    assert out.returncode != 0
    assert "ImportError" in out.stderr and "scoring/learned.py" in out.stderr and "make build" in out.stderr
