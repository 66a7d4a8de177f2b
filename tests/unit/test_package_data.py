"""Every data file the service reads is in the installed package, not only in a checkout.

`pip install .` (the Dockerfile) copies only Python modules and the package-data globs in
pyproject.toml; a template or data file they leave out works in development and is missing
in production.
"""

from __future__ import annotations

import fnmatch
import subprocess
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Files in the packages that are not read at run time.
NOT_SHIPPED = {".py", ".pyc", ".md"}


def tracked_data_files(package: str) -> list[str]:
    listed = subprocess.run(
        ["git", "ls-files", package], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    return [name for name in listed if Path(name).suffix not in NOT_SHIPPED]


def test_every_data_file_in_a_package_is_in_its_package_data() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    packages = config["tool"]["setuptools"]["packages"]["find"]["include"]
    globs = config["tool"]["setuptools"]["package-data"]
    missing = []
    for pattern in packages:
        package = pattern.removesuffix("*")
        for name in tracked_data_files(package):
            inside = str(Path(name).relative_to(package))
            if not any(fnmatch.fnmatch(inside, glob) for glob in globs.get(package, [])):
                missing.append(name)

    assert missing == []
