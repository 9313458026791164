/* What this reader may open: the shared helper of the library scripts (finder, maps, tables, search).
 *
 * Gated data lives in one folder per scope (library/public/, library/all/, library/<category>/),
 * and the CDN only serves a folder to someone allowed in. The scripts ask GET /api/session for
 * the company's categories and fetch only those folders; when the API cannot say (it is down,
 * or answers oddly) they try every folder and quietly skip the ones the CDN refuses (403, or a
 * redirect to sign in). Either way nothing the reader may not open ever reaches the browser.
 */
(function () {
  "use strict";

  /* The site's root as an absolute URL. Material's config gives it relative to the page ("..",
   * "../..", ".") or, on the 404 page, as "/" (any address can show that page); an absolute base
   * would work too. Only a folder address gets the trailing slash it needs: "/" + "/" would be
   * "//", the start of a host name, not the root. */
  function siteBase() {
    var config = document.getElementById("__config");
    var value = ".";
    try { value = (config && JSON.parse(config.textContent).base) || "."; } catch (e) { value = "."; }
    if (value.charAt(value.length - 1) !== "/") value += "/";
    try { return new URL(value, window.location.href); } catch (e) { return new URL("/", window.location.href); }
  }
  var base = siteBase();

  function siteUrl(path) {
    return new URL(path, base).href;
  }

  /* The JSON at a site path, or null when it is refused, missing or not JSON. */
  function getJSON(path) {
    return fetch(siteUrl(path), {
      credentials: "same-origin",
      // A refused file must not be answered from the cache of an earlier, allowed visit.
      cache: "no-cache",
      redirect: "manual",
      headers: { "Accept": "application/json" },
    }).then(function (response) {
      return response.ok ? response.json() : null;
    }).catch(function () { return null; });
  }

  /* Whether a session may be open. The session cookie is HttpOnly, out of the scripts' reach; the
   * API sets the readable __Host-portal_signed_in cookie with it (same lifetime, a value that says
   * nothing) and clears both together. Without it GET /api/session could only answer 401, so no
   * script asks: a signed-out visit makes no request bound to fail. */
  function maySignedIn() {
    return document.cookie.split(";").some(function (part) {
      return part.trim().indexOf("__Host-portal_signed_in=") === 0;
    });
  }

  var session = null;
  /* {state: "signed-in", categories: [...] | null} | {state: "signed-out"} | {state: "unknown"}.
   * categories null means "try them all" (staff, or an answer without a company). */
  function loadSession() {
    if (!session && !maySignedIn()) return Promise.resolve({ state: "signed-out" });
    session = session || fetch(siteUrl("api/session"), {
      credentials: "same-origin",
      cache: "no-store",
      headers: { "Accept": "application/json" },
    }).then(function (response) {
      if (response.status === 401) return { state: "signed-out" };
      if (!response.ok) return { state: "unknown" };
      return response.json().then(function (body) {
        if (!body || !body.user) return { state: "unknown" };
        if (body.purpose && body.purpose !== "full") return { state: "signed-out" };
        // The company's categories, as slugs or as {slug, name}.
        var company = body.company || body.user.company || {};
        var categories = Array.isArray(company.categories)
          ? company.categories.map(function (c) { return typeof c === "string" ? c : c && c.slug; }).filter(Boolean)
          : null;
        return { state: "signed-in", categories: body.user.role === "channel_team" ? null : categories };
      });
    }).catch(function () { return { state: "unknown" }; });
    return session;
  }

  var index = null;
  function libraryIndex() {
    index = index || getJSON("library/index.json").then(function (data) {
      return data || { categories: [], types: [], scopes: {} };
    });
    return index;
  }

  /* The scope folders worth asking for: public always; the rest by the session. */
  function readableScopes() {
    return Promise.all([loadSession(), libraryIndex()]).then(function (both) {
      var who = both[0], idx = both[1];
      var categories = idx.categories.map(function (c) { return c.slug; });
      if (who.state === "signed-out") return { session: who, index: idx, scopes: ["public"] };
      var mine = who.state === "signed-in" && who.categories
        ? categories.filter(function (slug) { return who.categories.indexOf(slug) >= 0; })
        : categories;
      return { session: who, index: idx, scopes: ["public", "all"].concat(mine) };
    });
  }

  /* [{scope, data}] for every readable scope that has ``kind`` (resources, distributors, territories). */
  var loaded = {};
  function loadScoped(kind) {
    loaded[kind] = loaded[kind] || readableScopes().then(function (readable) {
      var wanted = readable.scopes.filter(function (scope) {
        return (readable.index.scopes[scope] || []).indexOf(kind) >= 0;
      });
      return Promise.all(wanted.map(function (scope) {
        return getJSON("library/" + scope + "/" + kind + ".json").then(function (data) {
          return { scope: scope, data: data };
        });
      })).then(function (results) {
        return results.filter(function (r) { return r.data; });
      });
    });
    return loaded[kind];
  }

  /* A moment in the reader's own time zone, with the zone's name: "Dec 3, 2026, 9:05 AM EST". */
  function localTime(iso) {
    return new Intl.DateTimeFormat("en-US", {
      year: "numeric", month: "short", day: "numeric", hour: "numeric", minute: "2-digit", timeZoneName: "short",
    }).format(new Date(iso));
  }

  function categoryNames(idx) {
    var names = {};
    idx.categories.forEach(function (c) { names[c.slug] = c.name; });
    return names;
  }

  window.PortalAccess = {
    siteUrl: siteUrl,
    getJSON: getJSON,
    session: loadSession,
    maySignedIn: maySignedIn,
    libraryIndex: libraryIndex,
    readableScopes: readableScopes,
    loadScoped: loadScoped,
    categoryNames: categoryNames,
    localTime: localTime,
  };
})();
