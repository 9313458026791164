/* Search over only what this reader may open, with Material's own search box, worker and results.
 *
 * The build writes no single search index (it would carry every gated page's text). It writes one
 * per audience: search/public.json, search/signed-in.json and search/category/<slug>.json, each
 * behind the same access rule as its pages. Material's bundle asks for search/search_index.json
 * with XMLHttpRequest; this script answers that one request with the merged indexes the reader
 * may open, fetched the first time the reader uses search. Loaded before Material's bundle.
 */
(function () {
  "use strict";

  var INDEX = /\/search\/search_index\.json$/;
  var open = XMLHttpRequest.prototype.open;
  var send = XMLHttpRequest.prototype.send;
  var merged = null;

  function indexPath(scope) {
    if (scope === "public") return "search/public.json";
    if (scope === "all") return "search/signed-in.json";
    return "search/category/" + scope + ".json";
  }

  function mergedIndex() {
    merged = merged || window.PortalAccess.readableScopes().then(function (readable) {
      return Promise.all(readable.scopes.map(function (scope) {
        return window.PortalAccess.getJSON(indexPath(scope));
      }));
    }).then(function (indexes) {
      var config = null, docs = [], seen = {};
      indexes.forEach(function (index) {
        if (!index) return; // refused by the CDN: not this reader's
        config = config || index.config;
        index.docs.forEach(function (doc) {
          if (seen[doc.location]) return;
          seen[doc.location] = true;
          docs.push(doc);
        });
      });
      return { config: config || { lang: ["en"], separator: "[\\s\\-]+", pipeline: ["stemmer"], fields: {} }, docs: docs };
    });
    return merged;
  }

  /* The Resource Finder keeps its words in ?find=. Addresses saved before it was renamed carry
   * ?q=, which Material's bundle reads as a site search, opening its overlay over the list. This
   * script runs before the bundle (it is loaded without defer, ahead of it), so on the finder's
   * page such an address becomes ?find= before the bundle looks. */
  (function finderAddress() {
    var params = new URLSearchParams(window.location.search);
    if (!params.has("q") || !document.querySelector("[data-portal-finder]")) return;
    if (!params.has("find")) params.set("find", params.get("q"));
    params.delete("q");
    var query = params.toString();
    window.history.replaceState(window.history.state, "", window.location.pathname + (query ? "?" + query : "") + window.location.hash);
  })();

  /* Resolves when the reader first reaches for search (or arrives with a search in the URL). */
  var wanted = new Promise(function (resolve) {
    var params = new URLSearchParams(window.location.search);
    if (params.has("q") || params.has("h")) return resolve();
    document.addEventListener("focusin", function (event) {
      if (event.target && event.target.matches && event.target.matches("[data-md-component=search-query]")) resolve();
    });
    document.addEventListener("change", function (event) {
      if (event.target && event.target.id === "__search") resolve();
    });
  });

  XMLHttpRequest.prototype.open = function (method, url) {
    var target = new URL(String(url), window.location.href);
    this.__portalIndex = method === "GET" && target.origin === window.location.origin && INDEX.test(target.pathname);
    if (this.__portalIndex) return undefined; // opened in send(), once the merged index is ready
    return open.apply(this, arguments);
  };

  XMLHttpRequest.prototype.send = function () {
    if (!this.__portalIndex) return send.apply(this, arguments);
    var request = this;
    wanted.then(mergedIndex).then(function (index) {
      var blob = new Blob([JSON.stringify(index)], { type: "application/json" });
      open.call(request, "GET", URL.createObjectURL(blob));
      send.call(request);
    });
    return undefined;
  };
})();
