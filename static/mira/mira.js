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

  // Parts of a page that arrive after it (the lower cards of the case page, data-scroll-to-hash):
  // the browser found no element for the address's #fragment at load, so scroll to it once it is here.
  document.addEventListener("htmx:load", function (event) {
    var root = event.target;
    if (!root.hasAttribute || !root.hasAttribute("data-scroll-to-hash") || location.hash.length < 2) return;
    var target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (target && root.contains(target)) target.scrollIntoView();
  });
  // If such a part cannot be loaded, its placeholders say so (with a link to the whole page) instead of
  // loading on: the lower cards of the case page (two placeholders, one request), or a part of a page
  // loaded on request (the fields of a long entry of the change history: hx-target names the placeholder).
  function loadFailed(event) {
    var source = event.detail.elt;
    var target = event.detail.target;
    var parts = [];
    if (source.classList && source.classList.contains("mira-case-more")) {
      parts = document.querySelectorAll(".mira-case-more[aria-busy]");
    } else if (target && target.hasAttribute && target.hasAttribute("aria-busy")) {
      parts = [target];
    }
    parts.forEach(function (part) {
      part.removeAttribute("aria-busy");
      part.querySelectorAll("[data-loading]").forEach(function (element) { element.classList.add("d-none"); });
      part.querySelectorAll("[data-load-failed]").forEach(function (element) { element.classList.remove("d-none"); });
    });
  }
  document.addEventListener("htmx:responseError", loadFailed);
  document.addEventListener("htmx:sendError", loadFailed);
})();

// accounts: buttons marked data-print print the page (the recovery codes).
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-print]");
    if (button) window.print();
  });
})();

// participants: formset rows (add from a <template>, remove by ticking DELETE) and filterable multi-selects.
(function () {
  "use strict";

  function bindRow(row) {
    var remove = row.querySelector("[data-formset-remove]");
    var wrapper = row.querySelector("[data-formset-delete]");
    if (!remove || !wrapper || remove.dataset.bound) return;
    remove.dataset.bound = "1";
    var checkbox = wrapper.querySelector("input[type=checkbox]");
    wrapper.classList.add("d-none");
    remove.classList.remove("d-none");
    if (checkbox.checked) row.hidden = true;
    remove.addEventListener("click", function () {
      checkbox.checked = true;
      row.hidden = true;
    });
  }

  function bindFormsets(root) {
    root.querySelectorAll("[data-formset]").forEach(function (box) {
      if (box.dataset.bound) return;
      box.dataset.bound = "1";
      var total = box.querySelector("input[name$='-TOTAL_FORMS']");
      var rows = box.querySelector("[data-formset-rows]");
      var template = box.querySelector("template[data-formset-template]");
      var add = box.querySelector("[data-formset-add]");
      box.querySelectorAll("[data-formset-row]").forEach(bindRow);
      add.addEventListener("click", function () {
        var index = parseInt(total.value, 10);
        var holder = document.createElement("div");
        // The template is the server-rendered empty form of this formset.
        holder.innerHTML = template.innerHTML.replace(/__prefix__/g, String(index));
        var row = holder.querySelector("[data-formset-row]");
        rows.appendChild(row);
        total.value = String(index + 1);
        bindRow(row);
        if (window.htmx) window.htmx.process(row);
        var first = row.querySelector("input:not([type=hidden]), select");
        if (first) first.focus();
      });
    });
  }

  function bindFilterSelects(root) {
    root.querySelectorAll("select[multiple][data-filter-select]").forEach(function (select) {
      if (select.dataset.bound) return;
      select.dataset.bound = "1";
      var input = document.createElement("input");
      input.type = "search";
      input.className = "form-control form-control-sm mb-1";
      input.placeholder = select.dataset.filterPlaceholder || "";
      input.setAttribute("aria-label", select.dataset.filterPlaceholder || "");
      input.setAttribute("aria-controls", select.id);
      select.parentNode.insertBefore(input, select);
      var summary = document.createElement("div");
      summary.className = "form-text mira-selected-summary";
      summary.setAttribute("aria-live", "polite");
      select.parentNode.insertBefore(summary, select.nextSibling);

      function summarise() {
        var chosen = Array.prototype.map.call(select.selectedOptions, function (option) { return option.textContent; });
        summary.textContent = chosen.length ? (select.dataset.filterChosen || "") + " " + chosen.join(", ") : "";
      }
      input.addEventListener("input", function () {
        var needle = input.value.trim().toLowerCase();
        select.querySelectorAll("option").forEach(function (option) {
          option.hidden = needle !== "" && option.textContent.toLowerCase().indexOf(needle) === -1;
        });
        select.querySelectorAll("optgroup").forEach(function (group) {
          group.hidden = !group.querySelector("option:not([hidden])");
        });
      });
      input.addEventListener("keydown", function (event) { if (event.key === "Enter") event.preventDefault(); });
      // A click toggles one option, so several can be chosen without holding Ctrl.
      select.addEventListener("mousedown", function (event) {
        if (event.target.tagName !== "OPTION") return;
        event.preventDefault();
        event.target.selected = !event.target.selected;
        select.focus();
        select.dispatchEvent(new Event("change", { bubbles: true }));
      });
      select.addEventListener("change", summarise);
      summarise();
    });
  }

  function bind(root) {
    bindFormsets(root);
    bindFilterSelects(root);
  }

  document.addEventListener("DOMContentLoaded", function () { bind(document); });
  document.addEventListener("htmx:load", function (event) { bind(event.target); });
})();

