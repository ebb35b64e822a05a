// A group's web form in a frame on another website: tell the page around it how tall the form
// is, so that embed.js makes the frame that tall (no scroll bar inside the frame).
(function () {
  "use strict";
  if (window.parent === window) return;
  let last = 0;
  function tell() {
    const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    window.parent.postMessage({ type: "switchboard-form", height: height }, "*");
  }
  window.addEventListener("load", tell);
  document.addEventListener("DOMContentLoaded", function () {
    tell();
    if ("ResizeObserver" in window) new ResizeObserver(tell).observe(document.body);
    const form = document.querySelector("[data-web-form]");
    if (form) form.addEventListener("submit", function () {
      const send = form.querySelector("[data-send]");
      if (send) send.disabled = true;  // one click, one message
    });
  });
})();
