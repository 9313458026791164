"""``portal serve``: build the site and serve it, ``/api/*`` and the outbox on one local port."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from infra.local.saving import DEFAULT_SAVE_DELAY_MS


def register(subcommands: Any) -> None:
    """Add ``serve`` to the ``portal`` command."""
    parser = subcommands.add_parser(
        "serve",
        help="build the site and serve the whole portal locally (no AWS account needed)",
        description=(
            "Build the site with MkDocs, then serve it together with the API functions of "
            "infra/template.yaml, with AWS emulated in-process by moto. Data is kept in the state file; "
            "sent emails are listed on the outbox page."
        ),
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: %(default)s)")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on (default: %(default)s)")
    parser.add_argument(
        "--state",
        type=Path,
        default=Path(".portal/state.json"),
        help="state file, relative to the repository (default: %(default)s); delete it to start empty",
    )
    parser.add_argument(
        "--save-delay",
        type=_milliseconds,
        default=DEFAULT_SAVE_DELAY_MS,
        metavar="MS",
        help=(
            "save the state file at most this long after a write, one save for all the writes in between "
            "(default: %(default)s; 0 saves after every write); stopping always saves"
        ),
    )
    parser.add_argument("--no-build", action="store_true", help="serve the site already built in site_dir")
    parser.add_argument(
        "--no-demo", action="store_true", help="do not add the demo companies and users to an empty state"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Serve until Ctrl+C, SIGINT or SIGTERM; returns the exit status (0 after such a stop)."""
    from infra.local.stopping import stop_on_signals

    # From the start: a stop during the build or the demo seeding is as clean as one while serving.
    with stop_on_signals():
        return _serve(args)


def _serve(args: argparse.Namespace) -> int:
    from infra.local.site import RepositoryNotFound, SiteBuildError, configured_site_dir, find_repo_root
    from infra.local.stack import CannotListen, LocalStack
    from infra.local.state import StateFileError
    from infra.local.template import TemplateError

    try:
        repo_root = find_repo_root()
        if args.no_build and not configured_site_dir(repo_root).is_dir():
            return _fail(f"No built site in {configured_site_dir(repo_root)}; run without --no-build first.")
        stack = LocalStack(
            repo_root, args.state, args.host, args.port, build=not args.no_build, save_delay_ms=args.save_delay
        ).open()
    except (CannotListen, RepositoryNotFound, SiteBuildError, StateFileError, TemplateError) as error:
        return _fail(str(error))
    from infra.local.offline import serve_lock

    try:
        if not args.no_demo:
            from infra.local.demo import seed_demo

            if seed_demo(_portal_table()):
                from infra.local.demo_applications import seed_demo_applications

                seed_demo_applications(_portal_table())
                stack.save_state()
                print("Demo data added: see the README for the demo sign-in credentials.", flush=True)
        print(f"Portal:  {stack.url}", flush=True)
        print(f"Outbox:  {stack.outbox_url}", flush=True)
        print(f"State:   {stack.state_path}  (delete it to start empty)", flush=True)
        print("Press Ctrl+C to stop.", flush=True)
        with serve_lock(stack.state_path):
            stack.serve_forever()
    except KeyboardInterrupt:
        pass  # Ctrl+C, SIGINT or SIGTERM: how the server is meant to stop; close() below saves the state.
    finally:
        stack.close()
        print(f"Stopped; state saved to {stack.state_path}", flush=True)
    return 0


def _milliseconds(text: str) -> int:
    """A whole number of milliseconds, 0 or more (for ``--save-delay``)."""
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a whole number of milliseconds, 0 or more, not {text!r}")
    return value


def _portal_table() -> Any:
    import boto3

    return boto3.resource("dynamodb").Table(os.environ.get("PORTAL_TABLE", "PortalTable"))


def _fail(message: str) -> int:
    """Print ``message`` for the user (no traceback) and return the failure status."""
    print(f"portal serve: {message}", file=sys.stderr)
    return 1
