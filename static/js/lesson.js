/* The lesson page (templates/journal/lesson.html): forms saved through htmx without a
 * page reload; the page works without this script too (plain POST and redirect).
 *  - refusals (403, 409, 422) come with content to show: swap them like a success;
 *  - «Все присутствуют» sets every pupil's attendance to present (saved with the column);
 *  - a marks table swapped in with its section gets the grid's script again.
 */
(function () {
  "use strict";

  function onReady(fn) {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", fn);
    else fn();
  }

  document.addEventListener("htmx:beforeSwap", function (ev) {
    var status = ev.detail.xhr.status;
    if (status === 403 || status === 409 || status === 422) {
      ev.detail.shouldSwap = true;
      ev.detail.isError = false;
    }
  });

  // Before the notes are sent, the previous refusal's row messages go.
  document.addEventListener("htmx:beforeRequest", function (ev) {
    var elt = ev.detail.elt;
    if (elt && elt.id === "notes-form") {
      document.querySelectorAll(".note-err").forEach(function (s) { s.textContent = ""; });
      document.querySelectorAll(".lesson-pupils tr.row-error").forEach(function (tr) { tr.classList.remove("row-error"); });
    }
    if (elt && (elt.id === "notes-form" || elt.id === "att-form")) {
      var status = document.getElementById(elt.id === "att-form" ? "att-status" : "notes-status");
      if (status) status.textContent = "";
    }
  });

  // Rows refused by the notes save are marked again from the answer's messages.
  document.addEventListener("htmx:afterSettle", function (ev) {
    document.querySelectorAll(".note-err").forEach(function (s) {
      var tr = s.closest("tr");
      if (tr) tr.classList.toggle("row-error", !!s.textContent.trim());
    });
    var marks = document.querySelector("#lesson-works table.grid");
    if (marks && !marks.ejGrid && window.htmx) reloadGridScript();
  });

  function reloadGridScript() {
    var old = document.querySelector("script[src*='js/grid.js']");
    if (!old) return;
    var s = document.createElement("script");
    s.src = old.src;
    document.head.appendChild(s);
  }

  onReady(function () {
    var button = document.querySelector(".lesson-pupils .all-present");
    if (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        document.querySelectorAll("select[name^='att_']").forEach(function (sel) { sel.value = ""; });
        var status = document.getElementById("att-status");
        if (status) status.textContent = button.dataset.said || "";
      });
    }
  });
})();
