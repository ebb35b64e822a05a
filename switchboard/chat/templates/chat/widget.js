{% load i18n %}{% autoescape off %}/* Switchboard live chat for {{ group.name|escapejs }}: a button that opens the chat in a frame. */
(function () {
  "use strict";
  if (window.switchboardChat) { return; }
  window.switchboardChat = true;
  var lang = (document.documentElement.lang || "").slice(0, 2);
  var script = document.currentScript && document.currentScript.src;  /* the chat is where this script came from */
  var url = (script ? script.replace(/widget\.js(\?.*)?$/, "") : "{{ chat_url|escapejs }}") + (lang ? "?lang=" + encodeURIComponent(lang) : "");
  var button = document.createElement("button");
  button.type = "button";
  button.textContent = "{% translate 'Chat with us'|escapejs %}";
  button.setAttribute("aria-expanded", "false");
  button.setAttribute("data-switchboard-chat-button", "");
  button.style.cssText = "position:fixed;right:16px;bottom:16px;z-index:2147483646;border:0;border-radius:24px;" +
    "padding:12px 20px;background:#0d6efd;color:#fff;font:600 15px system-ui,sans-serif;box-shadow:0 4px 14px rgba(0,0,0,.25);cursor:pointer";
  var frame = null;
  function size() {
    if (!frame) { return; }
    var small = window.innerWidth < 480;
    frame.style.cssText = "position:fixed;z-index:2147483647;border:0;background:#fff;box-shadow:0 8px 30px rgba(0,0,0,.3);" +
      (small ? "left:0;top:0;width:100%;height:100%;border-radius:0" : "right:16px;bottom:76px;width:380px;height:560px;max-height:calc(100vh - 96px);border-radius:12px");
  }
  function toggle() {
    if (!frame) {
      frame = document.createElement("iframe");
      frame.src = url;
      frame.title = "{% translate 'Live chat'|escapejs %}";
      frame.setAttribute("data-switchboard-chat-frame", "");
      document.body.appendChild(frame);
      size();
      button.setAttribute("aria-expanded", "true");
      return;
    }
    var open = frame.style.display === "none";
    frame.style.display = open ? "" : "none";
    button.setAttribute("aria-expanded", open ? "true" : "false");
  }
  window.addEventListener("resize", size);
  window.addEventListener("message", function (event) {
    if (frame && event.source === frame.contentWindow && event.data === "switchboard-chat-close") { toggle(); }
  });
  button.addEventListener("click", toggle);
  if (document.body) { document.body.appendChild(button); } else { document.addEventListener("DOMContentLoaded", function () { document.body.appendChild(button); }); }
})();
{% endautoescape %}
