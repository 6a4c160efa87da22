"""Shared fixtures: the shipped library, the example programmes, and drafting into tmp_path."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from osa_agreements.drafting.templates import load_catalog
from osa_agreements.library.clauses import load_library
from osa_agreements.programme import load_programme

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((REPO / "examples").glob("*.yaml"))


def pytest_configure(config):
    # The tests (and the osa processes they start) keep their cache to themselves, never the user's.
    os.environ["OSA_CACHE_DIR"] = tempfile.mkdtemp(prefix="osa-test-cache-")


def pytest_unconfigure(config):
    shutil.rmtree(os.environ.pop("OSA_CACHE_DIR", ""), ignore_errors=True)


@pytest.fixture(scope="session")
def library():
    return load_library()


@pytest.fixture(scope="session")
def catalog():
    return load_catalog()


@pytest.fixture(scope="session")
def philippines():
    return load_programme(REPO / "examples" / "philippines-2023-coastal-radar.yaml")


def soffice_convert(files: list[Path], target: str, outdir: Path) -> list[Path]:
    """Convert ``files`` with LibreOffice to ``target`` (e.g. ``pdf``); skip the test without it."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    profile = outdir / "lo-profile"
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", target,
         "--outdir", str(outdir), *map(str, files)],
        check=True, capture_output=True, timeout=300,
    )
    extension = target.split(":")[0]
    return [outdir / f"{f.stem}.{extension}" for f in files]


def flat(text: str) -> str:
    """Return ``text`` with runs of whitespace folded to one space."""
    return " ".join(text.split())
