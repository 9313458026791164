// Viewer-request function (CloudFront Functions, cloudfront-js-2.0) for the static site.
// Same rule as infra/local/gate.py; tests/edge/vectors.json holds both to one behaviour.
// docs/identity.md ("Access at the edge") explains the rule, the KVS layout and the path checks.
// Mind the 10 KB code limit: keep comments short.
import crypto from 'crypto';
import cf from 'cloudfront';

// infra/edge/__init__.py (function_code) puts the key value store's id here at deploy.
const kvs = cf.kvs('__PORTAL_KVS_ID__');
const COOKIE = '__Host-portal_access';
const FORM = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

function respond(status, text, location) {
  const headers = { 'cache-control': { value: 'no-store' } };
  if (location) headers.location = { value: location };
  return { statusCode: status, statusDescription: text, headers };
}

// A missing key throws in KVS; an unreadable store must fail closed, never open.
async function get(key) {
  try {
    return await kvs.get(key);
  } catch (e) {
    return null;
  }
}

// site_builder/access.py rule_for: exact path, else longest parent-folder prefix, else default.
async function ruleFor(path) {
  const key = path.endsWith('/index.html') ? path.slice(0, -10) : path;
  let rule = await get('path:' + key);
  if (rule) return rule;
  let folder = key.slice(0, key.lastIndexOf('/') + 1);
  while (folder) {
    rule = await get('prefix:' + folder);
    if (rule) return rule;
    if (folder === '/') break;
    folder = folder.slice(0, folder.slice(0, -1).lastIndexOf('/') + 1);
  }
  return (await get('default')) || 'signed-in';
}

// Hand-written: a timing-safe compare is not in the runtime.
function same(a, b) {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

function isText(v) {
  return typeof v === 'string';
}

// portal.access.verify_access, check for check.
function verify(value, key, now) {
  if (!isText(value) || value.length > 4096 || !FORM.test(value)) return null;
  const dot = value.indexOf('.');
  const body = value.slice(0, dot);
  if (!same(crypto.createHmac('sha256', key).update(body).digest('base64url'), value.slice(dot + 1))) return null;
  if (body.length % 4 === 1) return null;
  let c;
  try {
    c = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch (e) {
    return null;
  }
  if (!c || typeof c !== 'object' || Array.isArray(c)) return null;
  if (!isText(c.u) || !isText(c.c) || !isText(c.r) || !Array.isArray(c.k) || !c.k.every(isText)) return null;
  return Number.isInteger(c.exp) && c.exp > now ? c : null;
}

// CloudFront hands over {name: {value, multiValue?}}; every value of our cookie is tried.
function values(field) {
  if (!field) return [];
  return field.multiValue ? field.multiValue.map((v) => v.value) : [field.value];
}

// CloudFront passes the query parsed but still percent-encoded; rebuild it in name order.
function query(qs) {
  const parts = [];
  Object.keys(qs || {})
    .sort()
    .forEach((name) => values(qs[name]).forEach((v) => parts.push(name + '=' + v)));
  return parts.length ? '?' + parts.join('&') : '';
}

// CloudFront does not reliably resolve dot segments or encoded separators before us, so a
// path that could mean two things is refused instead of guessed (null = refuse with 400).
function decodePath(uri) {
  if (uri[0] !== '/' || /\\|%2e|%2f|%5c|%25/i.test(uri)) return null;
  let path;
  try {
    path = decodeURIComponent(uri);
  } catch (e) {
    return null;
  }
  return /[\x00-\x1f\x7f]|\/\/|\/\.\.?(\/|$)/.test(path) ? null : path;
}

async function handler(event) {
  const request = event.request;
  const uri = request.uri;
  // /api/* is its own cache behaviour; leave it alone even if it ever reaches us.
  if (uri.startsWith('/api/')) return request;
  const path = decodePath(uri);
  if (path === null) return respond(400, 'Bad Request');
  const qs = query(request.querystring);
  // /x is a folder without its slash (as on S3 websites). The redirect reveals nothing, so it
  // comes before the rule: /x/ is then checked like any page.
  const last = path.slice(path.lastIndexOf('/') + 1);
  if (!path.endsWith('/') && last.indexOf('.') < 0) return respond(301, 'Moved Permanently', uri + '/' + qs);
  const rule = await ruleFor(path);
  const pass = () => {
    if (uri.endsWith('/')) request.uri = uri + 'index.html';
    return request;
  };
  if (rule === 'public') return pass();
  const hex = await get('access-key');
  if (!hex) return respond(503, 'Service Unavailable');
  const key = Buffer.from(hex, 'hex');
  const now = Math.floor(Date.now() / 1000);
  const claims = values((request.cookies || {})[COOKIE])
    .map((v) => verify(v, key, now))
    .find((c) => c);
  const next = encodeURIComponent(uri + qs);
  if (!claims) return respond(302, 'Found', '/account/sign-in/?next=' + next);
  if (rule === 'signed-in') return pass();
  // A rule this function does not know (a newer build?) opens nothing.
  if (!rule.startsWith('category:')) return respond(403, 'Forbidden');
  const slug = rule.slice(9);
  // Channel team staff see every category.
  if (claims.r === 'channel_team' || claims.k.indexOf(slug) >= 0) return pass();
  return respond(302, 'Found', '/account/needs-category/?category=' + encodeURIComponent(slug) + '&next=' + next);
}
