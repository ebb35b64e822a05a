/* Banners (ADMIN-05): a banner posted while the page is open appears at the top of it, and one
   cleared goes away, on every page of every signed-in agent it is meant for, without a reload. */
(function () {
  "use strict";
  var box = document.querySelector("[data-broadcasts]");
  var blank = document.querySelector("[data-broadcast-template]");
  if (!box || !blank || !window.switchboard) return;

  function fill(banner, event) {
    banner.dataset.broadcast = event.id;
    banner.querySelector("[data-broadcast-text]").textContent = event.text;
    banner.querySelector("[data-broadcast-contact-name]").textContent = event.contact_name;
    banner.querySelector("[data-broadcast-phone-text]").textContent = event.contact_phone;
    var phone = banner.querySelector("[data-broadcast-phone]");
    phone.href = "tel:" + event.contact_phone;
    phone.classList.toggle("d-none", !event.contact_phone);
    banner.querySelector("[data-broadcast-contact]").classList.toggle("d-none", !event.contact_name && !event.contact_phone);
    banner.querySelector("[data-broadcast-procedure]").textContent = event.procedure;
    banner.querySelector("[data-broadcast-procedure-box]").classList.toggle("d-none", !event.procedure);
  }

  function show(event) {
    if (box.querySelector('[data-broadcast="' + event.id + '"]')) return;
    var banner = blank.content.firstElementChild.cloneNode(true);
    fill(banner, event);
    box.insertBefore(banner, box.firstChild);
  }

  function hide(id) {
    var shown = box.querySelector('[data-broadcast="' + id + '"]');
    if (shown) shown.remove();
  }

  window.switchboard.live(box.dataset.broadcastSocket, function (event) {
    if (event.type === "broadcast.snapshot") {
      // On (re)connecting: what is on now; anything cleared while the page was offline goes.
      var active = event.banners.map(function (banner) { return String(banner.id); });
      box.querySelectorAll("[data-broadcast]").forEach(function (shown) {
        if (active.indexOf(shown.dataset.broadcast) < 0) shown.remove();
      });
      event.banners.slice().reverse().forEach(show);
      box.dataset.live = "1";
    } else if (event.type === "broadcast.changed") {
      if (event.active) show(event); else hide(event.id);
    }
  });
})();
