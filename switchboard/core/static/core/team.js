/* The Team page (PHONE-09): each member's phone state and the time in it, ticking in the browser
   from the server's clock, and switched live as members switch (ws/team/<group>/). */
(function () {
  var table = document.querySelector("[data-team-socket]");
  if (!table) return;
  // The browser's clock may be off: times are counted from the server's.
  var skew = Date.parse(table.dataset.serverNow) - Date.now();
  var reasons = JSON.parse(document.querySelector("[data-reason-labels]").dataset.reasonLabels || "{}");

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function elapsed(since) {
    var seconds = Math.max(0, Math.floor((Date.now() + skew - Date.parse(since)) / 1000));
    var h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = seconds % 60;
    return (h ? h + ":" + pad(m) : m) + ":" + pad(s);
  }
  function tick() {
    table.querySelectorAll("[data-state-since]").forEach(function (node) {
      node.textContent = node.dataset.stateSince ? elapsed(node.dataset.stateSince) : "";
    });
  }

  function show(event) {
    var cell = table.querySelector('[data-state-of="' + event.user + '"]');
    var look = document.querySelector('[data-state-look="' + event.state + '"]');
    if (!cell || !look) return;
    if (event.now) skew = Date.parse(event.now) - Date.now();
    cell.dataset.state = event.state;
    cell.querySelector("[data-state-icon]").className = "bi " + look.dataset.icon + " text-" + look.dataset.colour;
    cell.querySelector("[data-state-label]").textContent = look.dataset.label;
    cell.querySelector("[data-state-reason]").textContent = event.reason ? " · " + (reasons[event.reason] || event.reason) : "";
    cell.querySelector("[data-state-since]").dataset.stateSince = event.since;
    tick();
  }

  tick();
  setInterval(tick, 1000);
  if (window.switchboard) {
    window.switchboard.live(table.dataset.teamSocket, function (event) {
      if (event.type === "agent.state") show(event);
    });
  }
})();
