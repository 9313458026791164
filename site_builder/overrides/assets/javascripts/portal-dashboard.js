/* MY DASHBOARD (content/pages/account/dashboard.md), and the needs-category page's way back.
 *
 * The dashboard lists every product category in one section from GET /api/applications:
 * approved (VIEW PRODUCT CATEGORY), submitted (in review), incomplete (COMPLETE APPLICATION),
 * declined (with the reason) and Other Categories for Selection, from which the Management
 * Contact starts a new application (POST /api/applications) with the company's details prefilled.
 * Every text is set with textContent. Needs window.PortalApplications (portal-application.js).
 */
(function () {
  "use strict";

  var A = window.PortalApplications;
  if (!A) return;

  var MESSAGES = {
    approved: "Your application has been approved",
    submitted: "Your application is being reviewed",
    incomplete: "Your application is not yet complete",
  };

  function row(category, statusText, detail, action) {
    var tr = document.createElement("tr");
    var name = A.element("td");
    name.appendChild(A.element("strong", category.name));
    if (detail) name.appendChild(A.element("span", detail, "portal-dashboard__detail"));
    tr.appendChild(name);
    tr.appendChild(A.element("td", statusText));
    var actions = A.element("td");
    if (action) actions.appendChild(action);
    tr.appendChild(actions);
    return tr;
  }

  function fillSection(page, name, rows, canApply) {
    var section = page.querySelector('[data-section="' + name + '"]');
    var body = section.querySelector("[data-rows]");
    body.textContent = "";
    rows.forEach(function (category) {
      var action = null;
      var detail = MESSAGES[name];
      if (name === "approved") action = A.link(category.page, "VIEW PRODUCT CATEGORY", "md-button");
      if (name === "incomplete" && canApply && category.next_step) action = A.link(category.next_step.page, "COMPLETE APPLICATION", "md-button md-button--primary");
      if (name === "declined") {
        detail = category.reason ? "Reason: " + category.reason : "Your application was declined";
        if (canApply) action = A.link("/apply/categories/?category=" + encodeURIComponent(category.slug), "APPLY AGAIN", "md-button");
      }
      if (action) action.setAttribute("aria-label", action.textContent + ": " + category.name);
      body.appendChild(row(category, category.status_label || "Approved", detail, action));
    });
    section.querySelector("table").hidden = !rows.length;
    section.querySelector("[data-empty]").hidden = Boolean(rows.length);
  }

  function fillOther(page, rows, canApply) {
    var section = page.querySelector('[data-section="other"]');
    var form = section.querySelector("[data-dashboard-apply]");
    var list = form.querySelector("[data-other-list]");
    var names = section.querySelector("[data-other-names]");
    list.textContent = "";
    names.textContent = "";
    rows.forEach(function (category) {
      var item = A.element("li");
      var box = document.createElement("input");
      box.type = "checkbox";
      box.name = "categories";
      box.value = category.slug;
      box.id = "other-" + category.slug;
      var label = A.element("label", category.name);
      label.htmlFor = box.id;
      item.appendChild(box);
      item.appendChild(label);
      list.appendChild(item);
      names.appendChild(A.element("li", category.name));
    });
    section.querySelector("[data-can-apply]").hidden = !(canApply && rows.length);
    section.querySelector("[data-cannot-apply]").hidden = canApply || !rows.length;
    form.hidden = !(canApply && rows.length);
    names.hidden = canApply || !rows.length;
    section.querySelector("[data-empty]").hidden = Boolean(rows.length);
  }

  function applyForMore(form) {
    form.addEventListener("submit", async function (event) {
      event.preventDefault();
      var button = form.querySelector('button[type="submit"]');
      if (button.disabled) return;
      A.clearProblems(form);
      var categories = Array.prototype.filter.call(form.elements.categories ? form.querySelectorAll('input[name="categories"]') : [], function (box) {
        return box.checked;
      }).map(function (box) { return box.value; });
      button.disabled = true;
      var answer = await A.api("POST", "/api/applications", { categories: categories });
      if (answer.ok) {
        window.location.assign(A.stepUrl("user-information", answer.body.application.id));
        return;
      }
      button.disabled = false;
      A.focusFirst(form, A.showProblems(form, answer.body.message, answer.body.errors));
    });
  }

  async function dashboardPage(page) {
    var known = await A.session();
    var loading = page.querySelector("[data-dashboard-loading]");
    function problem(text) {
      loading.hidden = true;
      page.querySelector("[data-dashboard-problem-text]").textContent = text;
      page.querySelector("[data-dashboard-problem]").hidden = false;
    }
    if (known.state !== "signed-in" || known.body.purpose !== "full") {
      problem("Sign in to see your company's applications.");
      return;
    }
    if (known.body.user.role === "channel_team") {
      loading.hidden = true;
      page.querySelector("[data-dashboard-staff]").hidden = false;
      return;
    }
    var answer = await A.api("GET", "/api/applications");
    if (!answer.ok) {
      problem(answer.body.message || "Your applications could not be loaded just now. Reload the page to try again.");
      return;
    }
    var sections = answer.body.sections;
    ["approved", "submitted", "incomplete", "declined"].forEach(function (name) {
      fillSection(page, name, sections[name], answer.body.can_apply);
    });
    fillOther(page, sections.other, answer.body.can_apply);
    loading.hidden = true;
    page.querySelector("[data-dashboard-sections]").hidden = false;
  }

  /* The needs-category page opens when the access cookie lacks a category. The page's own
   * GET /api/session has just re-issued the cookie; if the company holds the category now (say it
   * was approved a minute ago), go straight back to the page that was asked for. */
  async function needsCategoryPage(page) {
    var slug = A.param("category");
    var next = window.PortalForms ? window.PortalForms.safePath(A.param("next")) : null;
    if (!slug || !next) return;
    var known = await A.session();
    if (known.state !== "signed-in" || !known.body.company) return;
    var held = known.body.company.categories.some(function (c) { return c.slug === slug; });
    // Once per half minute at most: if the edge still refused, never bounce between the two pages.
    var key = "portal-needs-category-retry";
    var last = 0;
    try { last = Number(window.sessionStorage.getItem(key) || 0); } catch (e) { return; }
    if (!held || Date.now() - last < 30000) return;
    try { window.sessionStorage.setItem(key, String(Date.now())); } catch (e) { return; }
    window.location.replace(next);
  }

  function start() {
    var page = document.querySelector("[data-dashboard]");
    if (page) {
      applyForMore(page.querySelector("[data-dashboard-apply]"));
      dashboardPage(page);
    }
    var needs = document.querySelector("[data-needs-category]");
    if (needs) needsCategoryPage(needs);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
