/* Shared parts of the reseller application's pages (portal-application.js), MY DASHBOARD
 * (portal-dashboard.js) and the channel team's review (portal-review.js): calling the API,
 * showing the server's refusals next to each field, reading and filling form fields, and the
 * step page's loading and saving. The server is the only judge: these helpers only carry its
 * answers to the right places. Every text is set with textContent.
 */
(function () {
  "use strict";

  var STEP_PAGES = {
    "categories": "/apply/categories/",
    "user-information": "/apply/user-information/",
    "product-information": "/apply/product-information/",
    "complete": "/apply/review/",
    "review": "/apply/review/",
  };

  function param(name) {
    try { return new URLSearchParams(window.location.search).get(name); } catch (e) { return null; }
  }

  async function api(method, url, body) {
    var options = { method: method, credentials: "same-origin", cache: "no-store", headers: { "Accept": "application/json" } };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    try {
      var response = await fetch(url, options);
      var answer = {};
      try { answer = (await response.json()) || {}; } catch (e) { answer = {}; }
      return { status: response.status, ok: response.ok, body: answer };
    } catch (e) {
      return { status: 0, ok: false, body: { message: "We could not reach the portal. Check your connection and try again." } };
    }
  }

  /* {state: "signed-in"|"signed-out"|"unknown", body}: the answer portal-account.js already asked for. */
  async function session() {
    if (window.PortalAccount && window.PortalAccount.session) return window.PortalAccount.session;
    if (window.PortalAccess && !window.PortalAccess.maySignedIn()) return { state: "signed-out" };
    var answer = await api("GET", "/api/session");
    if (answer.status === 401) return { state: "signed-out" };
    return answer.ok && answer.body.user ? { state: "signed-in", body: answer.body } : { state: "unknown" };
  }

  function element(tag, text, className) {
    var el = document.createElement(tag);
    if (text !== undefined && text !== null) el.textContent = text;
    if (className) el.className = className;
    return el;
  }

  function link(href, text, className) {
    var a = element("a", text, className);
    a.href = href;
    return a;
  }

  function cssEscape(value) {
    return window.CSS && CSS.escape ? CSS.escape(value) : value.replace(/["\\]/g, "\\$&");
  }

  function clearProblems(root) {
    root.querySelectorAll("[data-error-for]").forEach(function (p) { p.textContent = ""; });
    root.querySelectorAll("[aria-invalid]").forEach(function (el) { el.removeAttribute("aria-invalid"); });
    var summary = root.querySelector("[data-form-summary]");
    if (summary) { summary.hidden = true; summary.textContent = ""; }
  }

  /* The errors in the order of their fields on the form, whatever order the API sent them in (a
   * problem of no field, such as the categories chosen in step 1, comes first). */
  function inFormOrder(root, errors) {
    var slots = Array.prototype.slice.call(root.querySelectorAll("[data-error-for]"));
    function position(error) {
      return slots.indexOf(root.querySelector('[data-error-for="' + cssEscape(String(error.field)) + '"]'));
    }
    return errors.map(function (error, index) { return { error: error, at: position(error), index: index }; })
      .sort(function (a, b) { return a.at - b.at || a.index - b.index; })
      .map(function (entry) { return entry.error; });
  }

  /* Show the API's message in the summary and each field's message next to the field, in the
   * form's order. Returns the fields (inputs or fieldsets) marked invalid, first first. `extra`
   * nodes go below the message. */
  function showProblems(root, message, errors, extra) {
    var summary = root.querySelector("[data-form-summary]");
    summary.textContent = "";
    summary.appendChild(element("p", message || "Please correct the highlighted fields."));
    var list = element("ul");
    var invalid = [];
    inFormOrder(root, errors || []).forEach(function (error) {
      var slot = root.querySelector('[data-error-for="' + cssEscape(String(error.field)) + '"]');
      var target = slot ? document.getElementById(slot.id.replace(/-error$/, "")) : null;
      var item = element("li");
      if (slot) {
        slot.textContent = error.message;
        if (target) {
          target.setAttribute("aria-invalid", "true");
          invalid.push(target);
          item.appendChild(link("#" + target.id, error.message));
        } else {
          item.textContent = error.message;
        }
      } else {
        item.textContent = error.message;
      }
      list.appendChild(item);
    });
    if (list.children.length) summary.appendChild(list);
    (extra || []).forEach(function (node) { if (node) summary.appendChild(node); });
    summary.hidden = false;
    return invalid;
  }

  function focusFirst(root, invalid) {
    var first = invalid[0];
    if (first && first.offsetParent !== null) first.focus();
    else root.querySelector("[data-form-summary]").focus();
  }

  function flash(message) {
    try { window.sessionStorage.setItem("portal-flash", message); } catch (e) { /* shown nowhere */ }
  }

  function template(selector) {
    var found = document.querySelector(selector);
    return found ? found.content.cloneNode(true) : null;
  }

  function stepUrl(step, applicationId) {
    return STEP_PAGES[step] + (applicationId ? "?application=" + encodeURIComponent(applicationId) : "");
  }

  /* ---- a step page: load the application, save a step ---- */

  function Page(root) {
    this.root = root;
    this.step = root.getAttribute("data-application-page");
    this.form = root.querySelector("form[data-application-form]");
    this.applicationId = param("application");
    this.version = null;
  }

  Page.prototype.notice = function (text, links) {
    var box = this.root.querySelector("[data-application-notice]");
    this.root.querySelector("[data-application-loading]").hidden = true;
    this.form.hidden = true;
    box.querySelector("[data-application-notice-text]").textContent = text;
    var where = box.querySelector("[data-application-notice-links]");
    where.textContent = "";
    (links || []).forEach(function (pair, index) {
      if (index) where.appendChild(document.createTextNode(" · "));
      where.appendChild(link(pair[0], pair[1]));
    });
    box.hidden = false;
    box.focus();
  };

  Page.prototype.ready = function () {
    var id = this.applicationId;
    this.root.querySelector("[data-application-loading]").hidden = true;
    this.form.hidden = false;
    document.querySelectorAll("[data-step-link]").forEach(function (a) {
      a.setAttribute("href", stepUrl(a.getAttribute("data-step-link"), id));
    });
  };

  /* The application of ?application=, or null after showing why it cannot be used here. */
  Page.prototype.load = async function (stepNumber) {
    var dashboard = [["/account/dashboard/", "Go to My Dashboard"]];
    if (!this.applicationId) {
      // Opened without ?application= (a bookmark, the site navigation): there is nothing to ask for.
      this.notice("Step " + stepNumber + " continues an application you have started: open it from My Dashboard, or start with step 1.",
        dashboard.concat([[stepUrl("categories"), "Go to Category Selection"]]));
      return null;
    }
    var answer = await api("GET", "/api/applications/" + encodeURIComponent(this.applicationId));
    if (answer.status === 401) {
      this.notice("Sign in to continue your application.", [["/account/sign-in/?next=" + encodeURIComponent(location.pathname + location.search), "Sign in"]]);
      return null;
    }
    if (!answer.ok) {
      this.notice(answer.body.message || "This application could not be loaded.", dashboard);
      return null;
    }
    var application = answer.body.application;
    if (!application.editable) {
      this.notice("This application was submitted on " + application.submitted_at.slice(0, 10) + " and can no longer be changed. My Dashboard shows where it stands.", dashboard);
      return null;
    }
    var next = application.next_step;
    if (next && next.number < stepNumber) {
      this.notice("Step " + next.number + ", " + next.title + ", comes first.", [[next.page, "Go to step " + next.number]]);
      return null;
    }
    this.version = application.version;
    return application;
  };

  /* Send a save; on success go on, on a stale copy show the current version. */
  Page.prototype.send = async function (method, url, body, onSuccess, fill) {
    var button = this.form.querySelector('button[type="submit"]');
    if (button.disabled) return;
    clearProblems(this.form);
    this.markTabs([]);
    button.disabled = true;
    var answer = await api(method, url, body);
    if (answer.ok) {
      onSuccess(answer.body);
      return;
    }
    button.disabled = false;
    var extra = [];
    if (answer.status === 409 && answer.body.application) {
      this.version = answer.body.application.version;
      if (fill) fill(answer.body.application);
      extra.push(element("p", "The form now shows the current version (" + this.version + ")."));
    } else {
      // The page's own advice for this refusal (with its links), said once, below the API's message.
      extra.push(template('template[data-for-status="' + answer.status + '"]'));
    }
    var errors = answer.body.errors || [];
    if (errors.some(function (e) { return e.field === "categories"; })) extra.push(template('template[data-for-field="categories"]'));
    // A problem with a code (an account that exists) gets the same advice as its own refusal would.
    errors.forEach(function (e) {
      if (e.code && answer.status !== 409) extra.push(template('template[data-for-code="' + cssEscape(String(e.code)) + '"]'));
    });
    var invalid = showProblems(this.form, answer.body.message || "Something went wrong (" + answer.status + "). Please try again.", errors, extra);
    this.markTabs(invalid);
    focusFirst(this.form, invalid);
  };

  Page.prototype.markTabs = function () { /* replaced on the page with tabs */ };

  function checked(form, name) {
    return Array.prototype.filter.call(form.querySelectorAll('input[name="' + cssEscape(name) + '"]'), function (el) {
      return el.checked && !el.disabled;
    }).map(function (el) { return el.value; });
  }

  function setValue(form, name, value) {
    var inputs = form.querySelectorAll('[name="' + cssEscape(name) + '"]');
    inputs.forEach(function (input) {
      if (input.type === "checkbox") input.checked = Array.isArray(value) ? value.indexOf(input.value) !== -1 : Boolean(value);
      else if (input.type === "radio") input.checked = (value === true && input.value === "yes") || (value === false && input.value === "no") || input.value === value;
      else input.value = value === undefined || value === null ? "" : String(value);
    });
  }

  /* The value of one named field: text, a radio's value, or a list of checked boxes. */
  function valueOf(form, name) {
    var inputs = form.querySelectorAll('[name="' + cssEscape(name) + '"]');
    var first = inputs[0];
    if (!first) return undefined;
    if (first.type === "checkbox") return checked(form, name);
    if (first.type === "radio") return checked(form, name)[0] || "";
    return first.value;
  }

  window.PortalApplications = {
    api: api, session: session, element: element, link: link, param: param, flash: flash,
    clearProblems: clearProblems, showProblems: showProblems, focusFirst: focusFirst, stepUrl: stepUrl,
    cssEscape: cssEscape, checked: checked, setValue: setValue, valueOf: valueOf, Page: Page,
  };
})();
