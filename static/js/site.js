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

  // -- Coming Back to the reader's place ------------------------------------------------
  // Before leaving the timeline through a link inside an item, the address is rewritten to
  // say "down to this item" (through=its cursor, #its id): Back then reloads the timeline
  // down to that item and the browser scrolls to it, however deep the scroll had gone.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[href]");
    var entry = link && link.closest("#timeline-days li[data-through]");
    if (!entry || link.hasAttribute("hx-get")) { return; }
    var item = entry.querySelector(".item");
    var url = new URL(window.location.href);
    url.searchParams.delete("cursor");
    url.searchParams.set("through", entry.getAttribute("data-through"));
    url.hash = item ? item.id : "";
    window.history.replaceState(window.history.state, "", url.toString());
  });

  function focusTarget() {
    var id = window.location.hash.slice(1);
    var target = id && document.getElementById(id);
    if (target && target.classList.contains("item")) { target.focus(); }
  }
  document.addEventListener("DOMContentLoaded", focusTarget);

  // -- Tables wider than the screen say that they scroll ---------------------------------
  function markScrollable() {
    document.querySelectorAll("[data-scroll-hint]").forEach(function (box) {
      var hint = box.previousElementSibling;
      var wide = box.scrollWidth > box.clientWidth + 1;
      box.classList.toggle("is-scrollable", wide);
      if (hint && hint.classList.contains("scroll-hint")) { hint.classList.toggle("is-shown", wide); }
    });
  }
  document.addEventListener("DOMContentLoaded", markScrollable);
  window.addEventListener("resize", markScrollable);

  // -- The density strip: zoom to a period by click, drag or keyboard --------------------
  function bars(strip) { return Array.prototype.slice.call(strip.querySelectorAll("a.bar")); }

  function zoomUrl(strip, first, last) {
    var from = first.getAttribute("data-from"), to = last.getAttribute("data-to");
    if (from > last.getAttribute("data-from")) {
      from = last.getAttribute("data-from"); to = first.getAttribute("data-to");
    }
    var base = strip.getAttribute("data-base");
    return "/?" + (base ? base + "&" : "") + "date_from=" + from + "&date_to=" + to;
  }

  function select(strip, anchor, focus) {
    var all = bars(strip), a = all.indexOf(anchor), b = all.indexOf(focus);
    var low = Math.min(a, b), high = Math.max(a, b);
    all.forEach(function (bar, n) {
      bar.classList.toggle("selected", n >= low && n <= high);
      bar.setAttribute("tabindex", bar === focus ? "0" : "-1");
    });
    focus.focus();
  }

  function setUpStrip(strip) {
    if (strip.getAttribute("data-ready")) { return; }
    strip.setAttribute("data-ready", "true");
    var anchor = null, dragging = false, moved = false;

    strip.addEventListener("keydown", function (event) {
      var all = bars(strip), current = document.activeElement;
      var n = all.indexOf(current);
      if (n < 0) { return; }
      var step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[event.key];
      var next = null;
      if (step) { next = all[Math.max(0, Math.min(all.length - 1, n + step))]; }
      if (event.key === "Home") { next = all[0]; }
      if (event.key === "End") { next = all[all.length - 1]; }
      if (next) {
        event.preventDefault();
        if (!event.shiftKey || !anchor) { anchor = event.shiftKey ? current : next; }
        select(strip, anchor, next);
        var count = all.filter(function (bar) { return bar.classList.contains("selected"); }).length;
        announce(next.getAttribute("aria-label") + (count > 1 ? " (" + count + " bars chosen)" : ""));
      } else if (event.key === "Enter") {
        event.preventDefault();
        window.location.assign(zoomUrl(strip, anchor || current, current));
      } else if (event.key === "Escape") {
        anchor = null;
        select(strip, current, current);
      }
    });

    strip.addEventListener("pointerdown", function (event) {
      var bar = event.target.closest("a.bar");
      if (!bar) { return; }
      anchor = bar; dragging = true; moved = false;
      select(strip, bar, bar);
      event.preventDefault();
    });
    strip.addEventListener("pointermove", function (event) {
      if (!dragging) { return; }
      var under = document.elementFromPoint(event.clientX, event.clientY);
      var bar = under && under.closest && under.closest("a.bar");
      if (bar && strip.contains(bar)) {
        if (bar !== anchor) { moved = true; }
        select(strip, anchor, bar);
      }
    });
    strip.addEventListener("pointerup", function (event) {
      if (!dragging) { return; }
      dragging = false;
      var under = document.elementFromPoint(event.clientX, event.clientY);
      var bar = (under && under.closest && under.closest("a.bar")) || anchor;
      if (moved || bar !== anchor) {
        window.location.assign(zoomUrl(strip, anchor, bar));
      } else {
        window.location.assign(bar.getAttribute("href"));
      }
    });
    // The pointer handles the bars; a click (from a pointer) must not navigate twice.
    strip.addEventListener("click", function (event) {
      if (event.detail > 0) { event.preventDefault(); }
    });
  }

  function setUpStrips() {
    document.querySelectorAll("svg.density-strip").forEach(setUpStrip);
  }
  document.addEventListener("DOMContentLoaded", setUpStrips);
  document.addEventListener("htmx:afterSettle", function () { setUpStrips(); markScrollable(); });
})();
