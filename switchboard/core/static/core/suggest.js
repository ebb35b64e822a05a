/* Search boxes that suggest as one types (CORE-10, CC-01, SELF-02's articles below): the navbar's global search
   ([data-global-search]), the contacts list's ([data-suggest]) and the ticket page's contact
   picker ([data-suggest][data-suggest-pick]). htmx brings the suggestions into the box's
   [data-search-suggestions] list; the arrow keys move through them and Enter takes one; Escape
   closes. Taking one opens it, or in a picker chooses it: its data-value goes into the form's
   [data-suggest-value] field and the [data-suggest-submit] button (enabled, focused) confirms.
   Enter with none chosen submits the form (a search's results page). In the reply composer's To
   and Cc ([data-suggest][data-suggest-insert], AGENT-03) the contact book's addresses are
   suggested for what is being typed (in a list, "list": the text after the last comma), and
   taking one (Enter: the first, if none is chosen) puts its address there. "/" focuses the global box
   (the lists' key handler, by its data-search-shortcut). On phones an icon opens that box. */
(function () {
  "use strict";
  // Pages may load this script more than once (the knowledge base's include brings it to forms
  // that have no base page): it starts once.
  if (window.switchboardSuggest) return;
  window.switchboardSuggest = true;

  function combobox(form) {
    if (form.dataset.suggestReady) return;
    form.dataset.suggestReady = "1";
    var box = form.querySelector("[data-suggest-input], [data-search-shortcut]");
    var list = form.querySelector("[data-search-suggestions]");
    var picker = form.hasAttribute("data-suggest-pick");
    var insert = form.hasAttribute("data-suggest-insert");
    var several = form.dataset.suggestInsert === "list";
    var toggle = form.matches("[data-global-search]") ? document.querySelector("[data-search-toggle]") : null;
    var active = -1;

    function options() { return Array.prototype.slice.call(list.querySelectorAll("[data-search-result]")); }
    function highlight(index) {  // -1: none
      var all = options();
      active = index < all.length ? index : -1;
      all.forEach(function (option, i) {
        option.classList.toggle("active", i === active);
        option.setAttribute("aria-selected", String(i === active));
      });
      if (active >= 0) {
        box.setAttribute("aria-activedescendant", all[active].id);
        all[active].scrollIntoView({ block: "nearest" });
      } else {
        box.removeAttribute("aria-activedescendant");
      }
    }
    function show(open) {
      list.hidden = !open;
      box.setAttribute("aria-expanded", String(open));
      if (!open) highlight(-1);
    }
    function close() {
      show(false);
      if (toggle && window.getComputedStyle(toggle).display !== "none") {
        form.classList.remove("search-open");
        toggle.setAttribute("aria-expanded", "false");
        toggle.focus();
      }
    }
    function pick(option, value, label) {  // a picker's choice, or none (value "")
      form.querySelector("[data-suggest-value]").value = value;
      var submit = form.querySelector("[data-suggest-submit]");
      submit.disabled = !value;
      var chosen = form.querySelector("[data-suggest-chosen]");
      if (chosen) chosen.textContent = label;
      if (option) {
        box.value = label;
        show(false);
        submit.focus();
      }
    }
    function typed() {  // what is being typed: in a list of addresses, after the last comma
      return several ? box.value.split(",").pop().trim() : box.value.trim();
    }
    function put(value) {  // an insert box's choice, in place of what was being typed
      if (several) {
        var before = box.value.split(",").slice(0, -1).map(function (part) { return part.trim(); });
        box.value = before.filter(Boolean).concat([value]).join(", ") + ", ";
      } else {
        box.value = value;
      }
      show(false);
      list.innerHTML = "";
      box.focus();
      box.dispatchEvent(new Event("change", { bubbles: true }));
    }
    function take(option) {
      if (picker) pick(option, option.dataset.value, option.dataset.label);
      else if (insert) put(option.dataset.value);
      else window.location = option.href;
    }

    form._suggestClose = function () { show(false); };
    list.addEventListener("htmx:afterSwap", function () {
      active = -1;
      show(typed() !== "" && list.children.length > 0 && document.activeElement === box);
    });
    box.addEventListener("input", function () {
      if (!typed()) show(false);
      if (picker) pick(null, "", "");
    });
    box.addEventListener("focus", function () { if (typed() && list.children.length) show(true); });
    if (insert) {
      box.addEventListener("htmx:configRequest", function (event) { event.detail.parameters.q = typed(); });
    }
    box.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (list.hidden) { if (list.children.length) show(true); else return; }
        var count = options().length;
        if (event.key === "ArrowDown") highlight(active + 1 < count ? active + 1 : 0);
        else highlight(active > 0 ? active - 1 : count - 1);
        event.preventDefault();
      } else if (event.key === "Enter" && active >= 0 && !list.hidden) {
        event.preventDefault();
        take(options()[active]);
      } else if (event.key === "Enter" && insert && !list.hidden && options().length) {
        event.preventDefault();  // an address offered, not the reply sent: the first one
        take(options()[0]);
      } else if (event.key === "Enter" && picker) {
        event.preventDefault();  // a picker sends nothing until a contact is chosen
      } else if (event.key === "Escape") {
        event.preventDefault();
        if (!list.hidden) show(false); else { box.blur(); close(); }
      }
    });
    if (picker || insert) {
      list.addEventListener("click", function (event) {
        var option = event.target.closest("[data-search-result]");
        if (option) { event.preventDefault(); take(option); }
      });
    }
    if (toggle) {
      toggle.addEventListener("click", function () {
        var open = !form.classList.contains("search-open");
        form.classList.toggle("search-open", open);
        toggle.setAttribute("aria-expanded", String(open));
        if (open) box.focus(); else show(false);
      });
    }
  }

  /* Articles of the knowledge base that may answer what is typed into any field (SELF-02):
     knowledge/_suggestions.html puts a [data-kb-suggest="<field id>"] panel under the field;
     a moment after the typing stops, the panel asks its data-url for the articles (HTML made by
     the server, escaped there) and shows them, or hides when none match. Answers that come
     back late, for text typed since, are dropped. No htmx needed: the web form embedded in
     other sites has none. */
  function articleSuggestions(panel) {
    if (panel.dataset.suggestReady) return;
    var field = document.getElementById(panel.dataset.kbSuggest);
    if (!field) return;
    panel.dataset.suggestReady = "1";
    var timer = null;
    var asked = 0;
    var shownFor = null;
    function ask() {
      var text = field.value.trim().slice(0, 2000);
      if (text === shownFor) return;
      var number = ++asked;
      if (!text) { panel.hidden = true; panel.innerHTML = ""; shownFor = text; return; }
      var url = panel.dataset.url + (panel.dataset.url.indexOf("?") < 0 ? "?" : "&") + "q=" + encodeURIComponent(text);
      fetch(url, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
        .then(function (response) { return response.ok ? response.text() : ""; })
        .then(function (html) {
          if (number !== asked) return;
          shownFor = text;
          panel.innerHTML = html;
          panel.hidden = !html.trim();
        })
        .catch(function () {});
    }
    field.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, 300);
    });
    // Keys: from a one-line field the down arrow goes to the articles (in a textarea it moves the
    // caret); the arrows move between them; Escape closes them and returns to the field.
    function links() { return Array.prototype.slice.call(panel.querySelectorAll("[data-kb-suggestion]")); }
    field.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" && field.tagName === "INPUT" && !panel.hidden && links().length) {
        event.preventDefault();
        links()[0].focus();
      } else if (event.key === "Escape" && !panel.hidden) {
        panel.hidden = true;
      }
    });
    panel.addEventListener("keydown", function (event) {
      var all = links();
      var index = all.indexOf(document.activeElement);
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        var next = index + (event.key === "ArrowDown" ? 1 : -1);
        if (next < 0) field.focus(); else all[Math.min(next, all.length - 1)].focus();
      } else if (event.key === "Escape") {
        panel.hidden = true;
        field.focus();
      }
    });
    if (field.value.trim()) ask();
  }

  function init(root) {
    if (root.matches && root.matches("[data-global-search], [data-suggest]")) combobox(root);
    root.querySelectorAll("[data-global-search], [data-suggest]").forEach(combobox);
    if (root.matches && root.matches("[data-kb-suggest]")) articleSuggestions(root);
    root.querySelectorAll("[data-kb-suggest]").forEach(articleSuggestions);
  }
  init(document);
  document.addEventListener("htmx:load", function (event) { init(event.target); });
  // A click elsewhere closes every box's suggestions (the phone's search icon keeps the global one).
  document.addEventListener("click", function (event) {
    document.querySelectorAll("[data-suggest-ready]").forEach(function (form) {
      var toggle = form.matches("[data-global-search]") ? document.querySelector("[data-search-toggle]") : null;
      if (!form.contains(event.target) && (!toggle || !toggle.contains(event.target))) form._suggestClose();
    });
  });

  // The contacts list: "select all" checks every contact of the page (for "create tickets", CC-06).
  document.addEventListener("change", function (event) {
    if (!event.target.matches("[data-select-all-contacts]")) return;
    document.querySelectorAll('input[type=checkbox][name=contact][form="create-tickets"]').forEach(function (box) {
      box.checked = event.target.checked;
    });
  });

  // "Create a new contact": a person's name fields, or a company's.
  function showKind(form) {
    var kind = form.querySelector("[data-contact-kind] input:checked");
    if (!kind) return;
    form.querySelectorAll("[data-kind-field]").forEach(function (field) {
      field.hidden = field.dataset.kindField !== kind.value;
    });
  }
  document.addEventListener("change", function (event) {
    var form = event.target.closest("[data-new-contact]");
    if (form && event.target.closest("[data-contact-kind]")) showKind(form);
  });
  function initKinds(root) { root.querySelectorAll("[data-new-contact]").forEach(showKind); }
  initKinds(document);
  document.addEventListener("htmx:load", function (event) { initKinds(event.target); });
})();
