/* Callbacks (CC-03, CC-06): the live notice when a callback comes due (on every page of a
   signed-in agent), the callback form's calendar, and the dialling that "Next call" asks for. */
(function () {
  var box = document.querySelector("[data-notice-socket]");
  var lang = document.documentElement.lang || undefined;

  function timeOf(iso) {
    var options = { hour: "2-digit", minute: "2-digit", hourCycle: "h23" }; // 14:05, as the pages write it
    if (box && box.dataset.timeZone) options.timeZone = box.dataset.timeZone;
    try { return new Date(iso).toLocaleTimeString(lang, options); } catch (e) { return new Date(iso).toLocaleTimeString(lang); }
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  // A callback has come due: a toast with its ticket, contact and time, until closed.
  function showDue(event) {
    var toast = el("div", "toast show border-primary");
    toast.setAttribute("role", "status");
    toast.dataset.callbackNotice = event.number;
    var header = el("div", "toast-header");
    var icon = el("i", "bi bi-telephone-forward text-primary me-2");
    icon.setAttribute("aria-hidden", "true");
    header.appendChild(icon);
    header.appendChild(el("strong", "me-auto", event.private ? box.dataset.privateDue : box.dataset.publicDue));
    header.appendChild(el("small", "text-muted", timeOf(event.due)));
    var close = el("button", "btn-close");
    close.type = "button";
    close.setAttribute("aria-label", box.dataset.closeLabel);
    close.addEventListener("click", function () { toast.remove(); });
    header.appendChild(close);
    var body = el("div", "toast-body");
    var link = el("a", "fw-semibold", "#" + event.number + " " + event.title);
    link.href = box.dataset.ticketUrl.replace(/0\/$/, event.number + "/");
    body.appendChild(link);
    if (event.contact) body.appendChild(el("div", "small text-muted", event.contact));
    toast.appendChild(header);
    toast.appendChild(body);
    box.appendChild(toast);
  }

  if (box && window.switchboard) {
    window.switchboard.live(box.dataset.noticeSocket, function (event) {
      if (event.type === "callback.due") showDue(event);
    });
  }

  // The callback form's calendar: the browser's own picker, written back into the time box in
  // the agent's format (core/widgets.py), where it can be corrected by hand.
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-calendar]");
    if (!button) return;
    var picker = button.parentElement.querySelector("[data-calendar-picker]");
    var now = new Date();
    picker.min = now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate()) + "T" + pad(now.getHours()) + ":" + pad(now.getMinutes());
    try { picker.showPicker(); } catch (e) { picker.focus(); }
  });
  document.addEventListener("change", function (event) {
    if (!event.target.matches || !event.target.matches("[data-calendar-picker]")) return;
    var parts = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(event.target.value);
    if (!parts) return;
    var text = event.target.dataset.format.replace("%Y", parts[1]).replace("%y", parts[1].slice(2))
      .replace("%m", parts[2]).replace("%d", parts[3]).replace("%H", parts[4]).replace("%M", parts[5]);
    var field = event.target.parentElement.querySelector("[data-callback-time]");
    field.value = text;
    field.focus();
  });

  // "Next call" opened this ticket with ?dial=1: call the contact once (click-to-call), when the
  // page is in sight; a reload does not call again.
  var dial = document.querySelector("form[data-dial-now]");
  if (dial && window.switchboard) {
    window.switchboard.whenSeen(function () {
      window.history.replaceState(null, "", window.location.pathname);
      dial.submit();
    });
  }
})();
