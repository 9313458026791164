/* Portal forms: send a form as JSON to the API and show the server's answer next to each field.
 *
 * The server is the only judge of what is valid; this script only carries its messages to the
 * right places. A retry of the same content (double click, flaky network) reuses the same
 * Idempotency-Key, so the server records it once.
 */
(function () {
  "use strict";

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
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

  function showErrors(form, message, errors) {
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
      if (slot && input) {
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
    summary.hidden = false;
    (firstInvalid || summary).focus();
  }

  async function submit(form, event) {
    event.preventDefault();
    var button = form.querySelector('button[type="submit"]');
    var result = form.querySelector("[data-form-result]");
    var body = JSON.stringify(formData(form));
    if (form.dataset.lastBody !== body) {
      form.dataset.lastBody = body;
      form.dataset.key = newKey();
    }
    clearErrors(form);
    result.textContent = "";
    button.disabled = true;
    try {
      var response = await fetch(form.getAttribute("action"), {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "Accept": "application/json", "Idempotency-Key": form.dataset.key },
        body: body,
      });
      var answer = {};
      try { answer = await response.json(); } catch (e) { answer = {}; }
      if (response.ok) {
        form.reset();
        delete form.dataset.lastBody;
        result.textContent = answer.message || "Sent.";
        if (answer.reference) result.dataset.reference = answer.reference;
        result.focus && result.setAttribute("tabindex", "-1");
        result.focus();
      } else {
        showErrors(form, answer.message || "Something went wrong (" + response.status + "). Please try again.", answer.errors);
      }
    } catch (e) {
      showErrors(form, "We could not reach the portal. Check your connection and send again; nothing will be sent twice.", []);
    } finally {
      button.disabled = false;
    }
  }

  function init() {
    document.querySelectorAll("form[data-portal-form]").forEach(function (form) {
      if (form.dataset.ready) return;
      form.dataset.ready = "1";
      form.addEventListener("submit", function (event) { submit(form, event); });
    });
  }

  if (window.document$ && window.document$.subscribe) window.document$.subscribe(init);
  else document.addEventListener("DOMContentLoaded", init);
})();
