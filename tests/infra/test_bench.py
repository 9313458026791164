"""``portal bench`` parts run and print their figures (timings themselves are never asserted)."""

from __future__ import annotations

import re

from helpers import REPO


def test_the_edge_rule_is_timed_under_node_and_in_python(built_site):
    from infra.bench import edge

    lines = edge.run(built_site, count=300)
    assert re.search(r"viewer_request\.js under node v\d+.*: +[\d.]+ µs per request", lines[0]), lines
    assert re.search(r"gate\.py decide \(Python\): +[\d.]+ µs per request", lines[1]), lines


def test_each_function_of_the_template_gets_a_cold_import_time():
    from infra.bench import imports
    from infra.local.template import load_template

    lines = imports.run(REPO, runs=1)
    functions = load_template(REPO / "infra" / "template.yaml").functions
    assert len(lines) == len(functions) + 1
    for function, line in zip(functions, lines, strict=False):
        assert line.startswith(function.logical_id) and " ms " in line
    assert lines[-1].startswith("baseline") and "boto3.client" in lines[-1]


def test_local_stack_writes_are_timed_for_each_save_delay():
    from infra.bench import local

    lines = local.run(REPO, count=3, delays=(0, 250))

    assert len(lines) == 4
    assert re.match(r"1 client, save delay 0 ms +n=3 +p50= *[\d.]+ ms +p99=", lines[0]), lines
    assert re.match(r"4 clients, save delay 0 ms +n=3 +[\d.]+ writes/s +6 saves for 6 writes", lines[1]), lines
    assert re.match(r"1 client, save delay 250 ms +n=3 ", lines[2]), lines
    assert re.match(r"4 clients, save delay 250 ms +n=3 +[\d.]+ writes/s +\d saves for 6 writes", lines[3]), lines


def test_the_command_takes_parts_to_skip():
    from infra.cli import build_parser

    args = build_parser().parse_args(["bench", "--quick", "--skip", "build", "page"])
    assert args.quick and args.skip == ["build", "page"]
