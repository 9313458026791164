"""The API contract: schemathesis fuzzes every route of infra/template.yaml on the local stack.

Each operation gets valid and invalid requests generated from the OpenAPI document the handlers
describe (docs/openapi.json when that is up to date): signed out, signed in (as a user of each
role, drawn per example), and with the set-password session a one-time link opens. Every answer
must be a non-5xx that matches the document. Writes carry the stack's own Origin, as the pages do.

Random strings rarely get past the domain's checks (a topic from the content data, a real
address, an existing user), so a quarter of the examples are valid requests whose fields named in
``fuzz_support.hints_strategy`` hold accepted values; the other fields keep their fuzzed (often odd
Unicode) values, which is how the deep paths (storing, emailing) meet unusual text. Another
quarter put text known to break systems (``fuzz_support.NASTY_TEXT``: lone surrogates, NUL,
direction overrides, 20,000 characters...) in every text field.

Bounded for CI: examples per operation and mode come from ``fuzz_support.EXAMPLES`` (override
with ``PORTAL_FUZZ_EXAMPLES=signed-out:10,signed-in:20,set-password:5``), generated from a fixed
seed so a run is repeatable; ``PORTAL_FUZZ_RANDOM=1`` explores new inputs.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests
from fuzz_support import EXAMPLES, MODES, NASTY_TEXT, RANDOM, FuzzWorld, seed_world, with_hints, with_nasty_text
from helpers import REPO

from infra.local.stack import LocalStack
from infra.openapi import template_routes

pytestmark = pytest.mark.contract

ROUTES = sorted({(method.upper(), path) for method, path, _, _ in template_routes(REPO)}, key=lambda r: (r[1], r[0]))


class UnsavedStack(LocalStack):
    """The local stack without its state file: thousands of fuzzed writes need not survive a restart."""

    def save_state(self) -> None:
        """Keep nothing: even debounced, a steady stream of writes means a save (a rescan of every
        table) every quarter second, which made this module slower (92 s against 85 s, with nearly twice
        the CPU time) on machines that share their cores."""


@pytest.fixture(scope="module")
def world(built_site, tmp_path_factory) -> Iterator[FuzzWorld]:
    """One local stack for the whole module, seeded with a company and a user of each role."""
    import schemathesis
    from portal import settings, wiring

    from infra.openapi import build_document

    def forget_settings() -> None:
        settings.settings.cache_clear()
        settings.access_key.cache_clear()
        wiring.reset()

    state = tmp_path_factory.mktemp("contract") / "state.json"
    with UnsavedStack(REPO, state, port=0, site_dir=built_site) as stack:
        forget_settings()
        yield seed_world(stack.url.rstrip("/"), schemathesis.openapi.from_dict(build_document(REPO)))
    forget_settings()


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("route", ROUTES, ids=[f"{m} {p}" for m, p in ROUTES])
def test_no_5xx_and_every_answer_matches_the_document(world, route, mode):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st
    from schemathesis import GenerationMode
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import response_schema_conformance

    method, path = route
    operation = world.schema[path][method]
    positive = operation.as_strategy(generation_mode=GenerationMode.POSITIVE)
    cases = st.one_of(
        positive,
        operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
        st.tuples(positive, world.hints).map(lambda pair: with_hints(*pair)),
        st.tuples(positive, st.sampled_from(NASTY_TEXT)).map(lambda pair: with_nasty_text(*pair)),
    )
    has_inputs = bool(operation.body) or any(True for _ in operation.iter_parameters())
    http = requests.Session()
    seen: dict[int, int] = {}

    @settings(
        max_examples=EXAMPLES[mode] if has_inputs else 1,
        deadline=None,
        derandomize=not RANDOM,
        database=None,
        suppress_health_check=list(HealthCheck),
        print_blob=True,
    )
    @given(case=cases, role=st.sampled_from(world.roles))
    def fuzz(case, role) -> None:
        cookies = {} if mode == "signed-out" else {"__Host-portal_session": world.open_session(role, mode)}
        response = case.call(
            base_url=world.url, session=http, headers={"Origin": world.url}, cookies=cookies, timeout=30
        )
        seen[response.status_code] = seen.get(response.status_code, 0) + 1
        case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])

    try:
        fuzz()
    finally:
        http.close()
    print(f"{method} {path} [{mode}]: statuses {dict(sorted(seen.items()))}")
    assert seen, "no request was sent"
