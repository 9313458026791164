"""The Lambda code bundle: what every function runs in AWS.

One folder, the ``CodeUri`` of every function (``sam deploy`` zips and uploads it):

* every package under ``functions/`` (the domain ``portal`` and one folder per area);
* ``content/data`` as ``content/data`` (the template's ``ContentDir`` is ``/var/task/content``);
* the third-party packages the functions import, pinned to the versions installed here, the ones
  the tests ran with, installed for the functions' architecture by pip (``--platform``, wheels only).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

# The distributions the functions import (boto3 too: the runtime's own copy is older than ours).
FUNCTION_DISTRIBUTIONS = (
    "aws-lambda-powertools",
    "pydantic",
    "email-validator",
    "pyyaml",
    "argon2-cffi",
    "zxcvbn",
    "boto3",
)
PYTHON_VERSION = "3.11"
# The machine of each Lambda architecture. The python3.11 runtime is Amazon Linux 2 (glibc 2.26):
# wheels for manylinux2014 (glibc 2.17) up to manylinux_2_26 run there; pip must be given each tag.
MACHINES = {"arm64": "aarch64", "x86_64": "x86_64"}
MANYLINUX_TAGS = ("manylinux2014", "manylinux_2_24", "manylinux_2_26")
_LAMBDA_MARKERS = {
    "implementation_name": "cpython",
    "platform_python_implementation": "CPython",
    "python_version": PYTHON_VERSION,
    "python_full_version": PYTHON_VERSION + ".0",
    "sys_platform": "linux",
    "platform_system": "Linux",
    "os_name": "posix",
}
_IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", ".pytest_cache")

PipRunner = Callable[[Sequence[str]], None]


class BundleError(RuntimeError):
    """The bundle cannot be built (a package is not installed here, or pip failed)."""


@dataclass(frozen=True)
class Bundle:
    """A built (or planned) bundle."""

    directory: Path
    packages: tuple[str, ...]
    requirements: tuple[str, ...]


def pinned_requirements(roots: Iterable[str] = FUNCTION_DISTRIBUTIONS, machine: str = "aarch64") -> list[str]:
    """``name==version`` for ``roots`` and everything they need on Lambda, as installed here.

    Raises:
        BundleError: a distribution is not installed in this environment.
    """
    environment = {**_LAMBDA_MARKERS, "platform_machine": machine}
    pinned: dict[str, str] = {}
    pending = [Requirement(root) for root in roots]
    while pending:
        requirement = pending.pop()
        name = canonicalize_name(requirement.name)
        if name in pinned:
            continue
        try:
            distribution = metadata.distribution(requirement.name)
        except metadata.PackageNotFoundError as error:
            raise BundleError(f"{requirement.name} is needed by the functions but not installed here") from error
        pinned[name] = distribution.version
        for text in distribution.requires or []:
            needed = Requirement(text)
            extras = requirement.extras or {""}
            if needed.marker is None or any(needed.marker.evaluate({**environment, "extra": e}) for e in extras):
                pending.append(needed)
    return [f"{name}=={version}" for name, version in sorted(pinned.items())]


def function_packages(functions_dir: Path) -> list[str]:
    """The packages under ``functions/`` (folders with an ``__init__.py``)."""
    return sorted(p.name for p in functions_dir.iterdir() if (p / "__init__.py").is_file())


def pip_command(target: Path, requirements_file: Path, architecture: str) -> list[str]:
    """The pip command that installs the pinned packages for Lambda into ``target``."""
    return [
        sys.executable,
        "-m",
        "pip",
        "install",
        "--quiet",
        "--no-compile",
        "--target",
        str(target),
        *(option for tag in MANYLINUX_TAGS for option in ("--platform", f"{tag}_{MACHINES[architecture]}")),
        "--implementation",
        "cp",
        "--python-version",
        PYTHON_VERSION,
        "--only-binary=:all:",
        "--requirement",
        str(requirements_file),
    ]


def run_pip(command: Sequence[str]) -> None:
    """Run pip; its own output explains a failure."""
    try:
        subprocess.run(list(command), check=True)  # noqa: S603 (our own pip with fixed arguments)
    except subprocess.CalledProcessError as error:
        raise BundleError(f"pip could not install the functions' packages (exit {error.returncode})") from error


def build_bundle(repo: Path, target: Path, architecture: str = "arm64", pip: PipRunner = run_pip) -> Bundle:
    """Assemble the bundle in ``target`` (emptied first).

    Raises:
        BundleError: a needed package is missing here, or pip failed.
    """
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    functions_dir = repo / "functions"
    packages = function_packages(functions_dir)
    for package in packages:
        shutil.copytree(functions_dir / package, target / package, ignore=_IGNORED)
    shutil.copytree(repo / "content" / "data", target / "content" / "data", ignore=_IGNORED)
    requirements = pinned_requirements(machine=MACHINES[architecture])
    requirements_file = target.parent / f"{target.name}-requirements.txt"
    requirements_file.write_text("\n".join(requirements) + "\n", encoding="utf-8")
    pip(pip_command(target, requirements_file, architecture))
    return Bundle(target, tuple(packages), tuple(requirements))
