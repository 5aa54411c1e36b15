/* Page behaviour of every page, wired by data attributes: the Content-Security-Policy
   (ejournal/settings, django-csp) allows scripts from our own files only, so no template
   carries an inline script or an on…= handler. Listeners sit on the document, so content
   htmx swaps in later behaves the same.

   data-autosubmit        on a <select>: choosing a value submits its form
   data-confirm="…"       on a <form>: asks before submitting
   data-check-all="name"  on a checkbox: ticks or clears every checkbox named `name`
   data-history-back      on a link: goes back in the browser's history (its href is the
                          way when there is no history, e.g. a page opened in a new tab)
   form.blank-picker      the temporary-journal blank: builds the file's URL from the
                          class and day chosen; the pressed button's data-kind picks PDF or XLSX */
(function () {
  "use strict";

  // The phone menu (base.html): folded below 700 px until the button opens it.
  document.documentElement.classList.add("js");
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button[data-menu-toggle]");
    if (!button) return;
    var open = button.closest(".topbar").classList.toggle("open");
    button.setAttribute("aria-expanded", open ? "true" : "false");
  });

  // The diary week opens at today's card (issue 20), unless the address names a place.
  document.addEventListener("DOMContentLoaded", function () {
    var today = document.querySelector(".week[data-scroll-today] .day.today");
    if (today && !window.location.hash && today.getBoundingClientRect().top > window.innerHeight / 2) {
      today.scrollIntoView({ block: "start" });
    }
  });

  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches("select[data-autosubmit]") && el.form) el.form.submit();
  });

  document.addEventListener("click", function (event) {
    var back = event.target.closest && event.target.closest("a[data-history-back]");
    if (back && window.history.length > 1) {
      event.preventDefault();
      window.history.back();
    }
  });

  document.addEventListener("click", function (event) {
    var box = event.target;
    if (!box.matches("input[type=checkbox][data-check-all]")) return;
    var name = box.getAttribute("data-check-all");
    document.querySelectorAll("input[type=checkbox]").forEach(function (c) {
      if (c.name === name) c.checked = box.checked;
    });
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
      return;
    }
    if (form.classList.contains("blank-picker")) {
      event.preventDefault();
      var button = event.submitter;
      var kind = (button && button.getAttribute("data-kind")) || "pdf/";
      var klass = form.elements.school_class.value;
      var day = form.elements.day.value;
      if (!klass || !day) return;
      window.location.href = form.dataset.url
        .replace("/0/", "/" + klass + "/")
        .replace("1970-01-01", day)
        .replace("pdf/", kind);
    }
  });
})();
