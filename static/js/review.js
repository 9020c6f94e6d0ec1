// The review workbench from the keyboard: one key per action, focus where the work is.
// Every action is a plain link or form underneath (htmx posts it); this only adds keys,
// focus, the undo countdown and "on behalf of" following the speaker.
(function () {
  "use strict";

  function byId(id) { return document.getElementById(id); }

  function isField(element) {
    if (!element) { return false; }
    var tag = element.tagName;
    return tag === "INPUT" || tag === "SELECT" || tag === "TEXTAREA" || element.isContentEditable;
  }

  function submit(form) {
    if (form && !form.classList.contains("htmx-request")) { form.requestSubmit(); }
  }

  function follow(selector) {
    var link = document.querySelector(selector);
    if (link) { link.click(); }
  }

  function focusHeading() {
    var heading = byId("claim-heading");
    if (!heading) { return; }
    heading.focus({ preventScroll: true });
    var top = heading.getBoundingClientRect().top;
    if (top < 0 || top > window.innerHeight / 2) {
      heading.scrollIntoView({ block: "start" });
    }
  }

  var keys = {
    j: function () { follow(".claim-nav a[rel=next]"); },
    k: function () { follow(".claim-nav a[rel=prev]"); },
    p: function () { submit(byId("claim-form")); },
    r: function () { submit(byId("reject-form")); },
    u: function () { submit(document.querySelector(".undo-form")); },
    e: function () {
      var first = document.querySelector("#claim-form select, #claim-form input:not([type=hidden])");
      (first || document.querySelector(".actionbar .publish")).focus();
    },
    s: function () {
      var stance = document.querySelector("#claim-form select[name$='-stance']");
      if (stance) { stance.focus(); }
    },
    m: function () {
      var search = byId("merge-q");
      if (search) { search.focus(); search.select(); }
    },
    "?": function () {
      var help = document.querySelector(".keys");
      if (help) { help.open = !help.open; }
    }
  };

  document.addEventListener("keydown", function (event) {
    if (!byId("workbench")) { return; }
    var target = event.target;
    if (isField(target)) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && target.form &&
          target.form.id === "claim-form") {
        event.preventDefault();
        submit(target.form);
      } else if (event.key === "Escape") {
        target.blur();
        focusHeading();
      } else if (event.key === "ArrowDown" && target.id === "merge-q") {
        var first = document.querySelector(".merge-target");
        if (first) { event.preventDefault(); first.focus(); }
      }
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    if (target.classList && target.classList.contains("merge-target") &&
        (event.key === "ArrowDown" || event.key === "ArrowUp")) {
      var items = Array.prototype.slice.call(document.querySelectorAll(".merge-target"));
      var next = items[items.indexOf(target) + (event.key === "ArrowDown" ? 1 : -1)];
      event.preventDefault();
      (next || byId("merge-q")).focus();
      return;
    }
    var action = keys[event.key];
    if (action) {
      event.preventDefault();
      action();
    }
  });

  // "On behalf of" follows a change of speaker, unless the editor chose it themselves.
  document.addEventListener("change", function (event) {
    if (event.target.id !== "id_speaker") { return; }
    var behalf = byId("id_on_behalf_of");
    var option = event.target.selectedOptions[0];
    if (!behalf || !option) { return; }
    var wanted = option.getAttribute("data-speaks-for") || "";
    if (behalf.value === (behalf.getAttribute("data-default") || "")) { behalf.value = wanted; }
    behalf.setAttribute("data-default", wanted);
  });

  function prepare(root) {
    var speaker = byId("id_speaker");
    var behalf = byId("id_on_behalf_of");
    if (speaker && behalf && speaker.selectedOptions[0]) {
      behalf.setAttribute("data-default", speaker.selectedOptions[0].getAttribute("data-speaks-for") || "");
    }
    // Show the candidate's words in the article without scrolling the page.
    var text = root.querySelector(".article-text");
    var mark = byId("span");
    if (text && mark) { text.scrollTop = Math.max(0, mark.offsetTop - text.offsetTop - 80); }
    var undo = document.querySelector(".undo-form");
    if (undo && !undo.hasAttribute("data-timer")) {
      undo.setAttribute("data-timer", "on");
      window.setTimeout(function () {
        if (undo.isConnected) { undo.remove(); }
      }, 1000 * Number(undo.getAttribute("data-undo-seconds") || 10));
    }
  }

  document.addEventListener("htmx:load", function (event) {
    if (event.detail.elt.id === "workbench") {
      prepare(event.detail.elt);
      focusHeading();
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    var workbench = byId("workbench");
    if (workbench) { prepare(workbench); focusHeading(); }
  });
})();
