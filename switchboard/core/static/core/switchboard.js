/* Switchboard pages: confirmations, keyboard shortcuts, live updates over WebSockets. */
(function () {
  "use strict";

  // Status icons in their colours (CORE-04), on the page and in every part htmx brings in: the
  // colour is data, since the Content-Security-Policy allows no inline style attribute.
  function paintStatusIcons(root) {
    var icons = Array.prototype.slice.call(root.querySelectorAll("[data-colour]"));
    if (root.matches && root.matches("[data-colour]")) icons.push(root);
    icons.forEach(function (icon) { icon.style.color = icon.dataset.colour; });
    // Status pills: the colour on the border, a wash of it behind, and on the icon; the words stay dark.
    root.querySelectorAll("[data-pill-colour]").forEach(function (pill) {
      var colour = pill.dataset.pillColour;
      pill.style.borderColor = colour;
      if (/^#[0-9a-f]{6}$/i.test(colour)) pill.style.backgroundColor = colour + "1f";
      var icon = pill.querySelector(".bi");
      if (icon) icon.style.color = colour;
    });
  }
  paintStatusIcons(document);
  document.addEventListener("htmx:load", function (event) { paintStatusIcons(event.target); });

  // Bulk bar (CORE-15): shown once a ticket is checked; shows the value the action needs; counts
  // the selection; says what will be lost.
  var bulk = document.querySelector("[data-bulk]");
  var checked = function () { return document.querySelectorAll("input[name=tickets][form=bulk]:checked").length; };
  if (bulk) {
    var action = bulk.querySelector("select[name=action]");
    var showValue = function () {
      bulk.querySelectorAll("[data-bulk-value]").forEach(function (el) { el.hidden = el.dataset.bulkValue !== action.value; });
    };
    action.addEventListener("change", showValue);
    showValue();
    var showSelection = function () {
      var count = checked();
      bulk.querySelector("[data-selected-count]").textContent = count;
      bulk.hidden = count === 0;
    };
    document.addEventListener("change", function (event) {
      if (event.target.matches("[data-select-all]")) {
        document.querySelectorAll("input[name=tickets][form=bulk]").forEach(function (box) { box.checked = event.target.checked; });
      }
      showSelection();
    });
    showSelection();  // boxes a browser kept checked on going back
  }

  // Forms (or their buttons) that change many things ask first.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var message = (event.submitter && event.submitter.dataset.confirm) || form.dataset.confirm;
    if (form.dataset.bulk !== undefined) {
      var kind = form.querySelector("select[name=action]").value;
      message = (form.dataset["confirm" + kind.charAt(0).toUpperCase() + kind.slice(1)] || form.dataset.confirmOther).replace("{n}", checked());
    }
    var reset = form.querySelector("input[name=reset]");
    if (reset && reset.checked && form.dataset.confirmReset) message = form.dataset.confirmReset;
    if (message && !window.confirm(message)) event.preventDefault();
  });

  // A page that a small form sent back to (?focus=<id>) puts the keyboard where it was: on the
  // same button, or on its card ([tabindex="-1"]) when that button cannot be used any more
  // (moved to the top). Focusing scrolls it into view.
  var focusId = new URLSearchParams(window.location.search).get("focus");
  var focusTarget = focusId && document.getElementById(focusId);
  if (focusTarget && focusTarget.disabled) focusTarget = focusTarget.closest("[tabindex='-1']");
  if (focusTarget) focusTarget.focus();

  // Lists: j / k move, Enter opens, / searches; n opens the next ticket that needs a reply (the
  // ticket page has its own n, which swaps the page in place).
  var rows = function () { return Array.prototype.slice.call(document.querySelectorAll("[data-keyboard-list] tbody tr[data-href]")); };
  var current = -1;
  function select(index) {
    var all = rows();
    if (!all.length) return;
    current = Math.max(0, Math.min(index, all.length - 1));
    all.forEach(function (row, i) { row.classList.toggle("table-active", i === current); });
    all[current].scrollIntoView({ block: "nearest" });
  }
  document.addEventListener("keydown", function (event) {
    var typing = /^(INPUT|TEXTAREA|SELECT)$/.test(event.target.tagName) || event.target.isContentEditable;
    if (typing || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "j") { select(current + 1); event.preventDefault(); }
    else if (event.key === "k") { select(current - 1); event.preventDefault(); }
    else if (event.key === "Enter" && current >= 0) { window.location = rows()[current].dataset.href; }
    else if (event.key === "n" && !document.querySelector("[data-ticket-socket]")) {
      var next = document.querySelector("[data-next-form]");
      if (next) { next.submit(); event.preventDefault(); }
    }
    else if (event.key === "/") {
      var search = document.querySelector("[data-search-shortcut]");
      if (search) { search.focus(); event.preventDefault(); }
    }
  });
  document.addEventListener("click", function (event) {
    var row = event.target.closest("tr[data-href]");
    if (row && !event.target.closest("a, button, input")) window.location = row.dataset.href;
  });

  // SMS segments (PHONE-05), the rule of switchboard/phone/segments.py: GSM-7 takes 160 septets
  // alone or 153 per part (the extension table's characters take two), anything else is UCS-2 at
  // 70 or 67 UTF-16 units; a part never splits a character.
  var GSM_BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
  var GSM_EXTENSION = "\f^{}\\[~]|€";
  function countSegments(text) {
    var chars = Array.from(text);
    var gsm = chars.every(function (c) { return GSM_BASIC.indexOf(c) >= 0 || GSM_EXTENSION.indexOf(c) >= 0; });
    var sizes = chars.map(function (c) { return gsm ? (GSM_EXTENSION.indexOf(c) >= 0 ? 2 : 1) : c.length; });
    var units = sizes.reduce(function (a, b) { return a + b; }, 0);
    var single = gsm ? 160 : 70, part = gsm ? 153 : 67, count = units ? 1 : 0, used = 0;
    if (units > single) {
      sizes.forEach(function (size) {
        if (used + size > part) { count += 1; used = 0; }
        used += size;
      });
    }
    return { encoding: gsm ? "GSM-7" : "UCS-2", count: count, units: units };
  }

  // The SMS composer: canned responses as plain text, the placeholder guard, the live counter.
  function initSms(form) {
    if (form.dataset.ready) return;
    form.dataset.ready = "1";
    var text = form.querySelector("[data-sms-text]");
    var counter = form.querySelector("[data-sms-counter]");
    var warning = form.querySelector("[data-placeholder-warning]");
    var send = form.querySelector("[data-send]");
    var pattern = text.dataset.placeholderPattern;
    var canned = form.querySelector("[data-sms-canned]");
    function sync() {
      var segments = countSegments(text.value);
      counter.textContent = counter.dataset.text.replace("{units}", segments.units)
        .replace("{segments}", segments.count).replace("{encoding}", segments.encoding);
      counter.dataset.segments = segments.count;
      var left = text.value.match(new RegExp(pattern, "gu")) || [];
      warning.textContent = left.length ? warning.dataset.text + " " + left.join(", ") : "";
      warning.classList.toggle("d-none", !left.length);
      send.disabled = left.length > 0;
    }
    if (canned) {
      canned.addEventListener("change", function () {
        var option = canned.selectedOptions[0];
        canned.value = "";
        if (!option || !option.dataset.text) return;
        var before = text.value.slice(0, text.selectionStart);
        var gap = before && !/\s$/.test(before) ? " " : "";
        text.setRangeText(gap + option.dataset.text, text.selectionStart, text.selectionEnd, "end");
        text.focus();
        sync();
      });
    }
    text.addEventListener("input", sync);
    sync();
  }

  // Email templates: a tag button puts its tag where the cursor is, and the preview follows.
  document.querySelectorAll("[data-insert-tag]").forEach(function (button) {
    button.addEventListener("click", function () {
      var body = document.querySelector("[data-template-body]");
      var tag = "{" + button.dataset.insertTag + "}";
      body.setRangeText(tag, body.selectionStart, body.selectionEnd, "end");
      body.focus();
      body.dispatchEvent(new Event("input", { bubbles: true }));
    });
  });

  // Run ``callback`` once the page is visible: at once, or when its tab is first looked at.
  function whenSeen(callback) {
    if (document.visibilityState === "visible") { callback(); return; }
    document.addEventListener("visibilitychange", function seen() {
      if (document.visibilityState !== "visible") return;
      document.removeEventListener("visibilitychange", seen);
      callback();
    });
  }

  // A WebSocket that reconnects after a pause, until stopped.
  function live(path, onMessage) {
    var delay = 1000;
    var socket = null;
    var stopped = false;
    function open() {
      if (stopped) return;
      socket = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + path);
      socket.onopen = function () { delay = 1000; };
      socket.onmessage = function (event) { if (!stopped) onMessage(JSON.parse(event.data)); };
      socket.onclose = function (event) {
        if (event.code === 4403 || stopped) return;
        setTimeout(open, delay);
        delay = Math.min(delay * 2, 30000);
      };
    }
    open();
    return { stop: function () { stopped = true; socket.close(); } };
  }

  // Home and lists: counts and tickets change as others work.
  var buttons = document.getElementById("group-buttons");
  if (buttons) {
    live(buttons.dataset.liveSocket, function () {
      window.htmx.ajax("GET", buttons.dataset.liveUrl, { target: "#group-buttons", swap: "innerHTML" });
    });
  }
  var list = document.querySelector("[data-live-group]");
  if (list) {
    live(list.dataset.liveSocket, function (event) {
      if (String(event.group) === list.dataset.liveGroup) document.querySelector("[data-live-notice]").classList.remove("d-none");
    });
  }

  // For the ticket page's script (ticket.js).
  window.switchboard = { live: live, whenSeen: whenSeen };
  document.querySelectorAll("[data-sms]").forEach(initSms);
  document.addEventListener("htmx:load", function (event) { event.target.querySelectorAll("[data-sms]").forEach(initSms); });
})();
