// MIRA's own small behaviours. No inline scripts anywhere: the CSP forbids them.
(function () {
  "use strict";

  function bind(root) {
    // Selects marked data-autosubmit submit their form when changed (e.g. the language switch).
    root.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      if (select.dataset.bound) return;
      select.dataset.bound = "1";
      select.addEventListener("change", function () { select.form.requestSubmit(); });
    });
    // Buttons marked data-confirm ask before submitting.
    root.querySelectorAll("[data-confirm]").forEach(function (element) {
      if (element.dataset.bound) return;
      element.dataset.bound = "1";
      element.addEventListener("click", function (event) {
        if (!window.confirm(element.dataset.confirm)) event.preventDefault();
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { bind(document); });
  document.addEventListener("htmx:load", function (event) { bind(event.target); });
})();

// accounts: buttons marked data-print print the page (the recovery codes).
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-print]");
    if (button) window.print();
  });
})();
