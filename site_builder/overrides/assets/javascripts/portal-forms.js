/* Portal forms: send a form as JSON to the API and show the server's answer next to each field.
 *
 * The server is the only judge of what is valid; this script only carries its messages to the
 * right places. A retry of the same content (double click, flaky network) reuses the same
 * Idempotency-Key, so the server records it once.
 *
 * Options, as data attributes of the <form data-portal-form> (site_builder/forms.py sets them):
 *   data-method            HTTP method (default POST)
 *   data-success-redirect  after success go to this same-site path...
 *   data-next-param        ...or to the safe same-site path in this query parameter, if present
 *   data-success-flash     keep the API's message to show on the next page (portal-account.js)
 *   data-success-show      after success hide the form and reveal the element with this id
 *   data-prefill           space-separated field names filled from same-named query parameters
 *   data-keep-values       leave the fields as they are after success (forms that edit a record)
 * Extra help for a refusal: <template data-for-form="<form id>" data-on-status="401">…</template>
 * anywhere on the page; its content is added below the API's message. A link in it with
 * data-carry-field="email" gets ?email=<what was typed> appended.
 * After every success the form fires a bubbling "portal:submitted" event, after a refusal a
 * bubbling "portal:refused" event with the HTTP status (0: the portal could not be reached).
 */
