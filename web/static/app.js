// crisisdrill's page behaviour: no framework, no build step. htmx does the requests and the
// live socket; this file adds ids to socket actions, the composer, tabs, the ticking drill
// clock and relative timestamps, and keyboard shortcuts.
(function () {
  "use strict";
  var $ = function (sel, root) { return (root || document).querySelector(sel); };
  var $$ = function (sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); };

  // ---------------------------------------------------------------- socket actions
  // Every action sent over the socket carries a client-chosen id (see docs/protocol.md).
  document.addEventListener("htmx:wsConfigSend", function (e) {
    e.detail.parameters.id = (window.crypto && crypto.randomUUID) ? crypto.randomUUID()
      : String(Date.now()) + Math.random().toString(16).slice(2);
    delete e.detail.parameters.HEADERS;
    var more = e.detail.elt && e.detail.elt.closest && e.detail.elt.closest("details.more");
    if (more) { more.open = false; }
  });
  document.addEventListener("htmx:wsAfterSend", function (e) {
    var form = e.detail.elt && e.detail.elt.closest ? e.detail.elt.closest("form") : null;
    if (form && form.id === "composer") { resetComposer(); }
  });

  // --------------------------------------------------------------------- composer
  function composer() { return $("#composer"); }
  var LABELS = { reply: "Replying to", quote: "Quoting", dm: "Private message to" };

  function openComposer(btn) {
    var form = composer();
    if (!form) { return; }
    var mode = btn.dataset.compose;
    var text = $("#composer-text");
    $("#composer-type").value = mode;
    $("#composer-target").value = btn.dataset.target;
    var max = mode === "dm" ? 5000 : parseInt(form.dataset.max || "280", 10);
    text.maxLength = max;
    text.dataset.max = String(max);
    var ctx = $("#composer-context");
    ctx.textContent = "";
    var strong = document.createElement("strong");
    strong.textContent = LABELS[mode] + " " + (btn.dataset.handle || "");
    ctx.appendChild(strong);
    if (btn.dataset.text) { ctx.appendChild(document.createTextNode(": “" + btn.dataset.text + "”")); }
    $("#composer-send").disabled = false;
    $("#composer-send").textContent = mode === "dm" ? "Send DM" : (mode === "quote" ? "Quote" : "Reply");
    form.classList.add("active");
    updateCount();
    text.focus();
  }

  function resetComposer() {
    var form = composer();
    if (!form) { return; }
    $("#composer-text").value = "";
    $("#composer-target").value = "";
    $("#composer-send").disabled = true;
    $("#composer-send").textContent = "Post";
    $("#composer-context").textContent = "Press Reply, Quote or DM on a post to answer it.";
    form.classList.remove("active");
    updateCount();
  }

  function updateCount() {
    var text = $("#composer-text"), out = $("#char-count");
    if (!text || !out) { return; }
    var max = parseInt(text.dataset.max || (composer() && composer().dataset.max) || "280", 10);
    var n = Array.from(text.value).length;
    out.textContent = n + " / " + max;
    out.classList.toggle("near", n > max * 0.9 && n <= max);
    out.classList.toggle("over", n > max);
  }

  document.addEventListener("input", function (e) { if (e.target && e.target.id === "composer-text") { updateCount(); } });
  document.addEventListener("submit", function (e) {
    if (e.target && e.target.id === "composer" && !$("#composer-target").value) { e.preventDefault(); }
  }, true);

  // ------------------------------------------------------------------------- tabs
  function selectTab(tab) {
    var list = tab.closest("[role=tablist]");
    $$("[role=tab]", list).forEach(function (t) {
      var on = t === tab;
      t.setAttribute("aria-selected", on ? "true" : "false");
      t.tabIndex = on ? 0 : -1;
      var panel = document.getElementById(t.getAttribute("aria-controls"));
      if (panel) { panel.hidden = !on; }
    });
    var badge = $(".badge", tab);
    if (badge) { badge.hidden = true; badge.textContent = "0"; }
  }

  function bump(id) {
    var badge = document.getElementById(id);
    var tab = badge && badge.closest("[role=tab]");
    if (!badge || !tab || tab.getAttribute("aria-selected") === "true") { return; }
    badge.textContent = String(parseInt(badge.textContent || "0", 10) + 1);
    badge.hidden = false;
  }

  // ---------------------------------------------------------------- clicks, keys
  document.addEventListener("click", function (e) {
    var t = e.target.closest ? e.target : e.target.parentElement;
    var btn = t.closest("[data-compose]");
    if (btn) { e.preventDefault(); openComposer(btn); return; }
    if (t.closest("#composer-cancel")) { resetComposer(); return; }
    var tab = t.closest("[role=tab]");
    if (tab) { selectTab(tab); return; }
    if (t.closest("[data-dismiss]")) { t.closest(".toast").remove(); return; }
    var go = t.closest("[data-goto]");
    if (go) {
      var feedTab = $("#tab-feed");
      if (feedTab) { selectTab(feedTab); }
      var post = document.getElementById(go.dataset.goto);
      if (post) { e.preventDefault(); post.scrollIntoView({ block: "center" }); post.focus(); }
      return;
    }
    var close = t.closest("#thread [data-close-thread]");
    if (close) { e.preventDefault(); $("#thread").innerHTML = ""; history.replaceState(null, "", close.getAttribute("href")); }
  });

  function posts() {
    return $$("article.post").filter(function (p) { return p.offsetParent !== null && !p.closest("#thread"); });
  }

  document.addEventListener("keydown", function (e) {
    var tag = (e.target.tagName || "").toLowerCase();
    if (e.target.id === "composer-text") {
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); if (!$("#composer-send").disabled) { composer().requestSubmit(); } }
      if (e.key === "Escape") { resetComposer(); }
      return;
    }
    if (tag === "input" || tag === "textarea" || tag === "select" || e.ctrlKey || e.metaKey || e.altKey) { return; }
    var tab = e.target.closest && e.target.closest("[role=tab]");
    if (tab && (e.key === "ArrowDown" || e.key === "ArrowRight" || e.key === "ArrowUp" || e.key === "ArrowLeft")) {
      var tabs = $$("[role=tab]", tab.closest("[role=tablist]"));
      var i = tabs.indexOf(tab) + (e.key === "ArrowDown" || e.key === "ArrowRight" ? 1 : -1);
      var next = tabs[(i + tabs.length) % tabs.length];
      selectTab(next); next.focus(); e.preventDefault(); return;
    }
    var list = posts();
    if (!list.length) { return; }
    var cur = e.target.closest ? e.target.closest("article.post") : null;
    var idx = list.indexOf(cur);
    if (e.key === "j" || e.key === "k") {
      var n = e.key === "j" ? idx + 1 : idx - 1;
      var target = list[Math.max(0, Math.min(list.length - 1, idx < 0 ? 0 : n))];
      target.focus(); target.scrollIntoView({ block: "nearest" }); e.preventDefault(); return;
    }
    if (!cur) { return; }
    var map = { r: "reply", q: "quote", m: "dm" };
    if (map[e.key]) {
      var b = $("[data-compose=" + map[e.key] + "]", cur);
      if (b) { e.preventDefault(); openComposer(b); }
    } else if (e.key === "l") {
      var like = $$("form[ws-send]", cur).filter(function (f) { return f.querySelector("input[value=like]"); })[0];
      if (like) { e.preventDefault(); like.requestSubmit(); }
    }
  });

  // -------------------------------------------------- live updates from the socket
  document.addEventListener("htmx:oobAfterSwap", function (e) {
    var t = e.detail.target;
    if (!t) { return; }
    if (t.id === "clock") { anchor = Date.now(); }
    if (t.classList && t.classList.contains("counts")) {
      t.classList.add("bump"); setTimeout(function () { t.classList.remove("bump"); }, 700);
    }
  });
  var dmCount = 0;
  document.addEventListener("DOMContentLoaded", function () { dmCount = $$("#dms .bubble:not(.mine)").length; });
  // New notifications and messages while their tab is closed light up its badge.
  new MutationObserver(function (records) {
    records.forEach(function (r) {
      Array.prototype.forEach.call(r.addedNodes, function (n) {
        if (n.nodeType !== 1) { return; }
        if (n.matches("li.notif") && r.target.id === "notifications") { bump("notif-badge"); }
        if (n.matches("#dms")) {
          var count = $$(".bubble:not(.mine)", n).length;
          if (count > dmCount) { bump("dm-badge"); }
          dmCount = count;
        }
      });
    });
  }).observe(document.documentElement, { childList: true, subtree: true });

  // -------------------------------------------- the drill clock and relative times
  var anchor = Date.now();
  function drillNow() {
    var el = $("#clock");
    if (!el) { return null; }
    var t = parseFloat(el.dataset.t || "0"), speed = parseFloat(el.dataset.speed || "1");
    if (el.dataset.status === "running") { t += (Date.now() - anchor) / 1000 * speed; }
    var dur = parseFloat(el.dataset.duration || "0");
    return dur ? Math.min(t, dur) : t;
  }
  function mmss(t) { t = Math.max(0, Math.floor(t)); var s = t % 60; return Math.floor(t / 60) + ":" + (s < 10 ? "0" : "") + s; }
  function ago(d) {
    d = Math.max(0, Math.floor(d));
    if (d < 5) { return "now"; } if (d < 60) { return d + "s"; } if (d < 3600) { return Math.floor(d / 60) + "m"; }
    return Math.floor(d / 3600) + "h";
  }
  function tick() {
    var now = drillNow();
    if (now === null) { return; }
    var time = $("#clock .time");
    if (time) { time.textContent = mmss(now); }
    $$(".post time[data-t], .notif time[data-t], .bubble time[data-t]").forEach(function (el) {
      el.textContent = ago(now - parseFloat(el.dataset.t));
    });
  }
  setInterval(tick, 1000);
  document.addEventListener("DOMContentLoaded", function () { tick(); updateCount(); });
})();
