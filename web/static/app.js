// Every action sent over the socket carries a client-chosen id (see docs/protocol.md).
document.addEventListener("htmx:wsConfigSend", function (e) {
  var id = (window.crypto && crypto.randomUUID) ? crypto.randomUUID() : String(Date.now()) + Math.random();
  e.detail.parameters.id = id;
  delete e.detail.parameters.HEADERS;
});
document.addEventListener("htmx:wsAfterSend", function (e) {
  var form = e.detail.elt && e.detail.elt.closest ? e.detail.elt.closest("form") : null;
  if (form && form.querySelector("textarea")) { form.reset(); }
});
// The drill clock ticks locally between server frames.
(function () {
  var base = Date.now();
  function tick() {
    var el = document.getElementById("clock");
    if (!el) return;
    var t = parseFloat(el.dataset.t || "0"), speed = parseFloat(el.dataset.speed || "1");
    if (el.dataset.status === "running") { t += (Date.now() - base) / 1000 * speed; }
    var m = Math.floor(t / 60), s = Math.floor(t % 60);
    el.textContent = el.dataset.status + " · " + m + ":" + (s < 10 ? "0" : "") + s + " · " + speed + "x";
  }
  document.addEventListener("htmx:oobAfterSwap", function (e) { if (e.detail.target && e.detail.target.id === "clock") base = Date.now(); });
  setInterval(tick, 500);
})();
