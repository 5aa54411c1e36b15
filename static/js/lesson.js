/* The lesson page (templates/journal/lesson.html): forms saved through htmx without a
 * page reload; the page works without this script too (plain POST and redirect).
 *  - refusals (403, 409, 422) come with content to show: swap them like a success;
 *  - anything else is a failure, never «сохранено»: an ended session (401) leaves what was
 *    typed in the form and sends it again after the new login (static/js/session.js); a
 *    server error, no connection, or an answer that is a whole page instead of the
 *    section (a proxy's or a login page) says «Не сохранено», the typed values stay;
 *  - «Все присутствуют» sets every pupil's attendance to present (saved with the column);
 *  - a marks table swapped in with its section gets the grid's script again.
 */
(function () {
  "use strict";

  function onReady(fn) {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", fn);
    else fn();
  }

  var gettext = window.gettext || function (s) { return s; };
  var S = {
    session: gettext("Не сохранено: сеанс завершён. Введённое ждёт на странице и отправится после входа."),
    server: gettext("Не сохранено: ошибка на сервере. Введённое осталось на странице: сохраните ещё раз."),
    offline: gettext("Не сохранено: нет связи с сервером. Введённое осталось на странице: сохраните ещё раз."),
    bad: gettext("Не сохранено: сервер ответил не тем, что ждала страница. Введённое осталось на странице: сохраните ещё раз."),
  };

  // The place of a form's message: the table's status line, or a line at the top of its section.
  function sayUnsaved(form, text) {
    var status = form && document.getElementById(form.id === "att-form" ? "att-status" : form.id === "notes-form" ? "notes-status" : "");
    if (!status && form) {
      var section = form.closest("section") || form.parentElement;
      status = section.querySelector(".unsaved-msg");
      if (!status) {
        status = document.createElement("p");
        status.setAttribute("role", "status");
        var h = section.querySelector("h2");
        if (h) h.after(status);
        else section.prepend(status);
      }
    }
    if (!status) return;
    status.className = status.id ? "" : "said err unsaved-msg";
    status.textContent = "";
    var span = document.createElement("span");
    span.className = "said err unsaved";
    span.textContent = text;
    status.appendChild(span);
  }

  function formOf(ev) {
    // beforeSwap's elt is the target; the form that asked is the request's element
    var elt = (ev.detail.requestConfig && ev.detail.requestConfig.elt) || ev.detail.elt;
    return elt && (elt.tagName === "FORM" ? elt : elt.closest("form"));
  }

  function isWholePage(text) {
    return /^\s*<!doctype|<html[\s>]|<body[\s>]/i.test(text || "");
  }

  function sendAgain(form) {
    if (!form.isConnected) return;
    if (form.requestSubmit) form.requestSubmit();
    else if (window.htmx) window.htmx.trigger(form, "submit");
  }

  document.addEventListener("htmx:beforeSwap", function (ev) {
    var xhr = ev.detail.xhr, status = xhr.status, form = formOf(ev);
    if (status === 401) {
      ev.detail.shouldSwap = false;
      ev.detail.isError = false;
      sayUnsaved(form, S.session);
      if (window.ejSession && form) window.ejSession.expired(function () { sendAgain(form); });
      return;
    }
    if ([200, 403, 409, 422].indexOf(status) < 0 || isWholePage(xhr.responseText)) {
      ev.detail.shouldSwap = false;
      ev.detail.isError = false;
      sayUnsaved(form, status >= 500 ? S.server : S.bad);
      return;
    }
    if (status !== 200) {
      ev.detail.shouldSwap = true;
      ev.detail.isError = false;
    }
  });

  document.addEventListener("htmx:sendError", function (ev) {
    sayUnsaved(formOf(ev), S.offline);
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
    var form = elt && (elt.tagName === "FORM" ? elt : elt.closest && elt.closest("form"));
    var old = form && form.closest("section") && form.closest("section").querySelector(".unsaved-msg");
    if (old) old.remove();
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
