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

  window.switchboard.live(box.dataset.broadcastSocket, function (event) {
    if (event.type !== "broadcast.changed") return;
    var shown = box.querySelector('[data-broadcast="' + event.id + '"]');
    if (!event.active) {
      if (shown) shown.remove();
      return;
    }
    if (shown) return;
    var banner = blank.content.firstElementChild.cloneNode(true);
    fill(banner, event);
    box.insertBefore(banner, box.firstChild);
  });
})();
