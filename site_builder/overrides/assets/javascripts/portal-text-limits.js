/* Text fields with a length limit say so while the text is too long, instead of cutting it.
 *
 * A field carries its limit as data-max-length (never maxlength: the browser would silently cut a
 * pasted address or message, and the server would then complain about what is left). While the
 * text is longer, the field's error slot (the element with id "<field id>-error") names the field,
 * the limit and how many characters are too many, in the server's words; it clears itself once
 * the text fits. Characters are counted as the server counts them (code points, so an emoji is
 * one). The server still checks every limit; this only tells the reader before sending.
 */
(function () {
  "use strict";

  function count(text) {
    return Array.from(text).length;
  }

  function number(value) {
    return value.toLocaleString("en-US");
  }

  /* The field's label as the reader sees it, without the required mark or a trailing "(...)". */
  function labelOf(field) {
    var label = field.id ? document.querySelector('label[for="' + field.id + '"]') : null;
    var text = label ? label.textContent : field.name || "This field";
    return text.replace(/\*/g, "").replace(/\s*\([^)]*\)\s*$/, "").replace(/\s+/g, " ").trim();
  }

  function check(field) {
    var limit = parseInt(field.getAttribute("data-max-length"), 10);
    var slot = field.id ? document.getElementById(field.id + "-error") : null;
    if (!limit || !slot) return;
    var length = count(field.value);
    if (length > limit) {
      slot.textContent = labelOf(field) + " must be at most " + number(limit) + " characters; it has " +
        number(length) + ", " + number(length - limit) + " too many. Shorten it and try again.";
      slot.setAttribute("data-length-problem", "");
      field.setAttribute("aria-invalid", "true");
    } else if (slot.hasAttribute("data-length-problem")) {
      slot.textContent = "";
      slot.removeAttribute("data-length-problem");
      field.removeAttribute("aria-invalid");
    }
  }

  // One listener for the whole page: fields drawn later by a page script are covered too.
  document.addEventListener("input", function (event) {
    var field = event.target;
    if (field && field.matches && field.matches("[data-max-length]")) check(field);
  });

  window.PortalTextLimits = { check: check };
})();
