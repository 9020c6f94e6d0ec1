// Behaviour htmx leaves to the page: busy state, announcements and focus after swaps.
// No inline script anywhere: the content security policy allows only files from here.
(function () {
  "use strict";
  var movedFocusFromOlder = false;

  function announce(text) {
    var status = document.getElementById("announce");
    if (status) { status.textContent = text; }
  }

  document.addEventListener("htmx:beforeRequest", function () {
    var results = document.getElementById("results");
    if (results) { results.setAttribute("aria-busy", "true"); }
    var older = document.getElementById("older");
    movedFocusFromOlder = !!(older && older.contains(document.activeElement));
  });

  document.addEventListener("htmx:afterRequest", function () {
    var results = document.getElementById("results");
    if (results) { results.setAttribute("aria-busy", "false"); }
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail.target;
    var results = document.getElementById("results");
    if (target && target.id === "results" && results) {
      // Filters changed: say what is shown; focus stays in the control being used.
      announce(results.getAttribute("data-summary") || "");
    } else if (movedFocusFromOlder) {
      // "Older items" was activated from the keyboard: continue at the first new item.
      var marks = document.querySelectorAll("[data-first-new]");
      var firstNew = marks[marks.length - 1];
      var fresh = firstNew && firstNew.querySelector(".item");
      if (fresh) { fresh.focus(); }
      movedFocusFromOlder = false;
    }
  });

  // On a phone the open filter panel would push the timeline below the fold.
  document.addEventListener("DOMContentLoaded", function () {
    var box = document.querySelector(".filters-box");
    if (box && window.matchMedia("(max-width: 48rem)").matches) {
      box.removeAttribute("open");
    }
  });

  document.addEventListener("htmx:responseError", function () {
    announce("Loading failed. Please try again.");
  });
})();
