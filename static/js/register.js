/* The journal grid as a register (templates/journal/grid.html, journal/register.py).
 *
 * WAI-ARIA grid: one focusable cell (roving tabindex), arrows, Home/End, Ctrl+Home/End,
 * PageUp/PageDown move it; Tab and Shift+Tab leave the grid. A cell is one lesson of one
 * pupil: a digit is a mark of the lesson's work (in a lesson with several works digits
 * in a row go to the works in order, «/» skips to the next), н б уп нп оп attendance,
 * Delete clears, space (or a tap) opens the palette. After a mark the cursor moves to the
 * next pupil (the «После отметки — к следующему ученику» setting).
 *
 * Every save is a POST answered with the cell (and the row's figures out of band). An
 * answer that is not a cell is a failure: the cell shows «не сохранено» and the value
 * waits; an ended session (401) keeps everything typed queued until the teacher signs in
 * again (static/js/session.js), then sends it in the order typed.
 */
(function () {
  "use strict";

  // The attendance codes and the Latin look-alike keys come from the rules
  // (journal/rules.py grid_config, {% grid_config %} in the page), not a copy here.
  var CONFIG = (function () {
    var el = document.getElementById("grid-config");
    try { return el ? JSON.parse(el.textContent) : {}; } catch (e) { return {}; }
  })();
  var CODES = CONFIG.attendance_codes || [];
  var LATIN = CONFIG.key_aliases || {};
  var PM_CHARS = /^[а-яёa-z\/.0-9]$/i;  // i18n: data
  var PAGE = 10;
  var ADVANCE_KEY = "ej-grid-advance";

  function strings() {
    var el = document.getElementById("grid-strings");
    try { return el ? JSON.parse(el.textContent) : {}; } catch (e) { return {}; }
  }
  function isPrefixOfLonger(buf) {
    return CODES.some(function (c) { return c.length > buf.length && c.indexOf(buf) === 0; });
  }
  function isPrefix(buf) {
    return CODES.some(function (c) { return c.indexOf(buf) === 0; });
  }
  function interactive(el) {
    return el && el.closest && el.closest("input, textarea, select, button, a, [contenteditable], .palette");
  }

  function Register(table) {
    var self = this;
    this.table = table;
    this.S = strings();
    this.ro = table.dataset.ro === "1";
    this.pmRo = table.dataset.pmRo !== "0";
    this.cellUrl = table.dataset.cellUrl;
    this.pmUrl = table.dataset.pmUrl;
    this.period = table.dataset.period;
    this.msg = document.getElementById("grid-msg");
    this.cur = document.getElementById("grid-cur");
    this.heads = Array.prototype.slice.call(table.querySelectorAll("thead th.lesson"));
    this.panelHeads = Array.prototype.slice.call(table.querySelectorAll("thead th.panel"));
    this.ncols = this.heads.length + this.panelHeads.length;
    this.r = 0;
    this.c = 0;
    this.wi = 0; // the work the next digit goes to, in this visit of the cell
    this.buf = "";
    this.timer = null;
    this.chains = {};
    this.retryTimer = null;
    this.failed = [];
    this.palette = null;
    var advance = document.getElementById("grid-advance");
    if (advance) {
      try { if (localStorage.getItem(ADVANCE_KEY) === "0") advance.checked = false; } catch (e) { /* ignore */ }
      advance.addEventListener("change", function () {
        try { localStorage.setItem(ADVANCE_KEY, advance.checked ? "1" : "0"); } catch (e) { /* ignore */ }
      });
    }
    this.advanceBox = advance;
    table.addEventListener("keydown", this.onKey.bind(this));
    table.addEventListener("click", this.onClick.bind(this));
    table.addEventListener("focusin", function (ev) {
      var td = ev.target.closest && ev.target.closest("td");
      if (td && td.parentElement.dataset.p && !interactive(ev.target)) self.sync(td);
    });
    document.addEventListener("ej:session-resumed", function () { self.say(""); });
    // Open on the highlighted lesson: the server gave its first cell tabindex=0.
    var start = table.querySelector("tbody td[tabindex='0']");
    if (start) {
      this.r = this.rows().indexOf(start.parentElement);
      this.c = start.cellIndex - 1;
    } else if (this.td(0, 0)) {
      this.td(0, 0).tabIndex = 0;
    }
    var head = table.querySelector("thead th.today");
    if (head) {
      var wrap = table.closest(".grid-wrap");
      if (wrap) wrap.scrollLeft = Math.max(0, head.offsetLeft - wrap.clientWidth / 2);
    }
    this.describe();
    var first = this.td(this.r, this.c);
    if (first && !this.ro) first.focus({ preventScroll: true });
  }

  Register.prototype.rows = function () {
    return Array.prototype.filter.call(this.table.tBodies[0].rows, function (r) { return r.dataset.p; });
  };
  Register.prototype.td = function (r, c) {
    var row = this.rows()[r];
    return row ? row.cells[1 + c] : null;
  };
  Register.prototype.head = function (c) {
    return c < this.heads.length ? this.heads[c] : this.panelHeads[c - this.heads.length];
  };
  Register.prototype.kind = function (td) {
    if (!td) return "";
    if (td.dataset.cell) return "lesson";
    if (td.dataset.k === "pm") return "pm";
    return "stat";
  };
  Register.prototype.editable = function (td) {
    var k = this.kind(td);
    if (!td || td.classList.contains("off")) return false;
    if (k === "pm") return !this.pmRo;
    return k === "lesson" && !this.ro;
  };
  Register.prototype.say = function (text, level) {
    if (!this.msg) return;
    this.msg.textContent = text || "";
    this.msg.className = level || "";
  };
  Register.prototype.describe = function () {
    if (!this.cur) return;
    var row = this.rows()[this.r];
    var th = this.head(this.c);
    if (!row || !th) { this.cur.textContent = ""; return; }
    var who = row.cells[0].textContent.trim();
    this.cur.textContent = "";
    if (th.classList.contains("lesson")) {
      var topic = th.dataset.topic || this.S.no_topic || "";
      this.cur.appendChild(document.createTextNode(
        who + " · " + th.dataset.day + " · " + (this.S.topic || "") + ": " + topic + " · " + th.dataset.works + " "
      ));
      var a = document.createElement("a");
      a.href = th.querySelector("a").getAttribute("href");
      a.textContent = (this.S.lesson_link || "") + " " + th.dataset.day;
      this.cur.appendChild(a);
    } else {
      this.cur.textContent = who + " · " + th.textContent.trim();
    }
  };
  // Roving tabindex: the active cell is the grid's one tab stop.
  Register.prototype.show = function (focus) {
    var td = this.td(this.r, this.c);
    if (!td) return;
    this.table.querySelectorAll("tbody td[tabindex='0']").forEach(function (x) { if (x !== td) x.setAttribute("tabindex", "-1"); });
    td.tabIndex = 0;
    this.table.querySelectorAll("thead th.cur-col").forEach(function (x) { x.classList.remove("cur-col"); });
    var th = this.head(this.c);
    if (th) th.classList.add("cur-col");
    if (focus !== false) td.focus({ preventScroll: true });
    td.scrollIntoView({ block: "nearest", inline: "nearest" });
    this.describe();
    if (td.dataset.msg) this.say(td.dataset.msg, "err");
  };
  Register.prototype.sync = function (td) {
    var r = this.rows().indexOf(td.parentElement);
    var c = td.cellIndex - 1;
    if (r === this.r && c === this.c) return;
    this.flush();
    this.r = r;
    this.c = c;
    this.wi = 0;
    this.show(false);
  };
  Register.prototype.moveTo = function (r, c) {
    this.flush();
    var n = this.rows().length;
    this.r = Math.max(0, Math.min(n - 1, r));
    this.c = Math.max(0, Math.min(this.ncols - 1, c));
    this.wi = 0;
    this.show();
  };

  Register.prototype.onClick = function (ev) {
    if (interactive(ev.target)) return; // links and buttons in the grid do their own job
    var td = ev.target.closest("td");
    if (!td || !td.parentElement.dataset.p) return;
    this.sync(td);
    td.focus({ preventScroll: true });
    var touch = ev.pointerType === "touch" || (window.matchMedia && window.matchMedia("(pointer: coarse)").matches);
    if (touch && this.editable(td) && this.kind(td) === "lesson") this.openPalette(td);
  };

  Register.prototype.onKey = function (ev) {
    if (interactive(ev.target)) return; // an input inside the grid owns its keys
    var key = ev.key;
    var rows = this.rows().length;
    if (key === "Tab") { this.flush(); return; } // leaves the grid (the browser moves focus)
    var ctrl = ev.ctrlKey || ev.metaKey;
    var nav = null;
    if (key === "ArrowUp") nav = [this.r - 1, this.c];
    else if (key === "ArrowDown" || key === "Enter") nav = [this.r + 1, this.c];
    else if (key === "ArrowLeft") nav = [this.r, this.c - 1];
    else if (key === "ArrowRight") nav = [this.r, this.c + 1];
    else if (key === "Home") nav = ctrl ? [0, 0] : [this.r, 0];
    else if (key === "End") nav = ctrl ? [rows - 1, this.ncols - 1] : [this.r, this.ncols - 1];
    else if (key === "PageUp") nav = [this.r - PAGE, this.c];
    else if (key === "PageDown") nav = [this.r + PAGE, this.c];
    if (nav) {
      ev.preventDefault();
      if (key === "Enter" && this.kind(this.td(this.r, this.c)) === "pm" && this.buf) { this.flush(); }
      this.moveTo(nav[0], nav[1]);
      return;
    }
    if (ev.altKey || ctrl) return;
    if (key === "Escape") { this.cancelBuffer(); return; }
    var td = this.td(this.r, this.c);
    if (!this.editable(td)) {
      if (key.length === 1 || key === "Delete" || key === "Backspace") {
        ev.preventDefault();
        this.say(td && td.classList.contains("off") ? this.S.off : this.S.ro, "err");
      }
      return;
    }
    if (this.kind(td) === "pm") return this.pmKey(ev, td);
    // A buffered «н» is saved by any key that does not continue it; the cursor may move on.
    var cont = key.length === 1 && this.buf && isPrefix(this.buf + (LATIN[key.toLowerCase()] || key.toLowerCase()));
    if (this.buf && !cont && key !== "Escape") {
      this.flush();
      td = this.td(this.r, this.c);
      if (!this.editable(td)) return;
    }
    if (key === " ") { ev.preventDefault(); this.flush(); this.openPalette(td); return; }
    if (key === "Delete" || key === "Backspace") {
      ev.preventDefault();
      if (this.buf) { this.cancelBuffer(); return; }
      this.clearOne(td);
      return;
    }
    if (key.length !== 1) return;
    var ch = key.toLowerCase();
    var passFail = this.S.pass_fail;
    if ((!passFail && /^[1-5]$/.test(ch)) || (passFail && (ch === "+" || ch === "-"))) {
      ev.preventDefault();
      this.flush();
      if (passFail) ch = ch === "+" ? this.S.pass : this.S.fail;
      this.typeMark(td, ch);
      return;
    }
    if (ch === "/") {
      ev.preventDefault();
      this.flush();
      this.wi += 1;
      return;
    }
    if (LATIN[ch]) ch = LATIN[ch];
    if (!/^[а-яё]$/.test(ch)) return;  // i18n: data
    ev.preventDefault();
    var next = this.buf + ch;
    if (!isPrefix(next)) { this.cancelBuffer(); this.say(this.S.codes, "err"); return; }
    this.buf = next;
    if (CODES.indexOf(next) >= 0 && !isPrefixOfLonger(next)) { this.flush(); return; }
    this.showBuffer();
    var self = this;
    clearTimeout(this.timer);
    this.timer = setTimeout(function () { self.flush(); }, 1200);
  };

  Register.prototype.pmKey = function (ev, td) {
    var key = ev.key;
    if (key === "Delete" || key === "Backspace") {
      ev.preventDefault();
      if (this.buf) { this.buf = this.buf.slice(0, -1); this.showBuffer(); return; }
      this.savePm(td, "");
      return;
    }
    if (key.length === 1 && PM_CHARS.test(key)) {
      ev.preventDefault();
      this.buf += key.toLowerCase();
      this.showBuffer();
    }
  };

  Register.prototype.showBuffer = function () {
    var td = this.td(this.r, this.c);
    if (!td) return;
    if (td.dataset.before === undefined) td.dataset.before = td.innerHTML;
    td.classList.add("typing");
    td.textContent = this.buf;
  };
  Register.prototype.cancelBuffer = function () {
    clearTimeout(this.timer);
    var td = this.td(this.r, this.c);
    if (td && td.classList.contains("typing")) {
      td.innerHTML = td.dataset.before || "";
      td.classList.remove("typing");
      delete td.dataset.before;
    }
    this.buf = "";
  };
  Register.prototype.flush = function () {
    clearTimeout(this.timer);
    if (!this.buf) return;
    var value = this.buf;
    this.buf = "";
    var td = this.td(this.r, this.c);
    if (!td) return;
    if (td.classList.contains("typing")) {
      td.innerHTML = td.dataset.before || "";
      td.classList.remove("typing");
      delete td.dataset.before;
    }
    if (this.kind(td) === "pm") { this.savePm(td, value); return; }
    this.save(td, { k: "a", value: value });
    this.advance();
  };
  Register.prototype.advanceOn = function () {
    return !this.advanceBox || this.advanceBox.checked;
  };
  Register.prototype.advance = function () {
    if (this.advanceOn() && this.r < this.rows().length - 1) this.moveTo(this.r + 1, this.c);
  };

  // --- the items of a cell -----------------------------------------------------------
  Register.prototype.works = function (td) {
    var th = this.head(td.cellIndex - 1);
    var ids = (th && th.dataset.w) ? th.dataset.w.split(",") : [];
    var items = (td.dataset.m || "").split("|");
    return ids.map(function (id, i) {
      var p = (items[i] || ":0").split(":");
      return { id: id, value: p[0], v: parseInt(p[1] || "0", 10) };
    });
  };
  Register.prototype.typeMark = function (td, value) {
    var works = this.works(td);
    var i = this.wi;
    if (works.length && i >= works.length) i = works.length - 1;
    this.save(td, { k: "m", value: value, s: works.length ? works[i].id : "", wi: i });
    this.wi = i + 1;
    if (this.wi >= Math.max(1, works.length)) this.advance();
  };
  Register.prototype.clearOne = function (td) {
    var works = this.works(td);
    var i = Math.min(this.wi, Math.max(0, works.length - 1));
    if (works[i] && works[i].value) this.save(td, { k: "m", value: "", s: works[i].id, wi: i });
    else if (td.dataset.a) this.save(td, { k: "a", value: "" });
    else {
      var filled = works.filter(function (w) { return w.value; });
      if (filled.length) this.save(td, { k: "m", value: "", s: filled[0].id, wi: works.indexOf(filled[0]) });
    }
  };

  // --- saving ------------------------------------------------------------------------
  // One request at a time per cell, each with the version the previous answer gave.
  Register.prototype.save = function (td, item) {
    var key = td.dataset.cell;
    var self = this;
    var prev = this.chains[key] || Promise.resolve();
    this.mark(key, "saving", item);
    var p = prev.then(function () { return self.send(key, item); });
    this.chains[key] = p.catch(function () {});
    return p;
  };
  Register.prototype.cellOf = function (key) {
    return this.table.querySelector("td[data-cell='" + key + "']");
  };
  Register.prototype.mark = function (key, state, item) {
    var td = this.cellOf(key);
    if (!td) return;
    td.classList.remove("saving", "unsaved", "saved", "err", "conflict");
    td.classList.add(state);
    if (state === "unsaved") {
      var pending = td.querySelector(".pending");
      if (!pending) { pending = document.createElement("span"); pending.className = "pending"; td.appendChild(pending); }
      pending.textContent = (item && item.value ? item.value : "∅") + " ";
      var sr = document.createElement("span");
      sr.className = "sr";
      sr.textContent = this.S.unsaved;
      pending.appendChild(sr);
      td.setAttribute("title", this.S.unsaved);
    }
  };
  Register.prototype.version = function (td, item) {
    if (item.k === "a") return td.dataset.av || "0";
    var works = this.works(td);
    var w = works.filter(function (x) { return x.id === item.s; })[0];
    return w ? String(w.v) : "0";
  };
  Register.prototype.send = function (key, item) {
    var self = this;
    var td = this.cellOf(key);
    if (!td) return Promise.resolve();
    if (window.ejSession && window.ejSession.isEnded()) { this.queue(key, item); return Promise.resolve(); }
    var row = td.parentElement;
    var body = new URLSearchParams();
    body.set("k", item.k);
    body.set("p", row.dataset.p);
    body.set("v", this.version(td, item));
    body.set("value", item.value);
    var s = "";
    if (item.k === "m") {
      // typed before the lesson's first work existed: it has one by now, perhaps
      var w = this.works(td)[item.wi || 0];
      s = item.s || (w ? w.id : "");
      item.s = s;
    }
    body.set("s", s);
    body.set("g", this.period);
    if (item.reason) body.set("reason", item.reason);
    var url = this.cellUrl.replace("/0/", "/" + td.dataset.l + "/");
    return fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "HX-Request": "true", "X-CSRFToken": window.ejSession ? window.ejSession.csrf() : "" },
    }).then(function (resp) {
      return resp.text().then(function (text) { return self.answer(key, item, resp, text); });
    }, function () {
      self.fail(key, item, self.S.offline);
    });
  };
  Register.prototype.answer = function (key, item, resp, text) {
    if (resp.status === 401) { this.queue(key, item); return; }
    var tpl = document.createElement("template");
    tpl.innerHTML = "<table><tbody><tr>" + text + "</tr></tbody></table>";
    var fresh = tpl.content.querySelector("td[data-cell='" + key + "']");
    // Only a cell of this grid is an answer; anything else (a page, a proxy's error) is a failure.
    if (!fresh || [200, 403, 409, 422].indexOf(resp.status) < 0) {
      this.fail(key, item, this.S.bad_answer);
      return;
    }
    var td = this.cellOf(key);
    var th = this.head(td.cellIndex - 1);
    var active = td === this.td(this.r, this.c);
    td.replaceWith(fresh);
    if (active) fresh.tabIndex = 0; else fresh.setAttribute("tabindex", "-1");
    if (active && document.activeElement === document.body) fresh.focus({ preventScroll: true });
    // a first mark created the lesson's work: the header learns its id
    tpl.content.querySelectorAll("[hx-swap-oob]").forEach(function (el) {
      var old = document.getElementById(el.id);
      if (old) { el.removeAttribute("hx-swap-oob"); old.replaceWith(el); }
    });
    if (th && fresh.dataset.ws !== undefined && fresh.dataset.ws.length >= (th.dataset.w || "").length) th.dataset.w = fresh.dataset.ws;
    if (fresh.dataset.code === "reason_required") {
      var why = window.prompt(fresh.dataset.msg, "");
      if (why && why.trim()) {
        item.reason = why.trim();
        // Sent again at once: this answer runs inside the cell's own save chain, and a
        // save() would queue behind it and wait for itself.
        this.mark(key, "saving", item);
        return this.send(key, item);
      }
    }
    if (fresh.dataset.msg) this.say(fresh.dataset.msg, "err");
    else if (this.failed.length || (window.ejSession && window.ejSession.waitingCount())) this.say(this.S.queued, "err");
    else if (fresh.classList.contains("late-save")) this.say(this.S.saved_late, "late");
    else this.say(this.S.saved, "ok");
    if (this.failed.length) this.retrySoon(100);
  };
  Register.prototype.queue = function (key, item) {
    var self = this;
    this.mark(key, "unsaved", item);
    this.say(this.S.queued, "err");
    if (window.ejSession) window.ejSession.expired(function () { self.save(self.cellOf(key), item); });
  };
  Register.prototype.fail = function (key, item, message) {
    this.mark(key, "unsaved", item);
    this.say(message, "err");
    this.failed.push([key, item]);
    this.retrySoon(5000);
  };
  Register.prototype.retrySoon = function (ms) {
    var self = this;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(function () {
      var todo = self.failed;
      self.failed = [];
      todo.forEach(function (x) { var td = self.cellOf(x[0]); if (td) self.save(td, x[1]); });
    }, ms);
  };

  Register.prototype.savePm = function (td, value) {
    var self = this;
    var row = td.parentElement;
    var body = new URLSearchParams();
    body.set("p", row.dataset.p);
    body.set("v", td.dataset.v || "0");
    body.set("value", value);
    body.set("kind", td.dataset.kind);
    td.classList.add("saving");
    return fetch(this.pmUrl, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "HX-Request": "true", "X-CSRFToken": window.ejSession ? window.ejSession.csrf() : "" },
    }).then(function (resp) {
      return resp.text().then(function (text) {
        td.classList.remove("saving");
        if (resp.status === 401) {
          td.classList.add("unsaved");
          if (window.ejSession) window.ejSession.expired(function () { self.savePm(td, value); });
          self.say(self.S.queued, "err");
          return;
        }
        var tpl = document.createElement("template");
        tpl.innerHTML = "<table><tbody><tr>" + text + "</tr></tbody></table>";
        var fresh = tpl.content.querySelector("td[data-v]");
        if (!fresh || [200, 403, 409, 422].indexOf(resp.status) < 0) {
          td.classList.add("unsaved");
          self.say(self.S.bad_answer, "err");
          return;
        }
        td.dataset.v = fresh.dataset.v;
        td.textContent = fresh.classList.contains("conflict") ? (fresh.dataset.theirs || "") : fresh.textContent;
        td.classList.remove("saved", "err", "unsaved");
        td.classList.add(fresh.dataset.msg ? "err" : "saved");
        self.say(fresh.dataset.msg || self.S.saved, fresh.dataset.msg ? "err" : "ok");
      });
    }, function () {
      td.classList.remove("saving");
      td.classList.add("unsaved");
      self.say(self.S.offline, "err");
    });
  };

  // --- the palette (touch, or space) -------------------------------------------------
  Register.prototype.openPalette = function (td) {
    var self = this;
    this.closePalette();
    var row = td.parentElement;
    var th = this.head(td.cellIndex - 1);
    var works = this.works(td);
    var pal = document.createElement("div");
    pal.className = "palette";
    pal.setAttribute("role", "dialog");
    var who = row.cells[0].textContent.trim().replace(/^\d+\.\s*/, "");
    pal.setAttribute("aria-label", (this.S.palette || "").replace("%(who)s", who).replace("%(day)s", th.dataset.day));
    var chosen = Math.min(this.wi, Math.max(0, works.length - 1));
    if (works.length > 1) {
      var sel = document.createElement("div");
      sel.className = "pal-works";
      var names = (th.dataset.works || "").split("; ");
      works.forEach(function (w, i) {
        var b = document.createElement("button");
        b.type = "button";
        b.textContent = (self.S.work || "") + " " + (i + 1);
        b.title = names[i] || "";
        b.setAttribute("aria-pressed", i === chosen ? "true" : "false");
        b.addEventListener("click", function () {
          chosen = i;
          sel.querySelectorAll("button").forEach(function (x, j) { x.setAttribute("aria-pressed", j === i ? "true" : "false"); });
        });
        sel.appendChild(b);
      });
      pal.appendChild(sel);
    }
    var values = this.S.pass_fail ? [this.S.pass, this.S.fail] : ["5", "4", "3", "2"];
    var grid = document.createElement("div");
    grid.className = "pal-keys";
    function button(label, fn, cls) {
      var b = document.createElement("button");
      b.type = "button";
      b.textContent = label;
      if (cls) b.className = cls;
      b.addEventListener("click", function (ev) { ev.stopPropagation(); fn(); });
      grid.appendChild(b);
      return b;
    }
    values.forEach(function (v) {
      button(v, function () {
        self.closePalette();
        self.save(td, { k: "m", value: v, s: works.length ? works[chosen].id : "", wi: chosen });
        self.done(td);
      });
    });
    CODES.forEach(function (c) {
      button(c, function () { self.closePalette(); self.save(td, { k: "a", value: c }); self.done(td); }, "att");
    });
    button(this.S.clear, function () {
      self.closePalette();
      if (works[chosen] && works[chosen].value) self.save(td, { k: "m", value: "", s: works[chosen].id, wi: chosen });
      if (td.dataset.a) self.save(td, { k: "a", value: "" });
      td.focus({ preventScroll: true });
    }, "wide");
    button(this.S.close, function () { self.closePalette(); td.focus({ preventScroll: true }); }, "wide");
    pal.appendChild(grid);
    pal.addEventListener("keydown", function (ev) {
      if (ev.key === "Escape") { ev.stopPropagation(); self.closePalette(); td.focus({ preventScroll: true }); }
    });
    document.body.appendChild(pal);
    var rect = td.getBoundingClientRect();
    var w = pal.offsetWidth, h = pal.offsetHeight;
    var left = Math.min(window.innerWidth - w - 4, Math.max(4, rect.left + rect.width / 2 - w / 2));
    var top = rect.bottom + 4 + h > window.innerHeight ? Math.max(4, rect.top - h - 4) : rect.bottom + 4;
    pal.style.left = (left + window.scrollX) + "px";
    pal.style.top = (top + window.scrollY) + "px";
    this.palette = pal;
    pal.querySelector(".pal-keys button").focus();
  };
  Register.prototype.closePalette = function () {
    if (this.palette) { this.palette.remove(); this.palette = null; }
  };
  Register.prototype.done = function (td) {
    this.r = this.rows().indexOf(td.parentElement);
    this.c = td.cellIndex - 1;
    this.wi = 0;
    if (this.advanceOn() && this.r < this.rows().length - 1) this.moveTo(this.r + 1, this.c);
    else this.show();
  };

  function init() {
    document.querySelectorAll("table.register").forEach(function (t) {
      if (!t.ejRegister) t.ejRegister = new Register(t);
    });
    document.addEventListener("pointerdown", function (ev) {
      document.querySelectorAll("table.register").forEach(function (t) {
        var reg = t.ejRegister;
        if (reg && reg.palette && !reg.palette.contains(ev.target) && !t.contains(ev.target)) reg.closePalette();
      });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