// roadmap: parts of a form shown only for one answer, and signature pads (canvas → PNG data URL).
(function () {
  "use strict";

  // <div data-show-when="method:paper"> is shown only while the field named "method" has the
  // value "paper" (several values separated by commas); without JavaScript everything shows.
  function bindShowWhen(root) {
    root.querySelectorAll("[data-show-when]").forEach(function (block) {
      if (block.dataset.showBound) return;
      block.dataset.showBound = "1";
      var rule = block.dataset.showWhen.split(":");
      var values = rule[1].split(",");
      var form = block.closest("form");
      if (!form) return;
      function current() {
        var fields = form.querySelectorAll('[name="' + rule[0] + '"]');
        for (var i = 0; i < fields.length; i++) {
          var field = fields[i];
          if ((field.type === "radio" || field.type === "checkbox") && !field.checked) continue;
          return field.value;
        }
        return "";
      }
      function update() { block.hidden = values.indexOf(current()) === -1; }
      form.addEventListener("change", function (event) { if (event.target.name === rule[0]) update(); });
      update();
    });
  }

  function bindSignaturePads(root) {
    root.querySelectorAll("canvas[data-signature-for]").forEach(function (canvas) {
      if (canvas.dataset.signatureBound) return;
      canvas.dataset.signatureBound = "1";
      var input = document.getElementById(canvas.dataset.signatureFor);
      if (!input) return;
      var context = canvas.getContext("2d");
      context.lineWidth = 2.5;
      context.lineCap = "round";
      context.lineJoin = "round";
      context.strokeStyle = "#14213d";
      var drawing = false;
      function point(event) {
        var box = canvas.getBoundingClientRect();
        return { x: (event.clientX - box.left) * canvas.width / box.width, y: (event.clientY - box.top) * canvas.height / box.height };
      }
      canvas.addEventListener("pointerdown", function (event) {
        drawing = true;
        canvas.setPointerCapture(event.pointerId);
        var at = point(event);
        context.beginPath();
        context.moveTo(at.x, at.y);
        context.lineTo(at.x + 0.1, at.y + 0.1);
        context.stroke();
      });
      canvas.addEventListener("pointermove", function (event) {
        if (!drawing) return;
        var at = point(event);
        context.lineTo(at.x, at.y);
        context.stroke();
      });
      function finish() {
        if (!drawing) return;
        drawing = false;
        input.value = canvas.toDataURL("image/png");
      }
      canvas.addEventListener("pointerup", finish);
      canvas.addEventListener("pointercancel", finish);
      // A signature sent back with a form error is drawn again, so it is not lost.
      if (input.value.indexOf("data:image/png;base64,") === 0) {
        var image = new Image();
        image.onload = function () { context.drawImage(image, 0, 0, canvas.width, canvas.height); };
        image.src = input.value;
      }
    });
    root.querySelectorAll("[data-signature-clear]").forEach(function (button) {
      if (button.dataset.signatureBound) return;
      button.dataset.signatureBound = "1";
      button.addEventListener("click", function () {
        var input = document.getElementById(button.dataset.signatureClear);
        var canvas = document.querySelector('canvas[data-signature-for="' + button.dataset.signatureClear + '"]');
        if (canvas) canvas.getContext("2d").clearRect(0, 0, canvas.width, canvas.height);
        if (input) input.value = "";
      });
    });
  }

  function bind(root) {
    bindShowWhen(root);
    bindSignaturePads(root);
  }

  document.addEventListener("DOMContentLoaded", function () { bind(document); });
  document.addEventListener("htmx:load", function (event) { bind(event.target); });
})();

