/* My Account: the overview, My Profile, Company Information, User Management, the account history
 * and the email confirmation page (content/pages/account/).
 *
 * The API decides everything: who may see and do what, and whether a value is valid. This script
 * only shows what the API answers. Texts are set with textContent, never as HTML. Forms are sent
 * by portal-forms.js; here they are filled with the current values and, for the Channel team
 * acting on another company (?company_id=...), pointed at that company.
 */
(function () {
  "use strict";

  var COMPANY_ID = /^[0-9a-f]{1,64}$/;

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  function hiddenText(text) {
    return el("span", text, "portal-visually-hidden");
  }

  function show(node, visible) {
    if (node) node.hidden = !visible;
  }

  function companyId() {
    var value = new URLSearchParams(window.location.search).get("company_id");
    return value && COMPANY_ID.test(value) ? value : null;
  }

  function withCompany(path) {
    var id = companyId();
    return id ? path + (path.indexOf("?") === -1 ? "?" : "&") + "company_id=" + encodeURIComponent(id) : path;
  }

  /* {status, body}; status 0 when the API could not be reached. */
  async function api(method, path, body) {
    var options = { method: method, credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    try {
      var response = await fetch(path, options);
      var answer = {};
      try { answer = (await response.json()) || {}; } catch (e) { answer = {}; }
      return { status: response.status, body: answer };
    } catch (e) {
      return { status: 0, body: {} };
    }
  }

  function problemText(result) {
    if (result.status === 0) return "We could not reach the portal. Check your connection and reload the page.";
    if (result.status === 401) return "Your session has ended. Sign in again to continue.";
    return result.body.message || "Something went wrong (" + result.status + "). Reload the page and try again.";
  }

  /* Hide "Loading…", and show the API's refusal when there is one. Returns true when the page may go on. */
  function settle(page, result) {
    show(page.querySelector("[data-page-loading]"), false);
    if (result.status >= 200 && result.status < 300) return true;
    var problem = page.querySelector("[data-page-problem]");
    if (problem) {
      problem.textContent = problemText(result);
      show(problem, true);
    }
    return false;
  }

  function fill(form, values) {
    if (!form) return;
    Object.keys(values).forEach(function (name) {
      var field = form.elements[name];
      if (field && field.type !== "password" && field.type !== "hidden") {
        field.value = values[name] === null || values[name] === undefined ? "" : String(values[name]);
      }
    });
  }

  function pointAtCompany(form) {
    if (form && companyId()) form.setAttribute("action", withCompany(form.getAttribute("action")));
  }

  /* ---- the overview ---- */

  async function overviewPage() {
    var page = document.querySelector("[data-account-overview]");
    if (!page) return;
    var result = await api("GET", "/api/account/profile");
    show(page.querySelector("[data-overview-loading]"), false);
    if (result.status !== 200) {
      var problem = page.querySelector("[data-overview-problem]");
      problem.textContent = problemText(result);
      show(problem, true);
      return;
    }
    var me = result.body;
    page.querySelector("[data-overview-name]").textContent = [me.title, me.first_name, me.last_name].filter(Boolean).join(" ");
    page.querySelector("[data-overview-email]").textContent = me.email;
    page.querySelector("[data-overview-role]").textContent = me.role_label;
    page.querySelector("[data-overview-company]").textContent = me.company.name;
    var list = page.querySelector("[data-overview-categories]");
    me.company.categories.forEach(function (category) {
      var item = el("li");
      var link = el("a", category.name);
      link.href = "/products/" + encodeURIComponent(category.slug) + "/";
      item.appendChild(link);
      list.appendChild(item);
    });
    show(page.querySelector("[data-overview-no-categories]"), me.company.categories.length === 0);
    show(page.querySelector("[data-overview-details]"), true);
    document.querySelectorAll("[data-admin-only]").forEach(function (node) { show(node, me.is_admin); });
    document.querySelectorAll("[data-staff-only]").forEach(function (node) { show(node, me.is_staff); });
    companyFinder();
  }

  function companyFinder() {
    var form = document.querySelector("[data-company-finder]");
    if (!form || form.dataset.ready) return;
    form.dataset.ready = "1";
    form.addEventListener("submit", async function (event) {
      event.preventDefault();
      var output = form.querySelector("[data-company-finder-result]");
      var name = form.elements.name.value.trim();
      if (!name) {
        output.textContent = "Type the company's name first.";
        return;
      }
      var result = await api("GET", "/api/account/companies?name=" + encodeURIComponent(name));
      output.textContent = "";
      if (result.status !== 200) {
        output.textContent = problemText(result);
        return;
      }
      var query = "?company_id=" + encodeURIComponent(result.body.id);
      output.appendChild(document.createTextNode(result.body.name + ": "));
      [["company/", "Company Information"], ["users/", "User Management"], ["audit/", "Account history"]].forEach(function (pair, i) {
        if (i) output.appendChild(document.createTextNode(" · "));
        var link = el("a", pair[1]);
        link.href = pair[0] + query;
        output.appendChild(link);
      });
    });
  }

  /* ---- My Profile ---- */

  async function profilePage() {
    var page = document.querySelector("[data-profile-page]");
    if (!page) return;
    var result = await api("GET", "/api/account/profile");
    if (!settle(page, result)) return;
    var me = result.body;
    page.querySelector("[data-profile-email]").textContent = me.email;
    page.querySelector("[data-profile-role]").textContent = me.role_label;
    page.querySelector("[data-profile-company]").textContent = me.company.name;
    show(page.querySelector("[data-profile-summary]"), true);
    fill(document.getElementById("form-profile"), me);
  }

  /* ---- Company Information ---- */

  async function companyPage() {
    var page = document.querySelector("[data-company-page]");
    if (!page) return;
    var form = document.getElementById("form-company");
    var nameChange = document.getElementById("form-name-change");
    pointAtCompany(form);
    pointAtCompany(nameChange);
    var result = await api("GET", withCompany("/api/account/company"));
    if (!settle(page, result)) {
      show(nameChange, false);
      return;
    }
    var company = result.body;
    page.querySelector("[data-company-name]").textContent = company.name;
    page.querySelector("[data-company-categories]").textContent =
      company.categories.map(function (c) { return c.name; }).join(", ") || "None yet";
    show(page.querySelector("[data-company-summary]"), true);
    fill(form, company.details);
    show(form, true);
  }

  /* ---- User Management ---- */

  function actionButton(text, who, handler) {
    var button = el("button");
    button.type = "button";
    button.appendChild(document.createTextNode(text));
    button.appendChild(hiddenText(" " + who));
    button.addEventListener("click", handler);
    return button;
  }

  function userRow(user, page) {
    var who = [user.first_name, user.last_name].filter(Boolean).join(" ") || user.email;
    var row = el("tr");
    row.setAttribute("data-user-id", user.id);
    var tech = el("th", user.tech_id);
    tech.scope = "row";
    row.appendChild(tech);
    row.appendChild(el("td", user.first_name));
    row.appendChild(el("td", user.last_name));
    row.appendChild(el("td", user.email));
    row.appendChild(el("td", user.role_label + (user.is_you ? " (you)" : "")));
    row.appendChild(el("td", user.active ? (user.invited ? "Yes (invitation sent)" : "Yes") : "No"));
    var actions = el("td");
    var box = el("div", null, "portal-my-account__actions");
    if (user.can_change_role) {
      var select = el("select");
      select.id = "role-" + user.id;
      var label = el("label", "Role of " + who, "portal-visually-hidden");
      label.htmlFor = select.id;
      [["account_user", "Account User"], ["reseller_admin", "Reseller Admin"]].forEach(function (pair) {
        var option = el("option", pair[1]);
        option.value = pair[0];
        option.selected = pair[0] === user.role;
        select.appendChild(option);
      });
      box.appendChild(label);
      box.appendChild(select);
      box.appendChild(actionButton("Change role", "of " + who, function () {
        act(page, "PATCH", "/api/account/users/" + user.id, { role: select.value });
      }));
    }
    if (user.can_block) {
      box.appendChild(actionButton("Block", who, function () {
        if (window.confirm("Block " + who + "? They are signed out at once and cannot sign in until unblocked.")) {
          act(page, "POST", "/api/account/users/" + user.id + "/block");
        }
      }));
    }
    if (user.can_unblock) {
      box.appendChild(actionButton("Unblock", who, function () {
        if (window.confirm("Unblock " + who + "? They can sign in again.")) {
          act(page, "POST", "/api/account/users/" + user.id + "/unblock");
        }
      }));
    }
    if (user.can_resend_invitation) {
      box.appendChild(actionButton("Send invitation again", "to " + who, function () {
        act(page, "POST", "/api/account/users/" + user.id + "/invitation");
      }));
    }
    if (user.can_make_management_contact) {
      box.appendChild(actionButton("Make Management Contact", who, function () {
        if (window.confirm("Make " + who + " the Management Contact? The current one becomes a Reseller Admin.")) {
          act(page, "POST", "/api/account/companies/" + page.dataset.companyId + "/management-contact", { user_id: user.id });
        }
      }));
    }
    actions.appendChild(box);
    row.appendChild(actions);
    return row;
  }

  function say(page, text) {
    var message = document.querySelector("[data-users-message]");
    message.textContent = text;
    message.focus();
  }

  /* Show ``user`` as the API just answered it: the list is read from an index that may lag a
   * moment behind a change, the answer to the change itself never does. */
  function showUser(page, user) {
    if (!user || !user.id) return;
    var rows = document.querySelector("[data-users-rows]");
    var fresh = userRow(user, page);
    var old = null;
    rows.querySelectorAll("tr[data-user-id]").forEach(function (tr) {
      if (tr.getAttribute("data-user-id") === user.id) old = tr;
    });
    if (old) rows.replaceChild(fresh, old);
    else rows.appendChild(fresh);
  }

  async function act(page, method, path, body) {
    var result = await api(method, path, body);
    await loadUsers(page);
    var ok = result.status >= 200 && result.status < 300;
    if (ok) showUser(page, result.body.user);
    say(page, ok ? result.body.message : problemText(result));
  }

  async function loadUsers(page) {
    var result = await api("GET", withCompany("/api/account/users"));
    if (!settle(page, result)) return false;
    page.dataset.companyId = result.body.company.id;
    page.querySelector("[data-users-company]").textContent = result.body.company.name;
    var rows = document.querySelector("[data-users-rows]");
    rows.textContent = "";
    result.body.users.forEach(function (user) { rows.appendChild(userRow(user, page)); });
    show(page.querySelector("[data-users-ready]"), true);
    show(document.querySelector("[data-users-table-area]"), true);
    return true;
  }

  async function usersPage() {
    var page = document.querySelector("[data-users-page]");
    if (!page) return;
    var form = document.getElementById("form-add-user");
    pointAtCompany(form);
    if (!(await loadUsers(page))) return;
    var heading = page.querySelector("[data-add-user-heading]");
    page.querySelectorAll("[data-add-user]").forEach(function (button) {
      button.addEventListener("click", function () {
        var role = button.getAttribute("data-add-user");
        form.elements.role.value = role;
        heading.textContent = role === "reseller_admin" ? "Add a Reseller Admin" : "Add an Account User";
        show(heading, true);
        show(form, true);
        form.elements.email.focus();
      });
    });
    form.addEventListener("portal:submitted", async function (event) {
      show(form, false);
      show(heading, false);
      var answer = (event.detail && event.detail.answer) || {};
      await loadUsers(page);
      showUser(page, answer.user);
      say(page, answer.message || "Saved.");
    });
  }

  /* ---- Account history ---- */

  function auditRow(entry) {
    var row = el("tr");
    var when = el("th", entry.at.replace("T", " ").slice(0, 19));
    when.scope = "row";
    row.appendChild(when);
    row.appendChild(el("td", entry.actor.name || entry.actor.email));
    row.appendChild(el("td", entry.action_label + (entry.note ? " (" + entry.note + ")" : "")));
    row.appendChild(el("td", entry.target ? entry.target.name || entry.target.email : ""));
    var changes = el("td");
    if (entry.changes.length) {
      var list = el("ul");
      entry.changes.forEach(function (change) {
        list.appendChild(el("li", change.field.replace(/_/g, " ") + ": " + (change.before || "(empty)") + " → " + (change.after || "(empty)")));
      });
      changes.appendChild(list);
    }
    row.appendChild(changes);
    return row;
  }

  async function auditPage() {
    var page = document.querySelector("[data-audit-page]");
    if (!page) return;
    var more = page.querySelector("[data-audit-more]");
    var rows = page.querySelector("[data-audit-rows]");
    var company = await api("GET", withCompany("/api/account/company"));
    var cursor = null;

    async function load() {
      var path = withCompany("/api/account/audit") + (cursor ? (companyId() ? "&" : "?") + "cursor=" + encodeURIComponent(cursor) : "");
      var result = await api("GET", path);
      if (!settle(page, result)) return;
      result.body.entries.forEach(function (entry) { rows.appendChild(auditRow(entry)); });
      cursor = result.body.next_cursor;
      show(more, Boolean(cursor));
      show(page.querySelector("[data-audit-ready]"), true);
    }

    if (company.status === 200) page.querySelector("[data-audit-company]").textContent = company.body.name;
    more.addEventListener("click", load);
    await load();
  }

  /* ---- Confirm a new email address (the emailed link) ---- */

  // The link as opened is kept for this tab (portal-forms.js), so a reload still offers CONFIRM.
  var LINK_KEY = "portal-email-link";

  function confirmEmailPage() {
    var page = document.querySelector("[data-confirm-email]");
    if (!page) return;
    var form = document.getElementById("form-confirm-email");
    var read = window.PortalForms.emailedLink(LINK_KEY);
    if (!read.link) {
      page.querySelector("[data-confirm-message]").textContent = page.getAttribute(read.raw ? "data-incomplete-message" : "data-missing-message");
      show(page.querySelector("[data-confirm-problem]"), true);
      return;
    }
    form.elements.user_id.value = read.link.user_id;
    form.elements.token.value = read.link.token;
    show(page.querySelector("[data-confirm-ready]"), true);
    show(form, true);
    window.PortalForms.forgetEmailedLinkOnceUsed(form, LINK_KEY);
    form.addEventListener("portal:submitted", function () { show(page.querySelector("[data-confirm-ready]"), false); });
  }

  var started = false;

  function start() {
    if (started) return;
    started = true;
    confirmEmailPage();
    overviewPage();
    profilePage();
    companyPage();
    usersPage();
    auditPage();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
