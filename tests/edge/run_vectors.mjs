// Runs infra/edge/viewer_request.js under node the way CloudFront would, for tests/edge/*.py.
//
// stdin: {"function": path of the code to run, "kvs": [{key, value}], "now": unix seconds,
//         "requests": [{"id", "uri", "query", "cookie_header": string|null, "drop_keys": [..]}]}
// stdout: {"kvs_ids": [..], "results": [{"id", "action", "status", "uri"|"location", "headers", "reads"}]}
//
// What stands in for CloudFront:
// - `import cf from 'cloudfront'` resolves to a fake whose kvs(id).get(key) reads the given
//   entries and, like the real store, throws for a missing key;
// - the function file is loaded as an ES module with `export { handler }` appended (CloudFront
//   calls the top-level handler; node needs an export to reach it);
// - Date.now() returns `now` (plus 999 ms, so the function must round down as it should);
// - the query string and the Cookie header become CloudFront's parsed objects,
//   {name: {value, multiValue?}}, with values still percent-encoded.
import { register } from 'node:module';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const input = JSON.parse(readFileSync(0, 'utf8'));
const functionUrl = pathToFileURL(input.function).href;

const hooks = `
import { readFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  if (specifier === 'cloudfront') return { url: 'portal-fake:cloudfront', shortCircuit: true };
  return next(specifier, context);
}
export async function load(url, context, next) {
  if (url === 'portal-fake:cloudfront') {
    return { format: 'module', source: 'export default globalThis.portalFakeCloudfront;', shortCircuit: true };
  }
  if (url === ${JSON.stringify(functionUrl)}) {
    const source = readFileSync(new URL(url), 'utf8') + '\\nexport { handler };\\n';
    return { format: 'module', source, shortCircuit: true };
  }
  return next(url, context);
}`;
register('data:text/javascript,' + encodeURIComponent(hooks));

const store = new Map(input.kvs.map((item) => [item.key, item.value]));
const kvsIds = [];
let reads = 0;
globalThis.portalFakeCloudfront = {
  kvs(id) {
    kvsIds.push(id);
    return {
      async get(key) {
        reads += 1;
        if (!store.has(key)) throw new Error(`KeyNotFound: ${key}`);
        return store.get(key);
      },
    };
  },
};
Date.now = () => input.now * 1000 + 999;

// CloudFront's {name: {value, multiValue?}} from name=value pairs (first value in `value`).
function cloudfrontObject(pairs) {
  const object = Object.create(null);
  for (const [name, value] of pairs) {
    const field = object[name];
    if (!field) object[name] = { value };
    else (field.multiValue ||= [{ value: field.value }]).push({ value });
  }
  return object;
}

function queryPairs(query) {
  return (query || '')
    .split('&')
    .filter((part) => part)
    .map((part) => {
      const at = part.indexOf('=');
      return at < 0 ? [part, ''] : [part.slice(0, at), part.slice(at + 1)];
    });
}

// The same split as gate.parse_cookie_headers: ';' between pairs, trimmed, no '=' or no name skipped.
function cookiePairs(header) {
  if (header === null || header === undefined) return [];
  return header
    .split(';')
    .map((part) => {
      const at = part.indexOf('=');
      return at < 0 ? null : [part.slice(0, at).trim(), part.slice(at + 1).trim()];
    })
    .filter((pair) => pair && pair[0]);
}

const { handler } = await import(functionUrl);
const results = [];
for (const request of input.requests) {
  const dropped = (request.drop_keys || []).filter((key) => store.has(key)).map((key) => [key, store.get(key)]);
  dropped.forEach(([key]) => store.delete(key));
  const event = {
    version: '1.0',
    context: { eventType: 'viewer-request', distributionId: 'ETEST', requestId: request.id },
    viewer: { ip: '192.0.2.1' },
    request: {
      method: 'GET',
      uri: request.uri,
      querystring: cloudfrontObject(queryPairs(request.query)),
      headers: { host: { value: 'partners.example.com' } },
      cookies: cloudfrontObject(cookiePairs(request.cookie_header)),
    },
  };
  reads = 0;
  const original = event.request;
  const out = await handler(event);
  dropped.forEach(([key, value]) => store.set(key, value));
  const headers = {};
  for (const [name, field] of Object.entries((out && out.headers) || {})) headers[name] = field.value;
  if (out && out.statusCode) {
    const redirect = out.statusCode === 301 || out.statusCode === 302;
    results.push({
      id: request.id,
      action: redirect ? 'redirect' : 'reject',
      status: out.statusCode,
      ...(redirect ? { location: headers.location } : {}),
      headers,
      reads,
    });
  } else {
    // A pass must hand CloudFront the request it got, only with the uri rewritten.
    results.push({ id: request.id, action: 'pass', uri: out.uri, same_request: out === original, headers, reads });
  }
}
process.stdout.write(JSON.stringify({ kvs_ids: kvsIds, results }));