// counselling: copy buttons (data-copy-target="#id") and fields that select their text on focus (the feed address).
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-copy-target]");
    if (!button) return;
    var field = document.querySelector(button.dataset.copyTarget);
    if (!field) return;
    field.select();
    var done = function () {
      if (button.dataset.copiedLabel) button.textContent = button.dataset.copiedLabel;
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done, function () { document.execCommand("copy"); done(); });
    } else {
      document.execCommand("copy");
      done();
    }
  });
  document.addEventListener("focusin", function (event) {
    if (event.target.matches && event.target.matches("[data-select-on-focus]")) event.target.select();
  });
})();

// The calendar's empty slots: a link per half hour to a new appointment at that time, made here
// from the column's data-slots-* attributes (a week has over a hundred of them). They are a
// shortcut for the pointer, hidden from screen readers and the keyboard, which use the page's
// "New appointment" buttons; without JavaScript the column shows its hour lines only.
(function () {
  "use strict";
  function twoDigits(number) { return (number < 10 ? "0" : "") + number; }
  function fill(column) {
    var data = column.dataset;
    var step = Number(data.slotsMinutes);
    var joiner = data.slotsHref.indexOf("?") === -1 ? "?" : "&";
    var links = document.createDocumentFragment();
    for (var minute = Number(data.slotsFrom) * 60; minute < Number(data.slotsTo) * 60; minute += step) {
      var time = twoDigits(Math.floor(minute / 60)) + ":" + twoDigits(minute % 60);
      var start = data.slotsDay + "T" + time;
      var link = document.createElement("a");
      link.className = minute % 60 === 0 ? "mira-cal-slot is-hour" : "mira-cal-slot";
      link.href = data.slotsHref + joiner + "start=" + encodeURIComponent(start);
      link.tabIndex = -1;
      link.setAttribute("aria-hidden", "true");
      link.title = data.slotsTitle + " " + time;
      link.dataset.slot = start;
      links.appendChild(link);
    }
    column.appendChild(links);
  }
  function bind(root) {
    root.querySelectorAll(".mira-cal-slots[data-slots-day]").forEach(function (column) {
      if (!column.childElementCount) fill(column);
    });
  }
  document.addEventListener("DOMContentLoaded", function () { bind(document); });
  document.addEventListener("htmx:load", function (event) { bind(event.target); });
})();

// privacy: a form marked data-refresh-after="#part" downloads a file once (the data-subject export
// PDF, which MIRA deletes with the download); afterwards the part that lists it reloads itself
// (hx-trigger "mira:refresh"), so the button is not offered again.
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-refresh-after]")) return;
    var selector = form.dataset.refreshAfter;
    // Twice: a large file may take longer to arrive than the first look waits.
    [1500, 5000].forEach(function (delay) {
      window.setTimeout(function () {
        var part = document.querySelector(selector);
        if (part && window.htmx) window.htmx.trigger(part, "mira:refresh");
      }, delay);
    });
  });
})();
