/* Keyboard-first journal grid. Each cell is saved at once through htmx (htmx.ajax),
 * the server answers with the cell's new HTML (saved / late / error / conflict).
 * The table's header row "tr.slots" says what every column is; rows carry the pupil.
 * Messages come from Django's JavaScript catalogue (jsi18n/, loaded by base.html).
 */
(function () {
  "use strict";

  // Without the catalogue (it failed to load) the messages stay in Russian, the source language.
  var gettext = window.gettext || function (s) { return s; };

  // Attendance codes and the Latin keys that type them (a keyboard left in the English
  // layout) come from the server's rules (journal/rules.py grid_config) via json_script.
  var CONFIG = readConfig();
  var CODES = CONFIG.attendance_codes || [];
  var LATIN = CONFIG.key_aliases || {};
  var PM_CHARS = /^[а-яёa-z\/.]$/i; // i18n: data

  function readConfig() {
    var el = document.getElementById("grid-config");
    return el ? JSON.parse(el.textContent) : {};
  }
  function isPrefixOfLonger(buf) {
    return CODES.some(function (c) { return c.length > buf.length && c.indexOf(buf) === 0; });
  }
  function isPrefix(buf) {
    return CODES.some(function (c) { return c.indexOf(buf) === 0; });
  }

  function Grid(table) {
    this.table = table;
    this.ro = table.dataset.ro === "1";
    this.pmRo = table.dataset.pmRo !== "0";
    this.cellUrl = table.dataset.cellUrl;
    this.pmUrl = table.dataset.pmUrl;
    this.msg = document.getElementById("grid-msg");
    this.cols = [];
    var self = this;
    table.querySelectorAll("thead tr.slots th[data-k]").forEach(function (th) { self.cols.push({ k: th.dataset.k, th: th }); });
    table.querySelectorAll("thead th.panel").forEach(function (th) { self.cols.push({ k: th.dataset.k || "stat", th: th }); });
    this.r = 0;
    this.c = 0;
    this.buf = "";
    this.timer = null;
    this.pending = {};
    table.addEventListener("keydown", this.onKey.bind(this));
    table.addEventListener("click", this.onClick.bind(this));
    table.addEventListener("focus", function () { self.show(); });
  }

  Grid.prototype.rows = function () {
    return Array.prototype.filter.call(this.table.tBodies[0].rows, function (r) { return r.dataset.p; });
  };
  Grid.prototype.td = function (r, c) {
    var row = this.rows()[r];
    return row ? row.cells[1 + c] : null;
  };
  Grid.prototype.editable = function (c, td) {
    var col = this.cols[c];
    if (!col || !td || td.classList.contains("off")) return false;
    if (col.k === "pm") return !this.pmRo;
    return (col.k === "a" || col.k === "m") && !this.ro;
  };
  Grid.prototype.say = function (text, level) {
    if (!this.msg) return;
    this.msg.textContent = text || "";
    this.msg.className = level || "";
  };
  Grid.prototype.show = function () {
    this.table.querySelectorAll("td.cur").forEach(function (td) { td.classList.remove("cur"); });
    var td = this.td(this.r, this.c);
    if (!td) return;
    td.classList.add("cur");
    td.scrollIntoView({ block: "nearest", inline: "nearest" });
    var msg = td.dataset.msg;
    if (msg) this.say(msg, "err");
  };
  Grid.prototype.move = function (dr, dc) {
    var n = this.rows().length;
    this.r = Math.max(0, Math.min(n - 1, this.r + dr));
    this.c = Math.max(0, Math.min(this.cols.length - 1, this.c + dc));
    this.show();
  };
  // Inputs, links and buttons inside the table own their keys and clicks (a comment field
  // on the lesson page: typing «нет тетради» there is text, not attendance).
  function ownsInput(ev) {
    var el = ev.target;
    return el && el.closest && !el.closest("button[data-act]") && el.closest("input, textarea, select, button, a, [contenteditable]");
  }

  Grid.prototype.onClick = function (ev) {
    if (ownsInput(ev)) return;
    var btn = ev.target.closest("button[data-act]");
    var td = ev.target.closest("td");
    if (!td || !td.parentElement.dataset.p) return;
    var row = td.parentElement;
    this.r = this.rows().indexOf(row);
    this.c = td.cellIndex - 1;
    this.show();
    this.table.focus({ preventScroll: true });
    if (btn) {
      ev.preventDefault();
      this.resolveConflict(td, btn.dataset.act);
      return;
    }
    // Phones have no keyboard on a table: ask for the value instead.
    if (window.matchMedia && window.matchMedia("(pointer: coarse)").matches && this.editable(this.c, td)) {
      var v = window.prompt(gettext("Отметка (зачёт / незачёт: + / -), или н / б / уп / нп / оп; пусто — очистить"), "");
      if (v !== null) this.commit(v.trim().toLowerCase());
    }
  };
  Grid.prototype.resolveConflict = function (td, act) {
    if (act === "keep") {
      var theirs = td.dataset.theirs || "";
      td.className = "";
      td.removeAttribute("data-msg");
      td.removeAttribute("data-code");
      td.removeAttribute("title");
      td.textContent = theirs;
      this.say(gettext("Оставлено значение коллеги."), "ok");
      this.show();
    } else {
      this.save(this.r, this.c, td.dataset.mine || "", "");
    }
  };

  Grid.prototype.onKey = function (ev) {
    if (ownsInput(ev)) return;
    if (ev.altKey || ev.ctrlKey || ev.metaKey) return;
    var key = ev.key;
    var col = this.cols[this.c];
    var nav = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1], Enter: [1, 0] };
    if (key === "Tab") nav.Tab = ev.shiftKey ? [0, -1] : [0, 1];
    if (nav[key]) {
      ev.preventDefault();
      this.flush();
      this.move(nav[key][0], nav[key][1]);
      return;
    }
    if (key === "Escape") {
      this.cancelBuffer();
      return;
    }
    var td = this.td(this.r, this.c);
    if (!this.editable(this.c, td)) {
      if (key.length === 1 || key === "Delete" || key === "Backspace") {
        ev.preventDefault();
        this.say(
          td && td.classList.contains("off")
            ? gettext("Ученик не числится в классе на дату урока.")
            : gettext("Эту клетку вы можете только просматривать."),
          "err"
        );
      }
      return;
    }
    if (key === "Delete" || key === "Backspace") {
      ev.preventDefault();
      if (this.buf) {
        this.buf = this.buf.slice(0, -1);
        this.showBuffer();
        return;
      }
      this.commit("");
      return;
    }
    if (key.length !== 1) return;
    var ch = key.toLowerCase();
    if (/^[0-9]$/.test(ch) && !this.buf) {
      ev.preventDefault();
      if (col.k === "a") {
        this.say(gettext("В колонке посещаемости: н, б, уп, нп, оп. Отметка — в соседней колонке."), "err");
        return;
      }
      this.commit(ch);
      return;
    }
    // Pass/fail subjects: «+» зачёт, «-» незачёт (the server maps them; letters here mean attendance).
    if ((ch === "+" || ch === "-") && col.k === "m") {
      ev.preventDefault();
      this.flush();
      this.commit(ch);
      return;
    }
    if (col.k === "pm") {
      if (PM_CHARS.test(ch) || /^[0-9]$/.test(ch)) {
        ev.preventDefault();
        this.buf += ch;
        this.showBuffer();
      }
      return;
    }
    if (LATIN[ch]) ch = LATIN[ch];
    if (!/^[а-яё]$/.test(ch)) return; // i18n: data
    ev.preventDefault();
    if (this.buf && !isPrefix(this.buf + ch)) this.flush();
    var next = this.buf + ch;
    if (!isPrefix(next)) {
      this.cancelBuffer();
      this.say(gettext("Посещаемость: н, б, уп, нп, оп."), "err");
      return;
    }
    this.buf = next;
    if (CODES.indexOf(next) >= 0 && !isPrefixOfLonger(next)) {
      this.flush();
      return;
    }
    this.showBuffer();
    var self = this;
    clearTimeout(this.timer);
    this.timer = setTimeout(function () { self.flush(); }, 1500);
  };
  Grid.prototype.showBuffer = function () {
    var td = this.td(this.r, this.c);
    if (!td) return;
    if (!td.dataset.before) td.dataset.before = td.textContent;
    td.classList.add("typing");
    td.textContent = this.buf || td.dataset.before;
  };
  Grid.prototype.cancelBuffer = function () {
    clearTimeout(this.timer);
    var td = this.td(this.r, this.c);
    if (td && td.classList.contains("typing")) {
      td.textContent = td.dataset.before || "";
      td.classList.remove("typing");
      td.removeAttribute("data-before");
    }
    this.buf = "";
  };
  Grid.prototype.flush = function () {
    clearTimeout(this.timer);
    if (!this.buf) return;
    var value = this.buf;
    this.buf = "";
    var td = this.td(this.r, this.c);
    if (td) {
      td.classList.remove("typing");
      td.removeAttribute("data-before");
    }
    this.commit(value);
  };
  Grid.prototype.commit = function (value) {
    var col = this.cols[this.c];
    var c = this.c;
    // An attendance code typed in a mark column belongs to the lesson's attendance column.
    if (col.k === "m" && value && CODES.indexOf(value) >= 0) {
      c = this.attendanceColumn(col.th.dataset.l);
      if (c < 0) return;
    }
    this.save(this.r, c, value, "");
  };
  Grid.prototype.attendanceColumn = function (lessonId) {
    for (var i = 0; i < this.cols.length; i++) {
      if (this.cols[i].k === "a" && this.cols[i].th.dataset.l === lessonId) return i;
    }
    return -1;
  };

  Grid.prototype.save = function (r, c, value, reason) {
    var key = r + ":" + c;
    var self = this;
    var prev = this.pending[key] || Promise.resolve();
    // One request at a time per cell, each with the version the previous one returned.
    var p = prev.then(function () { return self.send(r, c, value, reason); });
    this.pending[key] = p.catch(function () {});
    return p;
  };
  Grid.prototype.send = function (r, c, value, reason) {
    var self = this;
    var row = this.rows()[r];
    var td = row.cells[1 + c];
    var col = this.cols[c];
    var url;
    var values = { p: row.dataset.p, v: td.dataset.v || "0", value: value };
    if (col.k === "pm") {
      url = this.pmUrl;
      values.kind = col.th.dataset.kind;
    } else {
      url = this.cellUrl.replace("/0/", "/" + col.th.dataset.l + "/");
      values.k = col.k;
      values.s = col.th.dataset.s || "";
      if (reason) values.reason = reason;
    }
    td.classList.add("saving");
    var body = new URLSearchParams();
    Object.keys(values).forEach(function (k) { body.set(k, values[k]); });
    var session = window.ejSession;
    function unsaved(message, retry) {
      var cur = row.cells[1 + c];
      cur.classList.remove("saving");
      cur.classList.add("err", "unsaved");
      cur.setAttribute("title", gettext("не сохранено"));
      self.say(message, "err");
      if (retry && session) session.expired(retry);
    }
    function again() { return self.save(r, c, value, reason); }
    if (session && session.isEnded()) {
      unsaved(gettext("Не сохранено: сеанс завершён. Введённое ждёт на странице и отправится после входа."), again);
      return Promise.resolve();
    }
    return fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "HX-Request": "true", "X-CSRFToken": session ? session.csrf() : (document.cookie.match(/csrftoken=([^;]*)/) || [])[1] || "" },
    }).then(function (resp) {
      return resp.text().then(function (text) {
        if (resp.status === 401) {
          unsaved(gettext("Не сохранено: сеанс завершён. Введённое ждёт на странице и отправится после входа."), again);
          return;
        }
        var tpl = document.createElement("template");
        tpl.innerHTML = "<table><tbody><tr>" + text + "</tr></tbody></table>";
        var fresh = tpl.content.querySelector("td[data-v]");
        // Only a cell is an answer: a page (a login form, a proxy's error) is a failure.
        if (!fresh || [200, 403, 409, 422].indexOf(resp.status) < 0) {
          unsaved(gettext("Не сохранено: сервер ответил не клеткой журнала. Повторите ввод."), null);
          return;
        }
        row.cells[1 + c].replaceWith(fresh);
        if (fresh.dataset.s && col.k === "m" && !col.th.dataset.s) col.th.dataset.s = fresh.dataset.s;
        if (fresh.dataset.code === "reason_required") {
          var why = window.prompt(fresh.dataset.msg + "\n" + gettext("Причина:"), "");
          if (why && why.trim()) return self.send(r, c, value, why.trim());
        }
        if (fresh.dataset.msg) self.say(fresh.dataset.msg, "err");
        else if (fresh.classList.contains("late")) self.say(gettext("Сохранено (внесено с опозданием)."), "late");
        else self.say(gettext("Сохранено."), "ok");
        if (r === self.r && c === self.c) fresh.classList.add("cur");
      });
    }, function () {
      unsaved(gettext("Не удалось сохранить: нет связи с сервером. Повторите ввод."), null);
    });
  };

  function init() {
    document.querySelectorAll("table.grid:not(.register)").forEach(function (t) {
      if (!t.ejGrid) t.ejGrid = new Grid(t);
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
