"""Build benchmark: the portal with its sample library scaled up, against a plain MkDocs site.

    python -m infra.bench.build [--sizes 1000 10000] [--keep DIR]

For each size N it writes, in a temporary folder, (1) a copy of the portal's content whose
resource library holds N resources, each with its own small PDF, and (2) a plain MkDocs project
(default theme, default plugins) with one Markdown page per resource. Both are built in a fresh
Python process, and it prints the build time, the peak memory, the site's size and its largest
page, then checks the goals: 10x the resources takes at most 11x the time, no page is over
100 KB of HTML, and at the largest size the portal takes at most 1.25x the plain build.

The plain project's nav lists only its home page: with MkDocs' automatic nav every page would
carry a link to every other page, which makes a plain build quadratic (minutes and gigabytes at
10,000 pages) and says nothing about the portal.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

from infra.sample_files import simple_pdf

REPO = Path(__file__).resolve().parents[2]
TYPES = ("general", "marketing", "product", "technical", "business-activity")
PAGE_LIMIT = 100 * 1024


def scaled_resources(count: int, categories: list[str]) -> list[dict]:
    """``count`` resources spread over the types and categories, some for all or two categories."""
    entries = []
    for n in range(count):
        category = categories[n % len(categories)]
        if n % 10 == 0:
            scope: str | list[str] = "all"
        elif n % 7 == 0:
            scope = [category, categories[(n + 3) % len(categories)]]
        else:
            scope = [category]
        entries.append(
            {
                "id": f"bench-{n:05d}",
                "title": f"Benchmark document {n} for {category.replace('-', ' ')}",
                "description": f"Scaled sample resource number {n}, used to measure how the build grows.",
                "type": TYPES[n % len(TYPES)],
                "categories": scope,
                "file": f"bench/{n // 1000:02d}/doc-{n:05d}.pdf",
                "date": f"2026-{1 + n % 12:02d}-{1 + n % 28:02d}",
                "version": f"1.{n % 9}",
            }
        )
    return entries


def portal_project(root: Path, count: int) -> Path:
    """A copy of the portal's sources with a library of ``count`` resources."""
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    (root / "site_builder").mkdir()
    (root / "site_builder" / "overrides").symlink_to(REPO / "site_builder" / "overrides")
    resources = root / "content" / "data" / "resources"
    for old in resources.glob("*.yml"):
        old.unlink()
    categories = [c["slug"] for c in yaml.safe_load((root / "content/data/categories.yml").read_text())]
    entries = scaled_resources(count, categories)
    (resources / "bench.yml").write_text(yaml.safe_dump(entries, sort_keys=False), encoding="utf-8")
    for entry in entries:
        target = root / "content" / "files" / entry["file"]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(simple_pdf(entry["title"], [entry["description"]]))
    return root


def plain_project(root: Path, count: int) -> Path:
    """A plain MkDocs project with one page per resource."""
    docs = root / "docs"
    docs.mkdir(parents=True)
    (docs / "index.md").write_text("# Plain site\n\nOne page per resource.\n")
    for entry in scaled_resources(count, ["scanners", "pos", "storage"]):
        (docs / f"{entry['id']}.md").write_text(
            f"# {entry['title']}\n\n{entry['description']}\n\n- Type: {entry['type']}\n"
            f"- Date: {entry['date']}\n- Version: {entry['version']}\n",
            encoding="utf-8",
        )
    (root / "mkdocs.yml").write_text("site_name: Plain\nnav:\n  - index.md\n", encoding="utf-8")
    return root


def build_once(project: Path, site: Path) -> dict:
    """Build ``project`` in a fresh interpreter; its time and peak memory."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    command = [sys.executable, "-m", "infra.bench.build", "--run-one", str(project), str(site)]
    result = subprocess.run(command, capture_output=True, text=True, env=env, cwd=REPO, check=False)  # noqa: S603
    if result.returncode != 0:
        raise RuntimeError(f"build of {project} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def run_one(project: Path, site: Path) -> None:
    """The child process: one real ``mkdocs build``; prints {seconds, peak_mb} as JSON."""
    import logging
    import resource
    import time

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    logging.disable(logging.INFO)
    started = time.perf_counter()
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(site))
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": round(seconds, 2), "peak_mb": round(peak_mb, 1)}))


def site_facts(site: Path) -> dict:
    """Total size, number of HTML pages and the largest page."""
    sizes = {p: p.stat().st_size for p in site.rglob("*") if p.is_file()}
    pages = {p: s for p, s in sizes.items() if p.suffix == ".html"}
    largest = max(pages, key=pages.get)
    data = {p: s for p, s in sizes.items() if p.suffix == ".json"}
    biggest_data = max(data.values(), default=0)
    return {
        "largest_json_kb": round(biggest_data / 1024, 1),
        "site_mb": round(sum(sizes.values()) / 1_048_576, 1),
        "files": len(sizes),
        "pages": len(pages),
        "largest_page": str(largest.relative_to(site)),
        "largest_kb": round(pages[largest] / 1024, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m infra.bench.build", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000], help="resource counts")
    parser.add_argument("--keep", type=Path, help="build here and keep the projects and sites")
    parser.add_argument("--run-one", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.run_one:
        run_one(*args.run_one)
        return 0
    work = args.keep or Path(tempfile.mkdtemp(prefix="portal-bench-"))
    rows = []
    try:
        for count in args.sizes:
            for kind, make in (("portal", portal_project), ("plain mkdocs", plain_project)):
                folder = work / f"{kind.split()[0]}-{count}"
                project = make(folder / "project", count)
                figures = build_once(project, folder / "site") | site_facts(folder / "site")
                rows.append({"build": kind, "resources": count, **figures})
                print(_row(rows[-1]), flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print(_report(rows, args.sizes))
    return 0


def _row(r: dict) -> str:
    return (
        f"| {r['build']:<12} | {r['resources']:>6} | {r['seconds']:>7.2f} | {r['peak_mb']:>7.1f} | "
        f"{r['site_mb']:>7.1f} | {r['pages']:>6} | {r['largest_kb']:>6.1f} KB {r['largest_page']} | "
        f"{r['largest_json_kb']:>6.1f} KB |"
    )


def _report(rows: list[dict], sizes: list[int]) -> str:
    header = (
        "| build | resources | time s | peak MB | site MB | pages | largest page | largest JSON |\n"
        "| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: |"
    )
    lines = ["", header, *(_row(r) for r in rows), ""]
    portal = {r["resources"]: r for r in rows if r["build"] == "portal"}
    plain = {r["resources"]: r for r in rows if r["build"] == "plain mkdocs"}
    small, large = min(sizes), max(sizes)
    if small != large:
        growth = portal[large]["seconds"] / portal[small]["seconds"]
        limit = 1.1 * large / small
        lines.append(f"growth: {large / small:.0f}x resources took {growth:.2f}x the time (goal <= {limit:.0f}x): "
                     + ("met" if growth <= limit else "MISSED"))  # fmt: skip
    biggest = max(r["largest_kb"] for r in portal.values())
    lines.append(f"largest portal page: {biggest:.1f} KB (goal <= 100 KB): " + ("met" if biggest <= 100 else "MISSED"))
    ratio = portal[large]["seconds"] / plain[large]["seconds"]
    lines.append(f"at {large} resources the portal took {ratio:.2f}x the plain build (goal <= 1.25x): "
                 + ("met" if ratio <= 1.25 else "MISSED"))  # fmt: skip
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
