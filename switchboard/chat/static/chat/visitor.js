/* The visitor's side of the live chat (SELF-04): start, talk, see the agent typing, end, ask for
   the transcript. The chat's secret key stays in this browser (localStorage), so a reload finds
   the chat again. */
(function () {
  "use strict";
  var root = document.querySelector("[data-visitor-chat]");
  if (!root) { return; }
  var $ = function (selector) { return root.querySelector(selector); };
  var keyName = root.dataset.keyName;
  var socket = null, state = "", agent = "", typingTimer = null, lastTyping = 0, retry = 1000;
  var lines = $("[data-lines]"), status = $("[data-status]"), composer = $("[data-composer]");
  var message = $("#chat-message"), startForm = $("[data-start]");

  function show(part) {
    ["[data-unavailable]", "[data-start]", "[data-conversation]"].forEach(function (selector) {
      $(selector).hidden = selector !== part;
    });
  }
  function say(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_m, name) { return values[name] || ""; });
  }
  function send(data) {
    if (socket && socket.readyState === WebSocket.OPEN) { socket.send(JSON.stringify(data)); }
  }
  function time(iso) {
    return new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  }
  function addLine(line) {
    if (lines.querySelector('[data-line="' + line.id + '"]')) { return; }
    var item = document.createElement("li");
    item.className = "chat-line " + (line.by === "visitor" ? "mine" : "theirs");
    item.dataset.line = line.id;
    var meta = document.createElement("div");
    meta.className = "chat-meta";
    meta.textContent = (line.by === "visitor" ? root.dataset.you : line.name) + " · " + time(line.at);
    var text = document.createElement("div");
    text.className = "chat-text";
    text.textContent = line.text;
    item.append(meta, text);
    lines.append(item);
    lines.scrollTop = lines.scrollHeight;
    if (line.by === "agent") { $("[data-typing-line]").textContent = ""; }
  }
  function setState(data) {
    state = data.state;
    agent = data.agent || agent;
    var ended = state === "ended";
    status.textContent = ended ? root.dataset.ended : state === "active" ? say(root.dataset.active, { name: agent }) : root.dataset.waiting;
    composer.hidden = ended;
    $("[data-after]").hidden = !ended;
    $("[data-end]").hidden = ended;
    if (ended) { $("[data-typing-line]").textContent = ""; }
  }
  function error(text) {
    var box = $("[data-conversation]").hidden ? $("[data-start-error]") : $("[data-error]");
    box.textContent = text;
    box.hidden = !text;
  }

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + location.host + root.dataset.socket);
    socket.addEventListener("open", function () { retry = 1000; });
    socket.addEventListener("message", function (event) {
      var data = JSON.parse(event.data);
      if (data.type === "hello") {
        var key = localStorage.getItem(keyName);
        if (key) { send({ type: "resume", key: key }); } else { show(data.available ? "[data-start]" : "[data-unavailable]"); }
        root.dataset.available = data.available ? "1" : "0";
      } else if (data.type === "unknown") {
        localStorage.removeItem(keyName);
        show(root.dataset.available === "1" ? "[data-start]" : "[data-unavailable]");
      } else if (data.type === "started") {
        localStorage.setItem(keyName, data.key);
        startForm.reset();
      } else if (data.type === "session") {
        show("[data-conversation]");
        lines.replaceChildren();
        data.lines.forEach(addLine);
        setState(data);
        $("[data-transcript]").disabled = data.transcript_sent;
        root.dataset.ready = "1";
        if (!composer.hidden) { message.focus(); }
      } else if (data.type === "chat.line") {
        addLine(data.line);
      } else if (data.type === "chat.state") {
        setState(data);
      } else if (data.type === "chat.typing") {
        $("[data-typing-line]").textContent = say(root.dataset.typing, { name: agent });
        clearTimeout(typingTimer);
        typingTimer = setTimeout(function () { $("[data-typing-line]").textContent = ""; }, 4000);
      } else if (data.type === "transcript") {
        $("[data-after-note]").textContent = say(root.dataset.sent, { email: data.email });
        $("[data-transcript]").disabled = true;
      } else if (data.type === "error") {
        if (data.field === "email") {
          $("#chat-email").classList.add("is-invalid");
          $("[data-email-error]").textContent = data.message;
        } else {
          error(data.message);
        }
      }
    });
    socket.addEventListener("close", function (event) {
      if (event.code === 4403) { return; }
      status.textContent = root.dataset.offline;
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 15000);
    });
  }

  startForm.addEventListener("submit", function (event) {
    event.preventDefault();
    $("#chat-email").classList.remove("is-invalid");
    error("");
    if (!startForm.checkValidity()) { startForm.classList.add("was-validated"); return; }
    var fields = new FormData(startForm);
    send({ type: "start", name: fields.get("name") || "", email: fields.get("email") || "", text: fields.get("text") });
  });
  composer.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = message.value.trim();
    if (!text) { return; }
    error("");
    send({ type: "message", text: text });
    message.value = "";
  });
  message.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); composer.requestSubmit(); }
  });
  message.addEventListener("input", function () {
    if (Date.now() - lastTyping > 2000) { lastTyping = Date.now(); send({ type: "typing" }); }
  });
  $("[data-end]").addEventListener("click", function () { send({ type: "end" }); });
  $("[data-transcript]").addEventListener("click", function () { send({ type: "transcript" }); });
  $("[data-new-chat]").addEventListener("click", function () {
    localStorage.removeItem(keyName);
    lines.replaceChildren();
    $("[data-after-note]").textContent = "";
    status.textContent = "";
    $("[data-end]").hidden = true;
    show(root.dataset.available === "1" ? "[data-start]" : "[data-unavailable]");
  });
  if (window.parent !== window) {  // in the widget's frame: a way back to the website, on a phone too
    $("[data-minimise]").hidden = false;
    $("[data-minimise]").addEventListener("click", function () { window.parent.postMessage("switchboard-chat-close", "*"); });
  }
  connect();
})();
