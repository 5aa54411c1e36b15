/* The session of a journal page: nothing typed is lost when it ends.
 *
 * - A page's own request of an ended session gets 401 (accounts.middleware). The page
 *   calls ejSession.expired(retry): the dialog asks to sign in again in a new tab; when
 *   the tab lands on the "resumed" page it tells this one (BroadcastChannel, storage
 *   event), and every waiting retry runs, in the order typed.
 * - While the teacher works on the page (keys, taps), a ping keeps the session; when she
 *   has been away for almost the idle timeout, a warning offers to continue.
 * - CSRF: the token is read from the cookie at each request, since a new login rotates it.
 *
 * The "resumed" page marks an element data-session-resumed: loading it announces the login.
 * Configuration: an element with data-session-idle (seconds), data-ping-url,
 * data-login-url, data-resumed-url; strings through Django's JavaScript catalog (jsi18n/).
 */
(function () {
  "use strict";

  var CHANNEL = "ej-session";

  function cookie(name) {
    var m = document.cookie.match(new RegExp("(?:^|; )" + name + "=([^;]*)"));
    return m ? decodeURIComponent(m[1]) : "";
  }

  var gettext = window.gettext || function (s) { return s; };
  var waiting = [];
  var dialog = null;
  var ended = false;

  // Pages without their own settings (the lesson page) get the defaults of ejournal/settings.
  var DEFAULTS = { sessionIdle: "1800", pingUrl: "/accounts/session/ping/", loginUrl: "/login/", resumedUrl: "/accounts/session/resumed/" };
  function config() {
    var el = document.querySelector("[data-session-idle]");
    if (el) return el;
    if (!document.querySelector("table.grid")) return null;
    return { dataset: DEFAULTS };
  }

  function csrf() {
    return cookie("csrftoken");
  }

  function buildDialog() {
    var cfg = config();
    dialog = document.createElement("dialog");
    dialog.id = "session-dialog";
    dialog.setAttribute("aria-labelledby", "session-dialog-title");
    var h = document.createElement("h2");
    h.id = "session-dialog-title";
    h.textContent = gettext("Сеанс завершён");
    var p = document.createElement("p");
    p.className = "session-count";
    var login = document.createElement("a");
    login.className = "button primary";
    login.textContent = gettext("Войти снова");
    login.target = "_blank";
    login.rel = "opener";
    if (cfg) login.href = cfg.dataset.loginUrl + "?next=" + encodeURIComponent(cfg.dataset.resumedUrl);
    var retry = document.createElement("button");
    retry.type = "button";
    retry.textContent = gettext("Я вошёл — отправить");
    retry.addEventListener("click", resume);
    var row = document.createElement("p");
    row.className = "session-actions";
    row.appendChild(login);
    row.appendChild(document.createTextNode(" "));
    row.appendChild(retry);
    dialog.appendChild(h);
    dialog.appendChild(p);
    dialog.appendChild(row);
    document.body.appendChild(dialog);
  }

  function showDialog() {
    if (!dialog) buildDialog();
    dialog.querySelector(".session-count").textContent = gettext("Войдите снова в новой вкладке: несохранённые записи ждут на этой странице и отправятся сами.") + " " + gettext("Ждут отправки:") + " " + waiting.length + ".";
    // Not modal: the teacher may go on typing, and what she types waits in the queue too.
    // show() moves the focus into the dialog; the next key would land on its link and be
    // lost to the grid: the focus goes back where the teacher was typing.
    if (!dialog.open) {
      var typing = document.activeElement;
      if (dialog.show) dialog.show();
      else dialog.setAttribute("open", "");
      if (typing && typing !== document.body && typing.isConnected && !dialog.contains(typing)) {
        typing.focus({ preventScroll: true });
      }
    }
  }

  function expired(retry) {
    ended = true;
    if (retry) waiting.push(retry);
    showDialog();
    document.dispatchEvent(new CustomEvent("ej:session-ended"));
  }

  function resume() {
    ended = false;
    if (dialog && dialog.open) dialog.close();
    var todo = waiting;
    waiting = [];
    lastPing = Date.now();
    todo.forEach(function (fn) { fn(); });
    document.dispatchEvent(new CustomEvent("ej:session-resumed"));
  }

  function announceLogin() {
    try {
      var bc = new BroadcastChannel(CHANNEL);
      bc.postMessage("login");
      bc.close();
    } catch (e) { /* old browser: the storage event below */ }
    try {
      localStorage.setItem(CHANNEL, String(Date.now()));
    } catch (e) { /* private mode */ }
  }

  function listen() {
    try {
      var bc = new BroadcastChannel(CHANNEL);
      bc.onmessage = function (ev) { if (ev.data === "login" && ended) resume(); };
    } catch (e) { /* storage event only */ }
    window.addEventListener("storage", function (ev) { if (ev.key === CHANNEL && ended) resume(); });
  }

  // --- keeping the session while the teacher works -----------------------------------
  var lastActivity = Date.now();
  var lastPing = Date.now();
  var warning = null;

  function ping() {
    var cfg = config();
    if (!cfg || ended) return Promise.resolve();
    lastPing = Date.now();
    return fetch(cfg.dataset.pingUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf(), "X-Requested-With": "fetch" },
    }).then(function (resp) {
      if (resp.status === 401) expired(null);
    }, function () { /* offline: the next tick tries again */ });
  }

  function hideWarning() {
    if (warning) warning.hidden = true;
  }

  function showWarning(minutes) {
    if (!warning) {
      warning = document.createElement("div");
      warning.id = "session-warning";
      warning.setAttribute("role", "alert");
      var text = document.createElement("span");
      var btn = document.createElement("button");
      btn.type = "button";
      btn.textContent = gettext("Продолжить работу");
      btn.addEventListener("click", function () { lastActivity = Date.now(); hideWarning(); ping(); });
      warning.appendChild(text);
      warning.appendChild(document.createTextNode(" "));
      warning.appendChild(btn);
      document.body.appendChild(warning);
    }
    warning.firstChild.textContent = gettext("Сеанс скоро завершится из-за бездействия. Минут осталось:") + " " + minutes + ".";
    warning.hidden = false;
  }

  function tick() {
    var cfg = config();
    if (!cfg || ended) return;
    var idle = parseInt(cfg.dataset.sessionIdle, 10) * 1000;
    var now = Date.now();
    // Working on the page: ping at a third of the timeout, so the session never lapses.
    if (lastActivity > lastPing && now - lastPing > idle / 3) ping();
    var left = idle - (now - Math.max(lastActivity, lastPing));
    if (left < 3 * 60 * 1000) showWarning(Math.max(0, Math.ceil(left / 60000)));
  }

  function init() {
    // The "resumed" page after a new login in another tab: tell the journal tabs.
    if (document.querySelector("[data-session-resumed]")) announceLogin();
    listen();
    ["keydown", "pointerdown"].forEach(function (name) {
      document.addEventListener(name, function () { lastActivity = Date.now(); hideWarning(); }, true);
    });
    setInterval(tick, 20 * 1000);
    // htmx requests read the CSRF token from the cookie at send time (a new login rotates
    // it); a form's own csrfmiddlewaretoken field, which Django reads first, gets it too.
    document.addEventListener("htmx:configRequest", function (ev) {
      var token = csrf();
      if (!token) return;
      ev.detail.headers["X-CSRFToken"] = token;
      var data = ev.detail.formData;
      if (data && data.has && data.has("csrfmiddlewaretoken")) data.set("csrfmiddlewaretoken", token);
    });
  }

  window.ejSession = {
    csrf: csrf,
    expired: expired,
    resume: resume,
    announceLogin: announceLogin,
    isEnded: function () { return ended; },
    waitingCount: function () { return waiting.length; },
    ping: ping,
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
