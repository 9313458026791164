"""What a deploy will do, as lines for the operator (the dry run prints them; a real run too)."""

from __future__ import annotations

import shlex
from collections import Counter
from collections.abc import Sequence

from infra.deploy.kvs import describe_changes
from infra.deploy.site_plan import SitePlan

# A dry run lists this many files of each kind; the counts are always complete.
SHOWN_PER_GROUP = 8


def command_line(command: Sequence[str]) -> str:
    """A command as it can be pasted into a shell."""
    return " ".join(shlex.quote(part) for part in command)


def without_csp(command: Sequence[str]) -> list[str]:
    """The command for display: the long CSP (printed on its own line) named instead of repeated."""
    return [
        'ContentSecurityPolicy="<the Content-Security-Policy above>"'
        if part.startswith("ContentSecurityPolicy=")
        else part
        for part in command
    ]


def describe_uploads(plan: SitePlan, bucket: str) -> list[str]:
    """The uploads grouped by Cache-Control, a few keys of each with their Content-Type."""
    lines = [
        f"Upload {len(plan.uploads)} files to s3://{bucket}/ ({len(plan.unchanged)} unchanged are left as they are):"
    ]
    groups = Counter(upload.record.cache_control for upload in plan.uploads)
    for cache_control, count in sorted(groups.items(), key=lambda item: -item[1]):
        lines.append(f"  Cache-Control: {cache_control} - {count} files")
        members = [u for u in plan.uploads if u.record.cache_control == cache_control]
        for upload in members[:SHOWN_PER_GROUP]:
            lines.append(f"    {upload.key}  ({upload.record.content_type}, {upload.reason})")
        if len(members) > SHOWN_PER_GROUP:
            lines.append(f"    ... and {len(members) - SHOWN_PER_GROUP} more")
    return lines


def describe_site_plan(plan: SitePlan, bucket: str, distribution: str, bucket_known: bool) -> list[str]:
    """Uploads, kept files, deletions and the invalidation."""
    lines = describe_uploads(plan, bucket)
    if plan.kept_runtime:
        lines.append(f"Keep the bucket's runtime files, newer than the build: {', '.join(plan.kept_runtime)}")
    if plan.kept_assets:
        lines.append(f"Keep {len(plan.kept_assets)} fingerprinted assets of earlier releases (open pages use them)")
    if not bucket_known:
        lines.append("Delete: the files of the previous release the new one lacks (the bucket could not be read)")
    elif plan.deletions:
        lines.append(f"Delete {len(plan.deletions)} files the new release no longer has:")
        lines += [f"  {key}" for key in plan.deletions[: SHOWN_PER_GROUP * 2]]
        if len(plan.deletions) > SHOWN_PER_GROUP * 2:
            lines.append(f"  ... and {len(plan.deletions) - SHOWN_PER_GROUP * 2} more")
    else:
        lines.append("Delete: nothing")
    lines.append(f"Record the release in s3://{bucket}/_deploy/releases.json (kept: {len(plan.history.releases)})")
    if plan.invalidation_paths:
        lines.append(f"Invalidate CloudFront {distribution}: {' '.join(plan.invalidation_paths)}")
    return lines


def describe_kvs(
    puts: Sequence[dict[str, str]], deletes: Sequence[dict[str, str]], store: str, verbose: bool
) -> list[str]:
    """The key value store's changes (the access key's value is never shown)."""
    lines = [f"Key value store {store}: put {len(puts)} entries before the upload, delete {len(deletes)} after it"]
    changes = describe_changes(puts, deletes)
    shown = changes if verbose else changes[:SHOWN_PER_GROUP]
    lines += [f"  {line}" for line in shown]
    if len(changes) > len(shown):
        lines.append(f"  ... and {len(changes) - len(shown)} more (-v lists them all)")
    return lines
