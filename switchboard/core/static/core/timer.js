// The ticket page's timer (AGENT-07, tickets/_timer_button.html). It counts only while the page is
// shown: hidden (another tab, a minimised window) or left (another page, the next ticket swapped
// in) it pauses, and its time is kept per agent and ticket in the browser, so coming back shows
// it again. It starts by its button or the key m, or by itself when the page opens where the
// group says so (data-timer-autostart). Its "+" opens the time form with its minutes, rounded up,
// for the agent to adjust and save; saved, it starts again from zero.
(function () {
  "use strict";
  var active = null;  // { root, seconds (counted before startedAt), startedAt (ms) or null }

  function load(key) {
    try { return JSON.parse(window.localStorage.getItem(key)) || {}; } catch (e) { return {}; }
  }
  function elapsed(timer) {
    return timer.seconds + (timer.startedAt === null ? 0 : Math.floor((Date.now() - timer.startedAt) / 1000));
  }
  function store(timer) {
    window.localStorage.setItem(timer.root.dataset.timerKey, JSON.stringify({ seconds: elapsed(timer) }));
  }
  function shown(seconds) {
    var h = Math.floor(seconds / 3600), m = Math.floor(seconds / 60) % 60, s = seconds % 60;
    var two = function (n) { return (n < 10 ? "0" : "") + n; };
    return h ? h + ":" + two(m) + ":" + two(s) : m + ":" + two(s);
  }
  function draw(timer) {
    var running = timer.startedAt !== null;
    var toggle = timer.root.querySelector("[data-timer-toggle]");
    timer.root.querySelector("[data-timer-display]").textContent = shown(elapsed(timer));
    toggle.setAttribute("aria-pressed", running ? "true" : "false");
    toggle.classList.toggle("btn-success", running);
    toggle.classList.toggle("btn-outline-secondary", !running);
    toggle.title = running ? timer.root.dataset.runningLabel : timer.root.dataset.pausedLabel;
    timer.root.dataset.timerState = running ? "running" : "paused";
  }
  function start(timer) {
    if (timer.startedAt === null) timer.startedAt = Date.now();
    draw(timer);
  }
  function pause(timer) {
    timer.seconds = elapsed(timer);
    timer.startedAt = null;
    store(timer);
    draw(timer);
  }

  function attach(root) {
    var timer = { root: root, seconds: Number(load(root.dataset.timerKey).seconds) || 0, startedAt: null };
    active = timer;
    root.querySelector("[data-timer-toggle]").addEventListener("click", function () {
      if (timer.startedAt === null) start(timer); else pause(timer);
    });
    var form = document.querySelector("[data-time-form]");
    if (form) {
      // Opened, the form holds the timer's minutes (rounded up), unless the agent typed some.
      form.addEventListener("show.bs.collapse", function () {
        var minutes = form.querySelector("[data-timer-minutes]");
        var counted = elapsed(timer);
        if (counted > 0 && (!minutes.value || form.dataset.fromTimer !== undefined)) {
          minutes.value = Math.max(1, Math.ceil(counted / 60));
          form.dataset.fromTimer = "";
          form.querySelector("[data-timer-source]").value = "timer";
          form.querySelector("[data-timer-hint]").hidden = false;
        }
      });
      form.addEventListener("shown.bs.collapse", function () { form.querySelector("[data-timer-minutes]").select(); });
      form.addEventListener("submit", function () {
        if (form.querySelector("[data-timer-source]").value !== "timer") return;
        timer.seconds = 0;  // saved: the timer starts again from zero (refused, the form keeps the minutes)
        timer.startedAt = null;
        store(timer);
      });
    }
    if (root.dataset.timerAutostart !== undefined && document.visibilityState === "visible") start(timer);
    else draw(timer);
  }

  // Each second: draw the running time; a page swapped in place (the next ticket) pauses the
  // timer of the one that left and takes up its own.
  function check() {
    var root = document.querySelector("[data-ticket-timer]");
    if (active && active.root !== root) { pause(active); active = null; }
    if (root && !active) attach(root);
    if (active && active.startedAt !== null) draw(active);
  }
  var wasRunning = false;
  document.addEventListener("visibilitychange", function () {
    if (!active) return;
    if (document.visibilityState === "hidden") {
      wasRunning = active.startedAt !== null;
      pause(active);
    } else if (wasRunning) {
      start(active);
    }
  });
  window.addEventListener("pagehide", function () { if (active) pause(active); });
  document.addEventListener("keydown", function (event) {
    var typing = /^(INPUT|TEXTAREA|SELECT)$/.test(event.target.tagName) || event.target.isContentEditable;
    if (typing || event.ctrlKey || event.metaKey || event.altKey || event.key !== "m" || !active) return;
    event.preventDefault();
    if (active.startedAt === null) start(active); else pause(active);
  });
  check();
  document.addEventListener("htmx:load", check);
  window.setInterval(check, 1000);
})();
