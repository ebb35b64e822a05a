/* The queue report (PHONE-08) on every page of a signed-in agent: the dialog of the report due
   now opens (rendered by base.html after a reload, or fetched when the report is pushed over
   /ws/notices/) and cannot be closed until it is filed; filed in another tab, it closes here; a
   manager hears of a missed report in a notice. */
(function () {
  "use strict";
  var slot = document.querySelector("[data-queue-report-slot]");
  var box = document.querySelector("[data-notice-socket]");
  if (!slot || !window.bootstrap) return;
  var lang = document.documentElement.lang || undefined;

  function modalOf() { return slot.querySelector("#queue-report"); }

  function open() {
    var element = modalOf();
    if (!element) return;
    window.bootstrap.Modal.getOrCreateInstance(element).show();
  }

  function load() {
    fetch(slot.dataset.url, { headers: { "X-Requested-With": "fetch" }, credentials: "same-origin" })
      .then(function (response) { return response.status === 200 ? response.text() : ""; })
      .then(function (html) {
        var shown = modalOf();
        if (shown) {
          var instance = window.bootstrap.Modal.getInstance(shown);
          if (instance) instance.dispose();
          document.querySelectorAll(".modal-backdrop").forEach(function (node) { node.remove(); });
          document.body.classList.remove("modal-open");
          document.body.style.removeProperty("overflow");
          document.body.style.removeProperty("padding-right");
        }
        slot.innerHTML = html;
        open();
      });
  }

  function close() {
    var element = modalOf();
    if (!element) return;
    element.addEventListener("hidden.bs.modal", function () { slot.innerHTML = ""; load(); }, { once: true });
    window.bootstrap.Modal.getOrCreateInstance(element).hide();
  }

  slot.addEventListener("submit", function (event) {
    var form = event.target.closest("[data-queue-report-form]");
    if (!form) return;
    event.preventDefault();
    var button = form.querySelector("[type=submit]");
    if (button) button.disabled = true;
    var modal = modalOf();
    modal.dataset.filing = "true";  // this tab's own "filed" push must not close what the answer shows
    fetch(form.action, { method: "POST", body: new FormData(form), headers: { "X-Requested-With": "fetch" }, credentials: "same-origin" })
      .then(function (response) { return response.text().then(function (html) { return { ok: response.ok, html: html }; }); })
      .then(function (answer) {
        var template = document.createElement("template");
        template.innerHTML = answer.html.trim();
        if (answer.ok) {
          var filed = template.content.firstElementChild;
          if (filed.hasAttribute("data-close-now")) { close(); confirmFiled(filed.querySelector(".modal-title").textContent); return; }
          form.replaceWith(filed);
          modalOf().addEventListener("hidden.bs.modal", function () { slot.innerHTML = ""; load(); }, { once: true });
          return;
        }
        var again = template.content.querySelector("[data-queue-report-form]");
        if (!again) { window.location.reload(); return; }  // signed out meanwhile, or the like: the page says
        form.replaceWith(again);
        delete modal.dataset.filing;
        var invalid = again.querySelector(".is-invalid");
        if (invalid) invalid.focus();
      })
      .catch(function () { if (button) button.disabled = false; delete modal.dataset.filing; });
  });

  // Filed: a short confirmation where the notices appear, gone by itself.
  function confirmFiled(text) {
    if (!box) return;
    var toast = document.createElement("div");
    toast.className = "toast show border-success";
    toast.setAttribute("role", "status");
    var body = document.createElement("div");
    body.className = "toast-body";
    var icon = document.createElement("i");
    icon.className = "bi bi-check2-circle text-success me-1";
    icon.setAttribute("aria-hidden", "true");
    body.append(icon, text.trim());
    toast.appendChild(body);
    box.appendChild(toast);
    setTimeout(function () { toast.remove(); }, 5000);
  }

  function timeOf(iso) {
    var options = { hour: "2-digit", minute: "2-digit", hourCycle: "h23" }; // 14:05, as the pages write it
    if (box && box.dataset.timeZone) options.timeZone = box.dataset.timeZone;
    try { return new Date(iso).toLocaleTimeString(lang, options); } catch (e) { return new Date(iso).toLocaleTimeString(lang); }
  }

  function showMissed(event) {
    if (!box) return;
    var toast = document.createElement("div");
    toast.className = "toast show border-danger";
    toast.setAttribute("role", "alert");
    toast.dataset.queueMissed = event.report;
    var header = document.createElement("div");
    header.className = "toast-header";
    var icon = document.createElement("i");
    icon.className = "bi bi-clipboard-x text-danger me-2";
    icon.setAttribute("aria-hidden", "true");
    var title = document.createElement("strong");
    title.className = "me-auto";
    title.textContent = slot.dataset.missedTitle;
    var closeButton = document.createElement("button");
    closeButton.type = "button";
    closeButton.className = "btn-close";
    closeButton.setAttribute("aria-label", slot.dataset.closeLabel);
    closeButton.addEventListener("click", function () { toast.remove(); });
    header.append(icon, title, closeButton);
    var body = document.createElement("div");
    body.className = "toast-body";
    body.textContent = slot.dataset.missedText.replace("{agent}", event.agent).replace("{time}", timeOf(event.due)).replace("{group}", event.group_name);
    toast.append(header, body);
    box.appendChild(toast);
  }

  open();
  if (box && window.switchboard) {
    window.switchboard.live(box.dataset.noticeSocket, function (event) {
      if (event.type === "queue_report.due") {
        var shown = modalOf();
        if (!shown || !slot.querySelector("[data-queue-report-form]")) load();
      } else if (event.type === "queue_report.filed") {
        var element = modalOf();
        if (element && element.dataset.queueReport === String(event.report) && element.querySelector("[data-queue-report-form]") && !element.dataset.filing) close();
      } else if (event.type === "queue_report.missed") {
        showMissed(event);
      }
    });
  }
})();
