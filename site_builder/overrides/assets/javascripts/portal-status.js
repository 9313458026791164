/* Service Health: the banner on every page and the Service Health page, from /status.json.
 *
 * status.json is a plain public file on the CDN that staff replace with `portal status post|clear`,
 * so the banner keeps working when the API (or sign-in) is down. It is fetched fresh on every page.
 */
(function () {
  "use strict";

  var LABELS = { info: "Notice", warning: "Service warning", outage: "Service outage" };

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // Times carry their zone: the reader's own ("Dec 3, 2026, 9:05 AM EST"), or UTC ("GMT").
  var when = window.PortalAccess ? window.PortalAccess.localTime : function (iso) { return new Date(iso).toUTCString(); };

  function current(status) {
    var notice = status && status.notice;
    if (!notice) return null;
    return notice.until && Date.parse(notice.until) <= Date.now() ? null : notice;
  }

  function describe(notice, into) {
    into.appendChild(el("strong", "portal-status__label", LABELS[notice.level] + ": "));
    into.appendChild(document.createTextNode(notice.message));
    var times = " (posted " + when(notice.posted_at) + (notice.until ? "; until " + when(notice.until) : "") + ")";
    into.appendChild(el("span", "portal-status__time", times));
  }

  function banner(notice, pageUrl) {
    var box = el("div", "portal-status-banner portal-status-banner--" + notice.level);
    // An outage interrupts screen readers at once; other notices wait their turn.
    box.setAttribute("role", notice.level === "outage" ? "alert" : "status");
    box.setAttribute("data-status-banner", notice.level);
    var inner = el("p", "portal-status-banner__inner md-grid");
    describe(notice, inner);
    if (pageUrl && !document.querySelector("[data-service-health]")) {
      inner.appendChild(document.createTextNode(" "));
      var more = el("a", null, "Service Health");
      more.href = pageUrl;
      inner.appendChild(more);
    }
    box.appendChild(inner);
    var header = document.querySelector(".md-header");
    if (header && header.parentNode) header.parentNode.insertBefore(box, header.nextSibling);
    else document.body.insertBefore(box, document.body.firstChild);
  }

  function healthPage(root, status) {
    var now = root.querySelector("[data-status-current]");
    var history = root.querySelector("[data-status-history]");
    now.textContent = "";
    if (!status) {
      now.appendChild(el("p", null, "We could not load the current status. If the portal is not working for you, contact Reseller Support by phone or email."));
      return;
    }
    var notice = current(status);
    var line = el("p", "portal-status portal-status--" + (notice ? notice.level : "ok"));
    if (notice) describe(notice, line);
    else line.textContent = "All services are running normally.";
    now.appendChild(line);
    now.appendChild(el("p", "portal-status__time", "Last updated " + when(status.updated_at) + "."));
    var past = (status.history || []).slice();
    if (status.notice && !notice) past.unshift(status.notice); // expired by its own end time
    past.forEach(function (n) {
      var item = el("li");
      describe(n, item);
      if (n.cleared_at) item.appendChild(el("span", "portal-status__time", " Resolved " + when(n.cleared_at) + "."));
      history.appendChild(item);
    });
    root.querySelector("[data-status-history-empty]").hidden = past.length > 0;
  }

  var source = window.PortalAccess ? window.PortalAccess.siteUrl("status.json") : "/status.json";
  var page = window.PortalAccess ? window.PortalAccess.siteUrl("help/service-health/") : null;
  fetch(source, { cache: "no-store", credentials: "same-origin", headers: { "Accept": "application/json" } })
    .then(function (response) { return response.ok ? response.json() : null; })
    .catch(function () { return null; })
    .then(function (status) {
      var notice = current(status);
      if (notice) banner(notice, page);
      var root = document.querySelector("[data-service-health]");
      if (root) healthPage(root, status);
    });
})();
