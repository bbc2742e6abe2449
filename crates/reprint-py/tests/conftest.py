"""Shared by the test modules: the CLI binary they compare the package with.

The CLI is `target/release/reprint` (built by `cargo build --release` when missing),
or the binary named by $REPRINT_BIN.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="session")
def cli() -> Path:
    env = os.environ.get("REPRINT_BIN")
    if env:
        return Path(env)
    path = ROOT / "target" / "release" / "reprint"
    if not path.exists():
        subprocess.run(
            ["cargo", "build", "--release", "--locked", "-q", "--bin", "reprint"],
            cwd=ROOT,
            check=True,
        )
    return path
