/* The reseller application's step pages (content/pages/apply/): load, save and submit each step.
 *
 * The server is the only judge: every step is saved with PUT/POST and the version the page
 * loaded; a refusal is shown next to each field (422), a stale copy (409) is replaced by the
 * current version the server sends back. Before the account exists (steps 1 and 2 of a new
 * reseller) step 1's choice is kept in this tab's sessionStorage only. Every text is set with
 * textContent. The shared helpers are in portal-application-core.js (window.PortalApplications).
 */
(function () {
  "use strict";

  var A = window.PortalApplications;
  if (!A) return;
  var DRAFT_KEY = "portal-application-draft";
  var api = A.api, param = A.param, element = A.element, link = A.link, cssEscape = A.cssEscape;
  var clearProblems = A.clearProblems, showProblems = A.showProblems, focusFirst = A.focusFirst;
  var stepUrl = A.stepUrl, flash = A.flash, checked = A.checked, setValue = A.setValue, valueOf = A.valueOf;

  function draft() {
    try { return JSON.parse(window.sessionStorage.getItem(DRAFT_KEY) || "null") || {}; } catch (e) { return {}; }
  }

  function saveDraft(value) {
    try { window.sessionStorage.setItem(DRAFT_KEY, JSON.stringify(value)); } catch (e) { /* the next step says so */ }
  }

  /* ---- step 1 ---- */

  async function categoriesPage(page, who) {
    var form = page.form;
    if (who.signedIn && page.applicationId) {
      var application = await page.load(1);
      if (!application) return;
      setValue(form, "categories", application.categories.map(function (c) { return c.slug; }));
    } else if (who.signedIn) {
      var dashboard = await api("GET", "/api/applications");
      if (dashboard.ok) markTaken(form, dashboard.body.sections);
    } else {
      setValue(form, "categories", draft().categories || []);
    }
    var wanted = param("category");
    if (wanted) setValue(form, "categories", checked(form, "categories").concat([wanted]));
    page.ready();
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var categories = checked(form, "categories");
      if (!who.signedIn) {
        clearProblems(form);
        if (!categories.length) {
          focusFirst(form, showProblems(form, "Please correct the highlighted fields.", [{ field: "categories", message: "Product categories is required: choose at least one product category." }]));
          return;
        }
        saveDraft({ categories: categories });
        window.location.assign(stepUrl("user-information"));
      } else if (page.applicationId) {
        page.send("PUT", "/api/applications/" + encodeURIComponent(page.applicationId) + "/categories", { version: page.version, categories: categories }, function () {
          window.location.assign(stepUrl("user-information", page.applicationId));
        }, function (current) { setValue(form, "categories", current.categories.map(function (c) { return c.slug; })); });
      } else {
        page.send("POST", "/api/applications", { categories: categories }, function (body) {
          window.location.assign(stepUrl("user-information", body.application.id));
        });
      }
    });
  }

  function markTaken(form, sections) {
    var labels = { approved: "authorized already", submitted: "in review", incomplete: "in an incomplete application" };
    Object.keys(labels).forEach(function (section) {
      (sections[section] || []).forEach(function (row) {
        var box = form.querySelector('input[name="categories"][value="' + cssEscape(row.slug) + '"]');
        var note = form.querySelector('[data-taken-for="' + cssEscape(row.slug) + '"]');
        if (box) box.disabled = true;
        if (note) { note.textContent = "(" + labels[section] + ")"; note.hidden = false; }
      });
    });
  }

  /* ---- step 2 ---- */

  function setUpTabs(page) {
    var tabs = Array.prototype.slice.call(page.form.querySelectorAll('[role="tab"]'));
    var list = page.form.querySelector("[data-tablist]");
    if (!tabs.length || !list) return;
    function select(tab, focus) {
      tabs.forEach(function (t) {
        var on = t === tab;
        t.setAttribute("aria-selected", on ? "true" : "false");
        t.tabIndex = on ? 0 : -1;
        document.getElementById(t.getAttribute("aria-controls")).hidden = !on;
      });
      if (focus) tab.focus();
    }
    list.hidden = false;
    page.form.querySelectorAll("[data-panel-heading]").forEach(function (h) { h.hidden = true; });
    page.form.querySelectorAll("[data-next-tab]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        select(document.getElementById("tab-" + button.getAttribute("data-next-tab")), true);
      });
    });
    tabs.forEach(function (tab, index) {
      tab.addEventListener("click", function () { select(tab, false); });
      tab.addEventListener("keydown", function (event) {
        var to = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: tabs.length - 1 }[event.key];
        if (to === undefined) return;
        event.preventDefault();
        select(tabs[(to + tabs.length) % tabs.length], true);
      });
    });
    select(tabs[0], false);
    // A link in the error summary to a field on another tab opens that tab first.
    page.form.querySelector("[data-form-summary]").addEventListener("click", function (event) {
      var target = event.target.closest && event.target.closest('a[href^="#"]');
      var field = target ? document.getElementById(target.getAttribute("href").slice(1)) : null;
      var panel = field ? field.closest("[data-panel]") : null;
      if (panel) select(document.getElementById(panel.getAttribute("aria-labelledby")), false);
    });
    page.markTabs = function (invalid) {
      var flagged = null;
      tabs.forEach(function (tab) {
        var panel = document.getElementById(tab.getAttribute("aria-controls"));
        var bad = invalid.some(function (el) { return panel.contains(el); });
        tab.querySelector("[data-tab-flag]").hidden = !bad;
        if (bad && !flagged) flagged = tab;
      });
      if (flagged) select(flagged, false);
    };
  }

  function setUpReferral(form) {
    var wrapper = form.querySelector("[data-when-referred]");
    if (!wrapper) return;
    function update() {
      var yes = valueOf(form, "referred") === "yes";
      wrapper.hidden = !yes;
      wrapper.querySelectorAll("input").forEach(function (input) { input.disabled = !yes; });
    }
    form.querySelectorAll('input[name="referred"]').forEach(function (radio) { radio.addEventListener("change", update); });
    return update;
  }

  function userInformation(form) {
    var body = {};
    form.querySelectorAll("[data-panel] [name]").forEach(function (el) {
      if (!el.disabled && !(el.name in body)) body[el.name] = valueOf(form, el.name);
    });
    return body;
  }

  function fillUserInformation(form, info, refresh) {
    Object.keys(info || {}).forEach(function (name) { setValue(form, name, info[name]); });
    if (refresh) refresh();
  }

  async function userInformationPage(page, who) {
    var form = page.form;
    setUpTabs(page);
    var refresh = setUpReferral(form);
    var chosen = form.querySelector("[data-chosen-categories]");
    if (who.signedIn && page.applicationId) {
      var application = await page.load(2);
      if (!application) return;
      form.querySelector("[data-new-reseller-only]").hidden = true;
      form.querySelector("#f-email").disabled = true;
      var signedInAs = form.querySelector("[data-signed-in-only]");
      signedInAs.querySelector("[data-signed-in-email]").textContent = who.session.user.email;
      signedInAs.hidden = false;
      fillUserInformation(form, application.user_information, refresh);
      chosen.querySelector("[data-chosen-names]").textContent = application.categories.map(function (c) { return c.name; }).join(", ");
      chosen.hidden = false;
      form.querySelector("#f-company_name").readOnly = Boolean(application.user_information.company_name);
      page.ready();
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        var url = "/api/applications/" + encodeURIComponent(page.applicationId) + "/user-information";
        page.send("PUT", url, Object.assign({ version: page.version }, userInformation(form)), function () {
          window.location.assign(stepUrl("product-information", page.applicationId));
        }, function (current) { fillUserInformation(form, current.user_information, refresh); });
      });
      return;
    }
    if (who.signedIn) {
      page.notice("You are signed in: continue your applications from My Dashboard, or apply for more categories there.", [["/account/dashboard/", "Go to My Dashboard"]]);
      return;
    }
    var categories = draft().categories || [];
    if (!categories.length) {
      page.notice("Start with step 1: choose the product categories your company applies for.", [[stepUrl("categories"), "Go to Category Selection"]]);
      return;
    }
    var names = categories.map(function (slug) {
      var item = document.querySelector('[data-category-list] [data-slug="' + cssEscape(slug) + '"]');
      return item ? item.textContent : slug;
    });
    chosen.querySelector("[data-chosen-names]").textContent = names.join(", ");
    chosen.hidden = false;
    if (refresh) refresh();
    page.ready();
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var body = Object.assign({ categories: categories, email: form.elements.email.value }, userInformation(form));
      page.send("POST", "/api/applications/start", body, function (answer) {
        try { window.sessionStorage.removeItem(DRAFT_KEY); } catch (e) { /* nothing kept */ }
        var started = document.querySelector("[data-application-started]");
        started.querySelector("[data-started-message]").textContent = answer.message;
        page.root.hidden = true;
        started.hidden = false;
        started.focus();
      });
    });
  }

  /* ---- step 3 ---- */

  function productAnswers(form, slugs) {
    var answers = {};
    slugs.forEach(function (slug) {
      var own = {};
      var prefix = "answers." + slug + ".";
      form.querySelectorAll('[data-category-questions="' + cssEscape(slug) + '"] [data-field]').forEach(function (field) {
        var name = field.getAttribute("data-field");
        own[name.slice(prefix.length)] = valueOf(form, name);
      });
      answers[slug] = own;
    });
    return answers;
  }

  function fillAnswers(form, answers) {
    Object.keys(answers || {}).forEach(function (slug) {
      Object.keys(answers[slug]).forEach(function (id) { setValue(form, "answers." + slug + "." + id, answers[slug][id]); });
    });
  }

  async function productInformationPage(page) {
    var form = page.form;
    var application = await page.load(3);
    if (!application) return;
    var slugs = application.categories.map(function (c) { return c.slug; });
    slugs.forEach(function (slug) {
      var set = form.querySelector('[data-category-questions="' + cssEscape(slug) + '"]');
      if (set) { set.hidden = false; set.disabled = false; }
    });
    fillAnswers(form, application.product_answers);
    page.ready();
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var url = "/api/applications/" + encodeURIComponent(page.applicationId) + "/product-information";
      page.send("PUT", url, { version: page.version, answers: productAnswers(form, slugs) }, function () {
        window.location.assign(stepUrl("complete", page.applicationId));
      }, function (current) { fillAnswers(form, current.product_answers); });
    });
  }

  /* ---- step 4 ---- */

  function renderReview(where, application) {
    where.textContent = "";
    application.review.forEach(function (section) {
      var box = element("section", null, "portal-application__review-section");
      var heading = element("h2", section.title);
      box.appendChild(heading);
      var edit = link(stepUrl(section.step, application.id), "Edit", "portal-application__edit");
      edit.setAttribute("aria-label", "Edit " + section.title);
      box.appendChild(edit);
      var list = element("dl");
      section.rows.forEach(function (row) {
        list.appendChild(element("dt", row.label));
        list.appendChild(element("dd", row.value));
      });
      box.appendChild(list);
      where.appendChild(box);
    });
  }

  async function reviewPage(page) {
    var form = page.form;
    var application = await page.load(4);
    if (!application) return;
    renderReview(form.querySelector("[data-review]"), application);
    page.ready();
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var url = "/api/applications/" + encodeURIComponent(page.applicationId) + "/submit";
      var body = { version: page.version, accept_guidelines: form.elements.accept_guidelines.checked };
      page.send("POST", url, body, function (answer) {
        flash(answer.message);
        window.location.assign("/account/dashboard/");
      }, function (current) { renderReview(form.querySelector("[data-review]"), current); });
    });
  }

  /* ---- wiring ---- */

  async function start() {
    var root = document.querySelector("[data-application-page]");
    if (!root) return;
    var page = new A.Page(root);
    var known = await A.session();
    var body = known.state === "signed-in" ? known.body : null;
    var who = { session: body, signedIn: Boolean(body && body.purpose === "full") };
    if (body && body.purpose !== "full") {
      var back = "/account/set-password/?next=" + encodeURIComponent(location.pathname + location.search);
      page.notice("Choose your password first; then your application continues here.", [[back, "Choose your password"]]);
      return;
    }
    if (who.signedIn && body.user.role !== "management_contact") {
      page.notice("Only your company's Management Contact can apply for product categories. My Dashboard shows where your company stands.", [["/account/dashboard/", "Go to My Dashboard"]]);
      return;
    }
    var steps = { "categories": categoriesPage, "user-information": userInformationPage, "product-information": productInformationPage, "review": reviewPage };
    await steps[page.step](page, who);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
