/* The channel team's application review (content/pages/staff/applications.md).
 *
 * The queue comes from GET /api/staff/applications (403 for anyone who is not on the channel
 * team). A signed-in reseller is told so from the session, without asking for the queue.
 * Opening an application shows what the company entered, each category with Approve / Decline
 * and a note, and the audit trail. A decision is sent with the version the page shows; a stale
 * one (409) reloads the application and the queue. Every text is set with textContent. Needs window.PortalApplications (portal-application.js).
 */
(function () {
  "use strict";

  var A = window.PortalApplications;
  if (!A) return;

  function formatTime(iso) {
    return iso ? iso.slice(0, 16).replace("T", " ") : "—";
  }

  function Review(root) {
    this.root = root;
    this.detail = root.querySelector("[data-review-detail]");
    this.current = null;
  }

  Review.prototype.problem = function (text) {
    this.root.querySelector("[data-review-loading]").hidden = true;
    var box = this.root.querySelector("[data-review-problem]");
    box.querySelector("[data-review-problem-text]").textContent = text;
    box.hidden = false;
    box.focus();
  };

  Review.prototype.loadQueue = async function (status) {
    var answer = await A.api("GET", "/api/staff/applications?status=" + encodeURIComponent(status));
    if (!answer.ok) {
      this.problem(answer.status === 403 ? "This page is for the channel team. " + (answer.body.message || "") : answer.body.message || "The queue could not be loaded.");
      return false;
    }
    var rows = this.root.querySelector("[data-queue-rows]");
    var self = this;
    rows.textContent = "";
    answer.body.applications.forEach(function (application) {
      var tr = document.createElement("tr");
      tr.appendChild(A.element("td", application.company));
      tr.appendChild(A.element("td", application.categories.map(function (c) { return c.name + " (" + c.status_label + ")"; }).join(", ")));
      tr.appendChild(A.element("td", formatTime(application.submitted_at)));
      var cell = A.element("td");
      var open = A.element("button", "Open", "md-button");
      open.type = "button";
      open.setAttribute("aria-label", "Open the application of " + application.company);
      open.addEventListener("click", function () { self.open(application.id); });
      cell.appendChild(open);
      tr.appendChild(cell);
      rows.appendChild(tr);
    });
    this.root.querySelector("[data-queue-empty]").hidden = Boolean(answer.body.applications.length);
    this.root.querySelector("[data-review-loading]").hidden = true;
    this.root.querySelector("[data-review-queue]").hidden = false;
    return true;
  };

  Review.prototype.open = async function (id, message) {
    var answer = await A.api("GET", "/api/staff/applications/" + encodeURIComponent(id));
    if (!answer.ok) {
      this.problem(answer.body.message || "The application could not be loaded.");
      return;
    }
    this.current = answer.body.application;
    this.render(message);
    var url = new URL(window.location.href);
    url.searchParams.set("application", id);
    window.history.replaceState(window.history.state, "", url.pathname + url.search);
  };

  Review.prototype.render = function (message) {
    var application = this.current;
    var detail = this.detail;
    detail.querySelector("[data-detail-heading]").textContent = application.company.name + ": application " + application.id;
    var facts = detail.querySelector("[data-detail-facts]");
    facts.textContent = "";
    [
      ["Status", application.state_label],
      ["Started", formatTime(application.created_at)],
      ["Submitted", formatTime(application.submitted_at)],
      ["Version", String(application.version)],
      ["Management Contact", application.contacts.map(function (c) { return c.name + " <" + c.email + ">" + (c.phone ? ", " + c.phone : ""); }).join("; ")],
      ["Authorized for", application.company.authorized_categories.map(function (c) { return c.name; }).join(", ") || "nothing yet"],
    ].forEach(function (pair) {
      facts.appendChild(A.element("dt", pair[0]));
      facts.appendChild(A.element("dd", pair[1]));
    });
    this.renderCategories();
    this.renderEntries();
    this.renderAudit();
    A.clearProblems(detail);
    detail.querySelector("[data-detail-summary]").hidden = true;
    detail.querySelector("[data-detail-result]").textContent = message || "";
    detail.hidden = false;
    detail.focus();
  };

  Review.prototype.renderCategories = function () {
    var where = this.detail.querySelector("[data-detail-categories]");
    var self = this;
    where.textContent = "";
    this.current.categories.forEach(function (category) {
      var box = A.element("section", null, "portal-review__category");
      box.appendChild(A.element("h4", category.name + ": " + category.status_label));
      if (category.note) box.appendChild(A.element("p", "Note: " + category.note));
      if (category.status === "submitted") box.appendChild(self.decisionForm(category));
      where.appendChild(box);
    });
  };

  Review.prototype.decisionForm = function (category) {
    var form = document.createElement("form");
    form.className = "portal-form";
    form.noValidate = true;
    form.setAttribute("data-decision-for", category.slug);
    var summary = A.element("div", null, "portal-form__summary");
    summary.setAttribute("data-form-summary", "");
    summary.setAttribute("role", "alert");
    summary.tabIndex = -1;
    summary.hidden = true;
    form.appendChild(summary);
    var id = "note-" + category.slug;
    var label = A.element("label", "Note to the applicant (required to decline: the reason)");
    label.htmlFor = id;
    var note = document.createElement("textarea");
    note.id = id;
    note.name = "note";
    note.rows = 3;
    note.setAttribute("data-max-length", "2000");
    note.setAttribute("aria-describedby", id + "-error");
    var error = A.element("p", null, "portal-form__error");
    error.id = id + "-error";
    error.setAttribute("data-error-for", "note");
    [label, note, error].forEach(function (el) { form.appendChild(el); });
    var self = this;
    ["approve", "decline"].forEach(function (decision) {
      var button = A.element("button", decision === "approve" ? "Approve" : "Decline", "md-button" + (decision === "approve" ? " md-button--primary" : ""));
      button.type = "button";
      button.setAttribute("aria-label", (decision === "approve" ? "Approve " : "Decline ") + category.name);
      button.addEventListener("click", function () { self.decide(form, category, decision, note.value); });
      form.appendChild(button);
    });
    return form;
  };

  Review.prototype.decide = async function (form, category, decision, note) {
    var buttons = form.querySelectorAll("button");
    if (buttons[0].disabled) return;
    A.clearProblems(form);
    buttons.forEach(function (b) { b.disabled = true; });
    var url = "/api/staff/applications/" + encodeURIComponent(this.current.id) + "/decisions";
    var answer = await A.api("POST", url, { category: category.slug, decision: decision, note: note, version: this.current.version });
    var queueStatus = this.root.querySelector("[data-review-status]").value;
    if (answer.ok) {
      this.current = answer.body.application;
      this.render(answer.body.message);
      this.loadQueue(queueStatus);
      return;
    }
    buttons.forEach(function (b) { b.disabled = false; });
    if (answer.status === 409) {
      // Someone decided in the meantime (another tab, a colleague): the queue above is stale too.
      await Promise.all([this.open(this.current.id), this.loadQueue(queueStatus)]);
      var summary = this.detail.querySelector("[data-detail-summary]");
      summary.textContent = answer.body.message;
      summary.hidden = false;
      summary.focus();
      return;
    }
    A.focusFirst(form, A.showProblems(form, answer.body.message, answer.body.errors));
  };

  Review.prototype.renderEntries = function () {
    var where = this.detail.querySelector("[data-detail-review]");
    where.textContent = "";
    this.current.review.forEach(function (section) {
      where.appendChild(A.element("h4", section.title));
      var list = A.element("dl", null, "portal-review__facts");
      section.rows.forEach(function (row) {
        list.appendChild(A.element("dt", row.label));
        list.appendChild(A.element("dd", row.value));
      });
      where.appendChild(list);
    });
  };

  Review.prototype.renderAudit = function () {
    var rows = this.detail.querySelector("[data-detail-audit]");
    var names = {};
    this.current.categories.forEach(function (c) { names[c.slug] = c.name; });
    rows.textContent = "";
    this.current.audit.forEach(function (entry) {
      var tr = document.createElement("tr");
      var details = Object.keys(entry.details).map(function (key) {
        var value = entry.details[key];
        if (key === "category") value = names[value] || value;
        return key + ": " + (Array.isArray(value) ? value.join(", ") : String(value));
      }).join("; ");
      [formatTime(entry.at), entry.actor + (entry.actor_role_label ? " (" + entry.actor_role_label + ")" : ""), entry.action + (details ? " — " + details : ""), String(entry.version)].forEach(function (text) {
        tr.appendChild(A.element("td", text));
      });
      rows.appendChild(tr);
    });
  };

  async function start() {
    var root = document.querySelector("[data-review-page]");
    if (!root) return;
    var review = new Review(root);
    // The API refuses the queue to anyone else; a reader the session already names is told at once.
    var known = await A.session();
    if (known.state === "signed-in" && known.body.user.role !== "channel_team") {
      review.problem("This page is for the channel team. Only the channel team reviews applications, and you are signed in as " +
        (known.body.user.role_label || "a reseller") + (known.body.company ? " of " + known.body.company.name : "") + ".");
      return;
    }
    var status = root.querySelector("[data-review-status]");
    status.addEventListener("change", function () { review.loadQueue(status.value); });
    if (!(await review.loadQueue(status.value))) return;
    var wanted = A.param("application");
    if (wanted) review.open(wanted);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
