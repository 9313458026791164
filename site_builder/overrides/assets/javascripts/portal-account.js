/* Who is signed in, on every page, and the small page-specific parts of the account pages.
 *
 * Every page load of a signed-in reader asks GET /api/session once: the header shows the person,
 * and the answer also re-issues the short-lived access cookie the CDN checks. A signed-out reader
 * (no signed-in cookie) gets the "Sign in" link without a request. When the API cannot
 * be reached the page simply shows "Sign in". Nothing here writes HTML from data: every text is
 * set with textContent. Configuration comes from data attributes (no inline scripts).
 */
(function () {
  "use strict";

  var SESSION_API = "/api/session";
  var FLASH_KEY = "portal-flash";
  var REFRESH_EVERY_MS = 4 * 60 * 1000;

  function forms() {
    return window.PortalForms || {
      safePath: function () { return null; },
      queryParam: function (name) { return new URLSearchParams(window.location.search).get(name); },
      // Pages with an emailed link have its form, so portal-forms.js: these never run.
      emailedLink: function () { return { raw: "", opened: false, link: null }; },
      forgetEmailedLink: function () {},
      forgetEmailedLinkOnceUsed: function () {},
    };
  }

  /* {state: "signed-in", body} | {state: "signed-out"} | {state: "unknown"} (API down or odd answer). */
  async function loadSession() {
    // No signed-in cookie (see portal-access.js): nobody to ask about.
    if (window.PortalAccess && !window.PortalAccess.maySignedIn()) return { state: "signed-out" };
    try {
      var response = await fetch(SESSION_API, {
        credentials: "same-origin",
        cache: "no-store",
        headers: { "Accept": "application/json" },
      });
      if (response.status === 401) return { state: "signed-out" };
      if (!response.ok) return { state: "unknown" };
      var body = await response.json();
      if (!body || !body.user) return { state: "unknown" };
      return { state: "signed-in", body: body };
    } catch (e) {
      return { state: "unknown" };
    }
  }

  function fullName(user) {
    return [user.first_name, user.last_name].filter(Boolean).join(" ") || user.email || "";
  }

  function show(el, visible) {
    if (el) el.hidden = !visible;
  }

  function link(href, text, className) {
    var a = document.createElement("a");
    a.href = href;
    a.textContent = text;
    if (className) a.className = className;
    return a;
  }

  function absolute(href) {
    return new URL(href, window.location.href).pathname;
  }

  /* ---- the header ---- */

  function renderHeader(session) {
    var box = document.querySelector("[data-portal-account]");
    if (!box) return;
    var signIn = absolute(box.getAttribute("data-sign-in-url"));
    var signOut = absolute(box.getAttribute("data-sign-out-url"));
    var setPassword = absolute(box.getAttribute("data-set-password-url"));
    box.textContent = "";
    if (session.state === "signed-in" && session.body.purpose === "full") {
      var user = session.body.user;
      var who = document.createElement("span");
      who.className = "md-header__account-who";
      who.setAttribute("data-signed-in-as", "");
      // The name, then the role and company (a narrow screen shows the name only).
      var name = document.createElement("span");
      name.className = "md-header__account-name";
      name.textContent = fullName(user);
      var details = document.createElement("span");
      details.className = "md-header__account-details";
      details.textContent = [user.role_label, session.body.company && session.body.company.name]
        .filter(Boolean)
        .map(function (part) { return " · " + part; })
        .join("");
      who.appendChild(name);
      who.appendChild(details);
      who.title = who.textContent;
      box.appendChild(who);
      // Every user of a company sees what the company is authorized for: say which categories.
      var names = ((session.body.company && session.body.company.categories) || []).map(function (c) { return c.name; });
      var categories = document.createElement("span");
      categories.className = "md-header__account-categories";
      categories.setAttribute("data-account-categories", "");
      categories.textContent = names.length ? "Categories: " + names.join(", ") : "No product categories yet";
      categories.title = categories.textContent;
      box.appendChild(categories);
      var myAccount = box.getAttribute("data-my-account-url");
      if (myAccount) box.appendChild(link(absolute(myAccount), "My Account", "md-header__account-link"));
      var dashboard = box.getAttribute("data-dashboard-url");
      if (dashboard) box.appendChild(link(absolute(dashboard), "My Dashboard", "md-header__account-link"));
      box.appendChild(link(signOut, "Sign out", "md-header__account-link"));
    } else if (session.state === "signed-in") {
      box.appendChild(link(setPassword, "Choose your new password", "md-header__account-link"));
      box.appendChild(link(signOut, "Sign out", "md-header__account-link"));
    } else {
      var here = window.location.pathname;
      var onAccountPage = here.indexOf(signIn.replace(/sign-in\/$/, "")) === 0;
      var href = onAccountPage ? signIn : signIn + "?next=" + encodeURIComponent(here + window.location.search);
      box.appendChild(link(href, "Sign in", "md-header__account-link"));
    }
  }

  /* ---- a message carried over from the previous page (e.g. "Your new password is saved") ---- */

  function showFlash() {
    var message = null;
    try {
      message = window.sessionStorage.getItem(FLASH_KEY);
      window.sessionStorage.removeItem(FLASH_KEY);
    } catch (e) {
      return;
    }
    var content = document.querySelector(".md-content__inner");
    if (!message || !content) return;
    var note = document.createElement("div");
    note.className = "portal-flash";
    note.setAttribute("role", "status");
    note.setAttribute("data-flash", "");
    content.insertBefore(note, content.firstChild);
    // Filled after insertion, so screen readers announce it as a status message.
    window.setTimeout(function () { note.textContent = message; }, 50);
  }

  /* ---- Sign in: say so when already signed in, and why the page was opened ---- */

  function signInPage(session) {
    var page = document.querySelector("[data-sign-in-page]");
    if (!page) return;
    var next = forms().safePath(forms().queryParam("next"));
    show(page.querySelector("[data-next-note]"), Boolean(next));
    var already = page.querySelector("[data-already-signed-in]");
    if (session.state === "signed-in" && session.body.purpose === "full" && next) {
      // Sent here by the CDN because the access cookie lapsed; the session call above renewed it.
      window.location.replace(next);
      return;
    }
    if (!already || session.state !== "signed-in" || session.body.purpose !== "full") return;
    show(page.querySelector("[data-next-note]"), false);
    already.querySelector("[data-signed-in-name]").textContent = fullName(session.body.user);
    var go = already.querySelector("[data-continue]");
    if (go && next) go.setAttribute("href", next);
    show(already, true);
  }

  /* ---- Sign out: nothing to do when nobody is signed in ---- */

  function signOutPage(session) {
    var page = document.querySelector("[data-sign-out-page]");
    if (!page || session.state !== "signed-out") return;
    var form = document.getElementById("form-sign-out");
    var done = document.getElementById("signed-out");
    if (form && done && !form.hidden) {
      form.hidden = true;
      done.hidden = false;
    }
  }

  /* ---- One-time login: check the emailed link (changes nothing) and offer LOG IN ---- */

  // The link as opened is kept for this tab (portal-forms.js), so a reload still offers LOG IN.
  var LINK_KEY = "portal-one-time-link";

  /* A link may name where to go once the password is set (?next=, a path on this site only, such
   * as /account/dashboard/ in a new applicant's link): the set-password page takes it from there. */
  function carryNext(form) {
    var next = forms().safePath(forms().queryParam("next"));
    var target = "/account/set-password/" + (next ? "?next=" + encodeURIComponent(next) : "");
    form.setAttribute("data-success-redirect", target);
  }

  /* LOG IN used the link, or the portal refused it when it was posted: nothing left to reload.
   * A link used meanwhile elsewhere (410, another tab) no longer offers LOG IN: only the form's
   * message and its "Request New Password" stay. */
  function forgetLinkAfterLogIn() {
    var form = document.getElementById("form-one-time-login");
    var page = document.querySelector("[data-one-time-login]");
    if (!form || !page) return;
    forms().forgetEmailedLinkOnceUsed(form, LINK_KEY);
    form.addEventListener("portal:refused", function (event) {
      if (event.detail && event.detail.status === 410) {
        show(page.querySelector("[data-otl-ready]"), false);
        show(form.querySelector('[type="submit"]'), false);
      }
    });
  }

  async function oneTimeLoginPage() {
    var page = document.querySelector("[data-one-time-login]");
    if (!page) return;
    var checking = page.querySelector("[data-otl-checking]");
    var ready = page.querySelector("[data-otl-ready]");
    var problem = page.querySelector("[data-otl-problem]");
    var form = document.getElementById("form-one-time-login");

    show(ready, false);
    show(problem, false);
    show(form, false);
    show(checking, true);

    function fail(message) {
      show(checking, false);
      page.querySelector("[data-otl-message]").textContent = message;
      show(problem, true);
    }

    var read = forms().emailedLink(LINK_KEY);
    var link = read.link;
    if (!link) {
      fail(read.opened ? page.getAttribute("data-incomplete-message") : page.getAttribute("data-missing-message"));
      return;
    }
    try {
      var response = await fetch("/api/one-time-login/preview", {
        method: "POST",
        credentials: "same-origin",
        cache: "no-store",
        headers: { "Content-Type": "application/json", "Accept": "application/json" },
        body: JSON.stringify(link),
      });
      var answer = {};
      try { answer = (await response.json()) || {}; } catch (e) { answer = {}; }
      if (response.ok && answer.masked_email) {
        carryNext(form);
        form.elements.user_id.value = link.user_id;
        form.elements.token.value = link.token;
        page.querySelector("[data-otl-email]").textContent = answer.masked_email;
        show(checking, false);
        show(ready, true);
        // A new link opened in this tab after an old one was refused: LOG IN again, without the old message.
        show(form.querySelector("[data-form-summary]"), false);
        show(form.querySelector('[type="submit"]'), true);
        show(form, true);
      } else if (response.status === 410 && answer.message) {
        forms().forgetEmailedLink(LINK_KEY);
        fail(answer.message);
      } else if (response.status === 422) {
        forms().forgetEmailedLink(LINK_KEY);
        fail(page.getAttribute("data-incomplete-message"));
      } else {
        fail(page.getAttribute("data-unreachable-message"));
      }
    } catch (e) {
      fail(page.getAttribute("data-unreachable-message"));
    }
  }

  /* ---- Set password: after a one-time login, or a normal change (then the current one too) ---- */

  function setPasswordPage(session) {
    var page = document.querySelector("[data-set-password]");
    if (!page) return;
    var form = document.getElementById("form-set-password");
    show(page.querySelector("[data-sp-checking]"), false);
    if (session.state === "signed-out") {
      show(page.querySelector("[data-sp-signed-out]"), true);
      return;
    }
    var change = session.state === "signed-in" && session.body.purpose === "full";
    show(page.querySelector("[data-sp-reset]"), !change);
    show(page.querySelector("[data-sp-change]"), change);
    if (change) {
      var current = form.elements.current_password;
      current.disabled = false;
      current.closest("[data-optional-field]").hidden = false;
    }
    show(form, true);
  }

  /* ---- Needs a category: name it from the list built into the page, never echo the parameter ---- */

  function needsCategoryPage() {
    var page = document.querySelector("[data-needs-category]");
    if (!page) return;
    var slug = forms().queryParam("category");
    var name = null;
    page.querySelectorAll("[data-category-list] [data-slug]").forEach(function (item) {
      if (item.getAttribute("data-slug") === slug) name = item.textContent;
    });
    if (!name) return; // the generic text stays
    page.querySelectorAll("[data-category-name]").forEach(function (slot) { slot.textContent = name; });
    show(page.querySelector("[data-category-unknown]"), false);
    show(page.querySelector("[data-category-known]"), true);
  }

  /* ---- wiring ---- */

  var started = false;

  async function start() {
    if (started) return;
    started = true;
    showFlash();
    needsCategoryPage();
    forgetLinkAfterLogIn();
    var oneTime = oneTimeLoginPage();
    // Shared with the other portal scripts (portal-application.js...), so a page asks only once.
    var pending = loadSession();
    window.PortalAccount = { session: pending };
    var session = await pending;
    renderHeader(session);
    signInPage(session);
    signOutPage(session);
    setPasswordPage(session);
    await oneTime;
    // A one-time link opened again in the same tab only changes the fragment: check it again.
    window.addEventListener("hashchange", function () {
      if (window.location.hash) oneTimeLoginPage();
    });
    document.addEventListener("portal:submitted", async function () {
      renderHeader(await loadSession());
    });
    // The access cookie lives 10 minutes: renew it while the page stays open, so the next click
    // on a gated page or file doesn't bounce through sign-in. A lapsed session shows "Sign in".
    window.setInterval(async function () {
      if (document.visibilityState === "visible") renderHeader(await loadSession());
    }, REFRESH_EVERY_MS);
    document.addEventListener("visibilitychange", async function () {
      if (document.visibilityState === "visible") renderHeader(await loadSession());
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
