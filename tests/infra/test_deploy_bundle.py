"""The Lambda bundle: what the functions run in AWS is what the tests ran here."""

from __future__ import annotations

import ast
import sys
from importlib import metadata
from pathlib import Path

from deploy_fixtures import TEMPLATE
from helpers import REPO
from packaging.utils import canonicalize_name

from infra.deploy.bundle import build_bundle, function_packages, pinned_requirements
from infra.deploy.deployment import BUNDLE_CONTENT_DIR
from infra.deploy.stack_template import load_template


def third_party_imports() -> set[str]:
    """Top-level modules the functions import that are neither the standard library nor their own."""
    own = set(function_packages(REPO / "functions"))
    found: set[str] = set()
    for path in (REPO / "functions").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add(node.module.split(".")[0])
    return {name for name in found if name not in own and name not in sys.stdlib_module_names}


def test_every_package_the_functions_import_is_pinned_at_the_tested_version():
    pinned = dict(line.split("==") for line in pinned_requirements())
    providers = metadata.packages_distributions()
    for module in third_party_imports():
        distributions = {canonicalize_name(d) for d in providers.get(module, [])}
        assert distributions & set(pinned), f"functions import {module}, which the bundle would not contain"
    for name, version in pinned.items():
        assert metadata.version(name) == version


def test_the_bundle_holds_every_area_the_content_data_and_the_pinned_packages(tmp_path):
    commands = []
    bundle = build_bundle(REPO, tmp_path / "lambda", pip=commands.append)
    assert set(bundle.packages) >= {"portal", "auth", "help_desk", "password_reset"}
    for package in bundle.packages:
        assert (bundle.directory / package / "__init__.py").is_file()
    assert not list(bundle.directory.rglob("__pycache__"))
    (command,) = commands
    # Lambda's python3.11 runs on Amazon Linux 2: glibc 2.26, 64-bit ARM.
    platforms = [command[n + 1] for n, part in enumerate(command) if part == "--platform"]
    assert platforms == ["manylinux2014_aarch64", "manylinux_2_24_aarch64", "manylinux_2_26_aarch64"]
    assert "--only-binary=:all:" in command
    requirements = Path(command[command.index("--requirement") + 1]).read_text().split()
    assert requirements == list(bundle.requirements)


def test_the_functions_find_the_content_data_where_the_template_says(tmp_path):
    from portal.catalog import load_catalog

    bundle = build_bundle(REPO, tmp_path / "lambda", pip=lambda command: None)
    template = load_template(TEMPLATE)
    assert template["Parameters"]["ContentDir"]["Default"] == BUNDLE_CONTENT_DIR
    assert template["Globals"]["Function"]["Architectures"] == ["arm64"]
    # /var/task is where Lambda unpacks the bundle.
    content_dir = bundle.directory / Path(BUNDLE_CONTENT_DIR).relative_to("/var/task")
    assert load_catalog(content_dir).categories
