/* The agent's side of the live chat (SELF-04), on every page: the waiting count in the menu, the
   chats panel (kept open across pages: sessionStorage), accepting, answering with the group's
   canned responses, typing both ways. */
(function () {
  "use strict";
  var panel = document.querySelector("[data-chat-panel]");
  if (!panel || !window.WebSocket) { return; }
  var $ = function (selector) { return panel.querySelector(selector); };
  var chats = {}, selected = Number(sessionStorage.getItem("chat-selected")) || 0;
  var socket = null, retry = 1000, typingTimer = null, lastTyping = 0;
  var input = $("[data-chat-input]"), lines = $("[data-chat-lines]");

  function say(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_m, name) { return values[name] || ""; });
  }
  function send(data) {
    if (socket && socket.readyState === WebSocket.OPEN) { socket.send(JSON.stringify(data)); }
  }
  function time(iso) {
    return new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  }
  function lineItem(line, chat) {
    var item = document.createElement("li");
    item.className = "chat-line " + (line.by === "agent" ? "mine" : "theirs");
    item.dataset.line = line.id;
    var meta = document.createElement("div");
    meta.className = "chat-meta";
    meta.textContent = (line.by === "agent" ? line.name : chat.name) + " · " + time(line.at);
    var text = document.createElement("div");
    text.className = "chat-text";
    text.textContent = line.text;
    item.append(meta, text);
    return item;
  }
  function renderWaiting(waiting) {
    var list = $("[data-waiting-list]"), template = $("[data-waiting-template]");
    list.replaceChildren();
    waiting.forEach(function (chat) {
      var item = template.content.firstElementChild.cloneNode(true);
      item.dataset.waitingChat = chat.id;
      item.querySelector("[data-name]").textContent = chat.name;
      item.querySelector("[data-group]").textContent = chat.group;
      item.querySelector("[data-text]").textContent = chat.text;
      item.querySelector("[data-text]").title = chat.text;
      item.querySelector("[data-accept]").addEventListener("click", function () {
        selected = chat.id;
        sessionStorage.setItem("chat-selected", String(chat.id));
        send({ type: "accept", session: chat.id });
      });
      list.append(item);
    });
    $("[data-no-waiting]").hidden = waiting.length > 0;
    var badge = document.querySelector("[data-chat-badge]");
    if (badge) {
      badge.hidden = waiting.length === 0;
      badge.querySelector("[data-chat-count]").textContent = String(waiting.length);
    }
  }
  function renderTabs() {
    var tabs = $("[data-chat-tabs]"), ids = Object.keys(chats).map(Number);
    tabs.replaceChildren();
    if (ids.indexOf(selected) < 0) { selected = ids.length ? ids[0] : 0; }
    ids.forEach(function (id) {
      var tab = document.createElement("button");
      tab.type = "button";
      tab.className = "btn btn-sm py-0 " + (id === selected ? "btn-primary" : "btn-outline-secondary");
      tab.setAttribute("role", "tab");
      tab.setAttribute("aria-selected", id === selected ? "true" : "false");
      tab.dataset.chatTab = id;
      tab.textContent = chats[id].name;
      if (chats[id].unread && id !== selected) { tab.textContent += " •"; }
      tab.addEventListener("click", function () { select(id); });
      tabs.append(tab);
    });
    $("[data-no-chats]").hidden = ids.length > 0;
    $("[data-chat-view]").hidden = ids.length === 0;
    if (selected) { renderChat(); }
  }
  function select(id) {
    selected = id;
    sessionStorage.setItem("chat-selected", String(id));
    chats[id].unread = false;
    $("[data-chat-typing]").textContent = "";
    renderTabs();
    input.focus();
  }
  function renderChat() {
    var chat = chats[selected];
    $("[data-chat-name]").textContent = chat.name;
    $("[data-chat-email]").textContent = chat.email;
    var link = $("[data-chat-ticket]");
    link.textContent = "#" + chat.ticket;
    link.href = chat.ticket_url;
    lines.replaceChildren.apply(lines, chat.lines.map(function (line) { return lineItem(line, chat); }));
    lines.scrollTop = lines.scrollHeight;
    var canned = $("[data-chat-canned]");
    while (canned.options.length > 1) { canned.remove(1); }
    chat.canned.forEach(function (response, index) {
      canned.add(new Option(response.title, String(index)));
    });
    canned.disabled = chat.canned.length === 0;
    $("[data-chat-composer]").hidden = Boolean(chat.ended);
    $("[data-chat-end]").hidden = Boolean(chat.ended);
    $("[data-chat-dismiss]").hidden = !chat.ended;
    $("[data-chat-error]").hidden = true;
  }
  function showError(text) {
    var box = $("[data-chat-error]");
    box.textContent = text;
    box.hidden = !text;
  }

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + location.host + panel.dataset.socket);
    socket.addEventListener("open", function () { retry = 1000; });
    socket.addEventListener("message", function (event) {
      var data = JSON.parse(event.data);
      if (data.type === "chats") {
        renderWaiting(data.waiting);
        var next = {};
        data.mine.forEach(function (chat) {
          chat.unread = chats[chat.id] ? chats[chat.id].unread : false;
          next[chat.id] = chat;
        });
        Object.keys(chats).forEach(function (id) {  // an ended chat stays until the agent moves on
          if (!next[id] && chats[id].ended) { next[id] = chats[id]; }
        });
        chats = next;
        renderTabs();
        var nav = document.querySelector("[data-chat-nav]");  // in the menu while there is a chat to take or answer
        if (nav) { nav.hidden = data.waiting.length === 0 && Object.keys(chats).length === 0 && !panel.classList.contains("show"); }
        panel.dataset.ready = "1";
      } else if (data.type === "chat.line") {
        var chat = chats[data.line.session];
        if (!chat || chat.lines.some(function (line) { return line.id === data.line.id; })) { return; }
        chat.lines.push(data.line);
        if (data.line.session === selected) {
          lines.append(lineItem(data.line, chat));
          lines.scrollTop = lines.scrollHeight;
          $("[data-chat-typing]").textContent = "";
        } else {
          chat.unread = true;
          renderTabs();
        }
      } else if (data.type === "chat.typing" && data.session === selected && chats[selected]) {
        $("[data-chat-typing]").textContent = say(panel.dataset.typing, { name: chats[selected].name });
        clearTimeout(typingTimer);
        typingTimer = setTimeout(function () { $("[data-chat-typing]").textContent = ""; }, 4000);
      } else if (data.type === "chat.state" && data.state === "ended" && chats[data.session]) {
        chats[data.session].ended = true;
        if (data.session === selected) {
          renderChat();
          if (data.ending !== "agent") { showError(panel.dataset.ended); }
        }
      } else if (data.type === "error") {
        showError(data.message);
      }
    });
    socket.addEventListener("close", function (event) {
      if (event.code === 4403) { return; }
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 15000);
    });
  }

  $("[data-chat-composer]").addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text || !selected) { return; }
    showError("");
    send({ type: "message", session: selected, text: text });
    input.value = "";
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); $("[data-chat-composer]").requestSubmit(); }
  });
  function typed() {
    if (selected && Date.now() - lastTyping > 2000) { lastTyping = Date.now(); send({ type: "typing", session: selected }); }
  }
  input.addEventListener("input", typed);
  $("[data-chat-canned]").addEventListener("change", function (event) {
    var chat = chats[selected], response = chat && chat.canned[Number(event.target.value)];
    if (response) {
      var at = input.selectionStart || input.value.length;
      input.value = input.value.slice(0, at) + response.text + input.value.slice(input.selectionEnd || at);
      input.focus();
      typed();
    }
    event.target.value = "";
  });
  $("[data-chat-end]").addEventListener("click", function () {
    if (selected) { send({ type: "end", session: selected }); }
  });
  $("[data-chat-dismiss]").addEventListener("click", function () {  // an ended chat leaves the panel
    delete chats[selected];
    renderTabs();
  });
  panel.addEventListener("shown.bs.offcanvas", function () { sessionStorage.setItem("chat-panel-open", "1"); });
  panel.addEventListener("hidden.bs.offcanvas", function () { sessionStorage.removeItem("chat-panel-open"); });
  if (sessionStorage.getItem("chat-panel-open") && window.bootstrap) {
    panel.classList.add("show");  // open at once on the next page, without sliding in again
    bootstrap.Offcanvas.getOrCreateInstance(panel).show();
  }
  connect();
})();
