"""The edge rule's time per request: the viewer-request function under node, and the local Python gate.

Both decide the same mix of requests (a public page, signed-in pages, a category page with and
without the category, a gated page without a cookie) from the built site's access manifest, with a
real signed access cookie. The function runs under node with an in-memory stand-in for
CloudFront's key value store (reads are async, as in CloudFront); CloudFront's own runtime is a
different engine, so the node figure shows the rule's cost, not CloudFront's billing.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

_HARNESS = r"""
import { register } from 'node:module';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
const input = JSON.parse(readFileSync(0, 'utf8'));
const functionUrl = pathToFileURL(input.function).href;
register('data:text/javascript,' + encodeURIComponent(`
import { readFileSync } from 'node:fs';
export async function resolve(s, c, next) {
  return s === 'cloudfront' ? { url: 'bench:cloudfront', shortCircuit: true } : next(s, c);
}
export async function load(url, c, next) {
  if (url === 'bench:cloudfront') {
    return { format: 'module', source: 'export default globalThis.benchCf;', shortCircuit: true };
  }
  if (url === ${JSON.stringify(functionUrl)}) {
    const source = readFileSync(new URL(url), 'utf8') + '\\nexport { handler };\\n';
    return { format: 'module', source, shortCircuit: true };
  }
  return next(url, c);
}`));
const store = new Map(input.kvs.map((item) => [item.key, item.value]));
globalThis.benchCf = { kvs() { return { async get(key) {
  if (!store.has(key)) throw new Error('KeyNotFound');
  return store.get(key);
} }; } };
const { handler } = await import(functionUrl);
function event(r) {
  const cookies = r.cookie ? { '__Host-portal_access': { value: r.cookie } } : {};
  return { version: '1.0', context: { eventType: 'viewer-request' }, viewer: { ip: '192.0.2.1' },
    request: { method: 'GET', uri: r.uri, querystring: {}, headers: { host: { value: 'portal' } }, cookies } };
}
for (let i = 0; i < 2000; i++) await handler(event(input.requests[i % input.requests.length]));
const started = process.hrtime.bigint();
for (let i = 0; i < input.count; i++) await handler(event(input.requests[i % input.requests.length]));
const ns = Number(process.hrtime.bigint() - started);
process.stdout.write(JSON.stringify({ mean_us: ns / input.count / 1000 }));
"""


def _requests(key: bytes) -> list[dict[str, str | None]]:
    """The mix: what a reseller's browsing looks like at the edge."""
    from portal.access import AccessClaims, sign_access

    claims = AccessClaims(
        user_id="u1", company_id="c1", role="reseller_admin", categories=("pos", "scanners"),
        expires_at=int(time.time()) + 600,
    )  # fmt: skip
    cookie = sign_access(claims, key)
    return [
        {"uri": "/help/", "cookie": None},
        {"uri": "/information/programs/about/", "cookie": cookie},
        {"uri": "/products/pos/", "cookie": cookie},
        {"uri": "/products/storage/", "cookie": cookie},
        {"uri": "/resources/", "cookie": None},
        {"uri": "/assets/stylesheets/portal.css", "cookie": None},
    ]


def run(site_dir: Path, count: int = 50_000) -> list[str]:
    """Mean microseconds per request of each implementation; the printed lines."""
    from infra.edge import function_code
    from infra.edge.manifest_to_kvs import kvs_items
    from infra.local.gate import decide, parse_cookie_headers

    key = bytes(range(32))
    manifest = json.loads((site_dir / "access-manifest.json").read_text(encoding="utf-8"))
    requests = _requests(key)
    lines = []
    node = shutil.which("node")
    if node is None:
        lines.append("viewer_request.js under node: skipped, node is not installed")
    else:
        with tempfile.TemporaryDirectory(prefix="portal-bench-edge-") as work:
            code, harness = Path(work) / "viewer_request.js", Path(work) / "bench.mjs"
            code.write_text(function_code("bench-kvs"), encoding="utf-8")
            harness.write_text(_HARNESS, encoding="utf-8")
            document = {"function": str(code), "kvs": kvs_items(manifest, key), "requests": requests, "count": count}
            finished = subprocess.run(  # noqa: S603 (our harness, our code)
                [node, str(harness)], input=json.dumps(document), capture_output=True, text=True, check=False
            )
            if finished.returncode != 0:
                raise RuntimeError(f"the edge benchmark failed under node:\n{finished.stderr[-2000:]}")
            mean = json.loads(finished.stdout)["mean_us"]
            lines.append(f"viewer_request.js under node {_node_version(node)}: {mean:6.1f} µs per request")
    parsed = [
        (r["uri"], parse_cookie_headers([f"__Host-portal_access={r['cookie']}"] if r["cookie"] else []))
        for r in requests
    ]
    now = int(time.time())
    for index in range(2000):
        uri, cookies = parsed[index % len(parsed)]
        decide(manifest, key, uri, "", cookies, now)
    started = time.perf_counter()
    for index in range(count):
        uri, cookies = parsed[index % len(parsed)]
        decide(manifest, key, uri, "", cookies, now)
    mean = (time.perf_counter() - started) / count * 1e6
    lines.append(f"infra/local/gate.py decide (Python):  {mean:6.1f} µs per request")
    lines.append(f"(mean over {count:,} requests of a mix of {len(requests)}: public, signed-in, category, refused)")
    return lines


def _node_version(node: str) -> str:
    return subprocess.run([node, "--version"], capture_output=True, text=True, check=False).stdout.strip()  # noqa: S603