(function () {
  "use strict";

  // Per form: the last body sent and its Idempotency-Key. Kept here, not in the DOM, because a
  // body may hold a password.
  var sent = new WeakMap();

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  /* A path on this site to go to, or null. Only "/x..." (one slash, no backslash, no control
   * characters) that stays on this origin: never "//host", "/\host" or "scheme:". */
  function safePath(value) {
    if (typeof value !== "string" || value.charAt(0) !== "/" || value.length > 2000) return null;
    if (value.charAt(1) === "/" || value.indexOf("\\") !== -1 || /[\u0000-\u001f\u007f]/.test(value)) return null;
    try {
      var url = new URL(value, window.location.origin);
      if (url.origin !== window.location.origin) return null;
      /* Dot segments resolve away ("/..//evil" becomes "//evil"), so check the result too: a
       * path starting with "//" is read by the browser as another host. */
      if (/^\/[\/\\]/.test(url.pathname)) return null;
      return url.pathname + url.search + url.hash;
    } catch (e) {
      return null;
    }
  }

  function queryParam(name) {
    try { return new URLSearchParams(window.location.search).get(name); } catch (e) { return null; }
  }

  function formData(form) {
    var data = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.disabled || el.type === "submit") return;
      if (el.type === "checkbox") data[el.name] = el.checked;
      else data[el.name] = el.value;
    });
    return data;
  }

  function clearErrors(form) {
    form.querySelectorAll("[data-error-for]").forEach(function (p) { p.textContent = ""; });
    form.querySelectorAll("[aria-invalid]").forEach(function (el) { el.removeAttribute("aria-invalid"); });
    var summary = form.querySelector("[data-form-summary]");
    summary.hidden = true;
    summary.textContent = "";
  }

  function statusHelp(form, status) {
    if (!form.id) return null;
    var found = null;
    document.querySelectorAll("template[data-for-form][data-on-status]").forEach(function (t) {
      if (t.getAttribute("data-for-form") === form.id && t.getAttribute("data-on-status") === String(status)) found = t;
    });
    if (!found) return null;
    var help = found.content.cloneNode(true);
    help.querySelectorAll("a[data-carry-field]").forEach(function (link) {
      var field = form.elements[link.getAttribute("data-carry-field")];
      if (field && field.value) {
        var url = new URL(link.getAttribute("href"), window.location.href);
        url.searchParams.set(field.name, field.value);
        link.setAttribute("href", url.pathname + url.search);
      }
    });
    return help;
  }

  function showErrors(form, message, errors, status) {
    form.dispatchEvent(new CustomEvent("portal:refused", { bubbles: true, detail: { status: status } }));
    var summary = form.querySelector("[data-form-summary]");
    var heading = document.createElement("p");
    heading.textContent = message;
    summary.appendChild(heading);
    var list = document.createElement("ul");
    var firstInvalid = null;
    (errors || []).forEach(function (error) {
      var slot = form.querySelector('[data-error-for="' + error.field + '"]');
      var input = form.elements[error.field];
      var item = document.createElement("li");
      if (slot && input && !input.disabled && input.type !== "hidden") {
        slot.textContent = error.message;
        input.setAttribute("aria-invalid", "true");
        firstInvalid = firstInvalid || input;
        var link = document.createElement("a");
        link.href = "#" + input.id;
        link.textContent = error.message;
        item.appendChild(link);
      } else {
        item.textContent = error.message;
      }
      list.appendChild(item);
    });
    if (list.children.length) summary.appendChild(list);
    var help = status ? statusHelp(form, status) : null;
    if (help) summary.appendChild(help);
    summary.hidden = false;
    (firstInvalid || summary).focus();
  }

  function successTarget(form) {
    var param = form.getAttribute("data-next-param");
    var next = param ? safePath(queryParam(param)) : null;
    return next || safePath(form.getAttribute("data-success-redirect"));
  }

  function succeeded(form, answer, result) {
    form.dispatchEvent(new CustomEvent("portal:submitted", { bubbles: true, detail: { answer: answer } }));
    if (form.hasAttribute("data-success-flash") && answer.message) {
      try { window.sessionStorage.setItem("portal-flash", answer.message); } catch (e) { /* shown nowhere */ }
    }
    var target = successTarget(form);
    if (target) {
      window.location.assign(target);
      return true; // leave the button disabled while the next page loads
    }
    if (!form.hasAttribute("data-keep-values")) form.reset();
    sent.delete(form);
    var showId = form.getAttribute("data-success-show");
    var shown = showId ? document.getElementById(showId) : null;
    if (shown) {
      form.hidden = true;
      shown.hidden = false;
      if (!shown.hasAttribute("tabindex")) shown.setAttribute("tabindex", "-1");
      shown.focus();
      return false;
    }
    if (result) {
      result.textContent = answer.message || "Sent.";
      if (answer.reference) result.dataset.reference = answer.reference;
      result.setAttribute("tabindex", "-1");
      result.focus();
    }
    return false;
  }

  async function submit(form, event) {
    event.preventDefault();
    var button = form.querySelector('button[type="submit"]');
    if (button.disabled) return;
    var result = form.querySelector("[data-form-result]");
    var body = JSON.stringify(formData(form));
    var previous = sent.get(form);
    if (!previous || previous.body !== body) {
      previous = { body: body, key: newKey() };
      sent.set(form, previous);
    }
    clearErrors(form);
    if (result) result.textContent = "";
    button.disabled = true;
    var leaving = false;
    try {
      var response = await fetch(form.getAttribute("action"), {
        method: (form.getAttribute("data-method") || "POST").toUpperCase(),
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "Accept": "application/json", "Idempotency-Key": previous.key },
        body: body,
      });
      var answer = {};
      try { answer = await response.json(); } catch (e) { answer = {}; }
      if (!answer || typeof answer !== "object") answer = {};
      if (response.ok) {
        leaving = succeeded(form, answer, result);
      } else {
        showErrors(form, answer.message || "Something went wrong (" + response.status + "). Please try again.", answer.errors, response.status);
      }
    } catch (e) {
      showErrors(form, "We could not reach the portal. Check your connection and send again; nothing will be sent twice.", [], 0);
    } finally {
      if (!leaving) button.disabled = false;
    }
  }

  function prefill(form) {
    (form.getAttribute("data-prefill") || "").split(/\s+/).forEach(function (name) {
      var field = name && form.elements[name];
      var value = name && queryParam(name);
      if (field && value && field.type !== "password" && field.type !== "hidden" && !field.value) {
        field.value = value;
        // Too long for the field: said next to it (portal-text-limits.js), not cut.
        field.dispatchEvent(new Event("input", { bubbles: true }));
      }
    });
  }

  function revealPasswords(form) {
    var toggle = form.querySelector("[data-reveal-passwords]");
    if (!toggle) return;
    toggle.addEventListener("change", function () {
      form.querySelectorAll('input[type="password"], input[data-revealed]').forEach(function (input) {
        input.setAttribute("data-revealed", "");
        input.type = toggle.checked ? "text" : "password";
      });
    });
  }

  function init() {
    document.querySelectorAll("form[data-portal-form]").forEach(function (form) {
      if (form.dataset.ready) return;
      form.dataset.ready = "1";
      prefill(form);
      revealPasswords(form);
      form.addEventListener("submit", function (event) { submit(form, event); });
    });
  }

  /* ---- An emailed link's secret part (#<user_id>.<token>) on the page that posts it ---- */

  var EMAILED_LINK = /^([0-9a-f]{1,64})\.([A-Za-z0-9_-]{20,100})$/;

  function keptLink(key, value) {
    try {
      if (value === undefined) return window.sessionStorage.getItem(key);
      if (value === null) window.sessionStorage.removeItem(key);
      else window.sessionStorage.setItem(key, value);
    } catch (e) { /* storage off: a reload then needs the emailed link again */ }
    return null;
  }

  /* {raw, opened, link: {user_id, token} | null}. The secret is taken out of the address bar (it
   * should not linger there or in history) and kept for this tab only under ``key``, so a reload
   * of the page still finds it, until forgetEmailedLink(key). ``opened``: the address carried a
   * link part at all. */
  function emailedLink(key) {
    var raw = window.location.hash.replace(/^#/, "");
    var opened = Boolean(raw);
    if (window.location.hash) {
      window.history.replaceState(window.history.state, "", window.location.pathname + window.location.search);
      keptLink(key, EMAILED_LINK.test(raw) ? raw : null);
    } else {
      raw = keptLink(key) || "";
    }
    var match = EMAILED_LINK.exec(raw);
    return { raw: raw, opened: opened, link: match ? { user_id: match[1], token: match[2] } : null };
  }

  function forgetEmailedLink(key) {
    keptLink(key, null);
  }

  /* Once ``form`` used the link, or the portal refused it as used, expired (410) or broken (422),
   * there is nothing left to reload. */
  function forgetEmailedLinkOnceUsed(form, key) {
    form.addEventListener("portal:submitted", function () { forgetEmailedLink(key); });
    form.addEventListener("portal:refused", function (event) {
      var status = event.detail && event.detail.status;
      if (status === 410 || status === 422) forgetEmailedLink(key);
    });
  }

  window.PortalForms = {
    safePath: safePath,
    queryParam: queryParam,
    emailedLink: emailedLink,
    forgetEmailedLink: forgetEmailedLink,
    forgetEmailedLinkOnceUsed: forgetEmailedLinkOnceUsed,
  };

  if (window.document$ && window.document$.subscribe) window.document$.subscribe(init);
  else document.addEventListener("DOMContentLoaded", init);
})();
