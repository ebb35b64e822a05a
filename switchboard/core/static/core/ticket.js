/* The ticket page: the reply editor (also the canned responses' page), the reply loop and its
   keys, who else is here. What htmx swaps in is set up again (htmx:load). */
(function () {
  "use strict";
  var live = window.switchboard.live;
  var whenSeen = window.switchboard.whenSeen;

  // Rich-text editor: a few formatting commands; the HTML goes into a hidden field (sanitised by the server).
  // Canned-response placeholders such as [Enter dates] are highlighted and block Send until replaced (MAIL-05).
  // In a reply, "::" and part of a name offers the group's canned responses (Enter puts one in),
  // Tab and Shift+Tab walk the blanks, and what is written is kept as a draft of this ticket for
  // this agent (in the browser) until it is sent.
  function initEditor(editor) {
    if (editor.dataset.ready) return;
    editor.dataset.ready = "1";
    var area = editor.querySelector("[data-editor-area]");
    var value = editor.querySelector("[data-editor-value]");
    var warning = editor.querySelector("[data-placeholder-warning]");
    var form = editor.closest("form");
    var sends = Array.prototype.slice.call(form.querySelectorAll("[data-send]"));
    var pattern = editor.dataset.placeholderPattern;
    var matcher = function () { return new RegExp(pattern, "gu"); };
    var draftKey = form.dataset.draftKey;

    function highlight() {
      var walker = document.createTreeWalker(area, NodeFilter.SHOW_TEXT);
      var nodes = [];
      while (walker.nextNode()) if (!walker.currentNode.parentElement.closest("mark.placeholder")) nodes.push(walker.currentNode);
      nodes.forEach(function (node) {
        var match, re = matcher(), text = node.nodeValue, last = 0, parts = [];
        while ((match = re.exec(text))) {
          parts.push(document.createTextNode(text.slice(last, match.index)));
          var mark = document.createElement("mark");
          mark.className = "placeholder";
          mark.textContent = match[0];
          parts.push(mark);
          last = match.index + match[0].length;
        }
        if (!parts.length) return;
        parts.push(document.createTextNode(text.slice(last)));
        parts.forEach(function (part) { node.parentNode.insertBefore(part, node); });
        node.remove();
      });
    }
    function placeholders() { return area.textContent.match(matcher()) || []; }
    function sync() {
      // A placeholder typed over is no longer one: drop its highlight (not the element, which
      // holds the caret; the server drops the tag).
      area.querySelectorAll("mark.placeholder").forEach(function (mark) {
        if (!new RegExp("^" + pattern + "$", "u").test(mark.textContent)) mark.classList.remove("placeholder");
      });
      value.value = (area.textContent.trim() || area.querySelector("img")) ? area.innerHTML : "";
      if (draftKey) {
        if (value.value) window.localStorage.setItem(draftKey, value.value);
        else window.localStorage.removeItem(draftKey);
      }
      if (!sends.length) return;  // editing a canned response: placeholders are the point
      var left = placeholders();
      warning.textContent = left.length ? warning.dataset.text + " " + left.join(", ") : "";
      warning.classList.toggle("d-none", !left.length);
      sends.forEach(function (send) { send.disabled = left.length > 0; });
    }
    function selectPlaceholder(mark) {
      var range = document.createRange();
      range.selectNodeContents(mark);
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
    }
    // Put a canned response where the caret is (or over ``range``), and select its first blank.
    function insertCanned(template, range) {
      area.focus();
      var selection = window.getSelection();
      if (range) {
        selection.removeAllRanges();
        selection.addRange(range);
      } else if (!selection.rangeCount || !area.contains(selection.anchorNode)) {
        var end = document.createRange();
        end.selectNodeContents(area);
        end.collapse(false);
        selection.removeAllRanges();
        selection.addRange(end);
      }
      // Put in by the DOM, not execCommand("insertHTML"): in the middle of a line that wraps
      // what it inserts in spans with style attributes, which the page's policy refuses.
      var here = selection.getRangeAt(0);
      here.deleteContents();
      here.insertNode(here.createContextualFragment(template.innerHTML));
      here.collapse(false);
      selection.removeAllRanges();
      selection.addRange(here);
      if (template.dataset.cannedId) {  // what it sets on Send, like a macro
        var used = document.createElement("input");
        used.type = "hidden";
        used.name = "canned";
        used.value = template.dataset.cannedId;
        form.appendChild(used);
      }
      highlight();
      sync();
      var first = area.querySelector("mark.placeholder");
      if (first) selectPlaceholder(first);
    }
    editor.querySelectorAll("[data-command]").forEach(function (button) {
      button.addEventListener("mousedown", function (event) { event.preventDefault(); });  // keep the selection
      button.addEventListener("click", function () {
        var argument = null;
        if (button.dataset.prompt) {
          argument = window.prompt(button.dataset.prompt, "https://");
          if (!argument) return;
        }
        area.focus();
        document.execCommand(button.dataset.command, false, argument);
        sync();
      });
    });

    // "::" and part of a name: the canned responses whose name holds it, the first chosen.
    var picker = form.querySelector("[data-canned-picker]");
    var templates = Array.prototype.slice.call(form.querySelectorAll("template[data-title]"));
    var offered = [];
    var chosen = 0;
    function typedName() {
      var selection = window.getSelection();
      if (!selection.rangeCount || !selection.isCollapsed) return null;
      var node = selection.anchorNode;
      if (!node || node.nodeType !== Node.TEXT_NODE || !area.contains(node)) return null;
      var match = /::([^\s:]*)$/u.exec(node.nodeValue.slice(0, selection.anchorOffset));
      if (!match) return null;
      var range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, selection.anchorOffset);
      return { range: range, name: match[1].toLocaleLowerCase() };
    }
    function showPicker() {
      var typed = picker && typedName();
      offered = typed ? templates.filter(function (template) {
        return template.dataset.title.toLocaleLowerCase().indexOf(typed.name) >= 0;
      }) : [];
      chosen = Math.min(chosen, Math.max(offered.length - 1, 0));
      if (!picker) return;
      picker.replaceChildren();
      offered.forEach(function (template, index) {
        var option = document.createElement("button");
        option.type = "button";
        option.className = "list-group-item list-group-item-action py-1" + (index === chosen ? " active" : "");
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", String(index === chosen));
        option.textContent = template.dataset.title;
        option.addEventListener("mousedown", function (event) { event.preventDefault(); });
        option.addEventListener("click", function () { chooseCanned(template); });
        picker.appendChild(option);
      });
      picker.classList.toggle("d-none", !offered.length);
    }
    function chooseCanned(template) {
      var typed = typedName();
      offered = [];
      picker.classList.add("d-none");
      insertCanned(template, typed && typed.range);
    }
    area.addEventListener("input", function () { sync(); showPicker(); });
    area.addEventListener("blur", function () { if (picker) picker.classList.add("d-none"); });
    area.addEventListener("click", function (event) {
      var mark = event.target.closest("mark.placeholder");
      if (mark) selectPlaceholder(mark);
    });
    area.addEventListener("keydown", function (event) {
      if (offered.length && !picker.classList.contains("d-none")) {
        if (event.key === "ArrowDown" || event.key === "ArrowUp") {
          chosen = (chosen + (event.key === "ArrowDown" ? 1 : offered.length - 1)) % offered.length;
          showPicker();
          event.preventDefault();
          return;
        }
        if (event.key === "Enter" && !event.ctrlKey && !event.metaKey) {
          event.preventDefault();
          chooseCanned(offered[chosen]);
          return;
        }
        if (event.key === "Escape") {
          picker.classList.add("d-none");
          event.preventDefault();
          return;
        }
      }
      // Tab / Shift+Tab go to the next / previous placeholder while there are any.
      var marks = Array.prototype.slice.call(area.querySelectorAll("mark.placeholder"));
      if (event.key !== "Tab" || !marks.length || event.ctrlKey || event.altKey) return;
      event.preventDefault();
      var selection = window.getSelection();
      var here = selection.rangeCount ? selection.getRangeAt(0) : null;
      var after = marks.filter(function (mark) { return !here || here.comparePoint(mark, 0) > 0; });
      var before = marks.filter(function (mark) { return !here || here.comparePoint(mark, mark.childNodes.length) < 0; });
      selectPlaceholder(event.shiftKey ? (before.pop() || marks[marks.length - 1]) : (after[0] || marks[0]));
    });
    // Where the caret was in the editor, for what is inserted from outside it (the solutions).
    var caret = null;
    document.addEventListener("selectionchange", function () {
      var selection = window.getSelection();
      if (selection.rangeCount && area.contains(selection.anchorNode)) caret = selection.getRangeAt(0).cloneRange();
    });
    var library = form.querySelector("[data-solutions]");
    if (library) initLibrary(library, templates, function (template) { insertCanned(template, caret && area.contains(caret.startContainer) ? caret : null); });
    var canned = form.querySelector("[data-canned]");
    if (canned) {
      canned.addEventListener("change", function () {
        var template = document.getElementById(canned.value);
        canned.value = "";
        if (template) insertCanned(template, null);
      });
    }
    form.addEventListener("submit", function (event) {
      sync();
      if (sends.length && sends[0].disabled) event.preventDefault();
    });
    if (draftKey && !area.textContent.trim()) {
      var draft = window.localStorage.getItem(draftKey);
      if (draft) {
        area.innerHTML = draft;
        var composer = form.closest(".collapse");
        if (composer) showComposer(composer);
      }
    }
    highlight();
    sync();
  }

  // The solutions library in the reply composer (AGENT-04): searched by title and text without
  // accents, every word; the ticket's category's first, then by title, most used or last used.
  // Enter or a click inserts the chosen one at the caret (its [blanks] then block Send).
  function fold(text) {
    return text.toLocaleLowerCase().replace(/ł/g, "l").normalize("NFKD").replace(/\p{M}/gu, "");
  }
  function initLibrary(library, templates, insert) {
    var search = library.querySelector("[data-solution-search]");
    var sort = library.querySelector("[data-solution-sort]");
    var list = library.querySelector("[data-solution-list]");
    var shown = [];
    var chosen = 0;
    function compare(a, b) {
      var first = (b.dataset.inCategory !== undefined) - (a.dataset.inCategory !== undefined);
      if (first) return first;
      if (sort.value === "uses") first = Number(b.dataset.uses) - Number(a.dataset.uses);
      if (sort.value === "recent") first = Number(b.dataset.used || 0) - Number(a.dataset.used || 0);
      return first || a.dataset.title.localeCompare(b.dataset.title);
    }
    function render() {
      var words = fold(search.value).split(/\s+/).filter(Boolean);
      shown = templates.filter(function (template) {
        return words.every(function (word) { return template.dataset.search.indexOf(word) >= 0; });
      }).sort(compare);
      chosen = Math.min(chosen, Math.max(shown.length - 1, 0));
      list.replaceChildren();
      shown.forEach(function (template, index) {
        var option = document.createElement("button");
        option.type = "button";
        option.className = "list-group-item list-group-item-action py-1" + (index === chosen ? " active" : "");
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", String(index === chosen));
        option.dataset.solution = template.dataset.cannedId;
        var title = document.createElement("span");
        title.className = "fw-semibold";
        title.textContent = template.dataset.title;
        option.appendChild(title);
        var about = [];
        if (template.dataset.category) about.push(template.dataset.inCategory !== undefined ? template.dataset.category + " · " + list.dataset.categoryLabel : template.dataset.category);
        if (Number(template.dataset.uses)) about.push(list.dataset.usesLabel + " " + template.dataset.uses + "×");
        if (about.length) {
          var meta = document.createElement("span");
          meta.className = "small ms-1 " + (index === chosen ? "" : "text-muted");
          meta.textContent = about.join(" · ");
          option.appendChild(meta);
        }
        var snippet = document.createElement("div");
        snippet.className = "small text-truncate " + (index === chosen ? "" : "text-muted");
        snippet.textContent = template.content.textContent.trim();
        option.appendChild(snippet);
        option.addEventListener("click", function () { choose(template); });
        list.appendChild(option);
      });
      if (!shown.length) {
        var none = document.createElement("div");
        none.className = "list-group-item small text-muted py-1";
        none.textContent = list.dataset.empty;
        list.appendChild(none);
      }
    }
    // Shown and hidden by its button; no animation (Bootstrap's collapse leaves a style
    // attribute behind, which htmx would copy into the next page against its policy).
    var toggle = library.closest("form").querySelector("[data-solutions-toggle]");
    function show(open) {
      library.classList.toggle("d-none", !open);
      toggle.setAttribute("aria-expanded", String(open));
      toggle.classList.toggle("active", open);
      if (open) search.focus();
    }
    toggle.addEventListener("click", function () { show(library.classList.contains("d-none")); });
    function choose(template) {
      search.value = "";
      show(false);
      insert(template);
    }
    search.addEventListener("input", function () { chosen = 0; render(); });
    sort.addEventListener("change", function () { chosen = 0; render(); });
    search.addEventListener("keydown", function (event) {
      if ((event.key === "ArrowDown" || event.key === "ArrowUp") && shown.length) {
        chosen = (chosen + (event.key === "ArrowDown" ? 1 : shown.length - 1)) % shown.length;
        render();
        event.preventDefault();
      } else if (event.key === "Enter" && !event.ctrlKey && !event.metaKey) {
        event.preventDefault();  // never the form's Send
        if (shown.length) choose(shown[chosen]);
      } else if (event.key === "Escape") {
        event.preventDefault();
        show(false);
        library.closest("form").querySelector("[data-editor-area]").focus();
      }
    });
    render();
  }

  // The reply form on the ticket page: Send goes by htmx and the page that follows (the next
  // ticket that needs a reply, or this one) is swapped in; Email view shows exactly the email the
  // contact will receive, rendered by the server.
  function initReplyForm(form) {
    if (form.dataset.ready) return;
    form.dataset.ready = "1";
    var toggle = form.querySelector("[data-email-view-toggle]");
    var view = form.querySelector("#email-view");
    var compose = form.querySelector("[data-compose]");
    toggle.addEventListener("click", function () {
      var showing = toggle.getAttribute("aria-pressed") === "true";
      toggle.setAttribute("aria-pressed", String(!showing));
      toggle.classList.toggle("active", !showing);
      compose.classList.toggle("d-none", !showing);
      view.classList.toggle("d-none", showing);
      if (showing) {
        form.querySelector("[data-editor-area]").focus();
      } else {
        view.focus();
        window.htmx.ajax("POST", form.dataset.previewUrl, { source: form, target: view, swap: "innerHTML" });
      }
    });
    // Files chosen for a Send that was refused for another reason (a [blank] left, an address)
    // are chosen again for the agent; refused files are not (the error beside them says so).
    var files = form.querySelector("[data-reply-files]");
    if (files && keptFiles && form.dataset.keepFiles !== undefined) files.files = keptFiles;
    keptFiles = null;
    form.addEventListener("submit", function (event) {
      if (event.defaultPrevented || !form.dataset.sendUrl) return;
      event.preventDefault();
      var then = (event.submitter && event.submitter.dataset.then) || "next";
      keptFiles = files && files.files.length ? files.files : null;
      swapPage("POST", form.dataset.sendUrl, { source: form, values: { then: then } });
    });
  }
  var keptFiles = null;

  // The page's main part, swapped in place by htmx (no full page load), its address pushed into
  // the browser's history; what is in it is set up again by initPage (htmx:load).
  function swapPage(verb, url, context) {
    var token = document.querySelector("input[name=csrfmiddlewaretoken]");
    var options = { target: "main", select: "main", swap: "outerHTML", headers: { "X-CSRFToken": token ? token.value : "" } };
    Object.keys(context || {}).forEach(function (key) { options[key] = context[key]; });
    return window.htmx.ajax(verb, url, options);
  }
  // Back and Forward load the page anew: a stored copy would run its scripts a second time.
  window.htmx.config.historyCacheSize = 0;
  window.htmx.config.refreshOnHistoryMiss = true;

  function showComposer(composer) {
    composer.classList.add("show");
    document.querySelectorAll('[data-bs-target="#' + composer.id + '"]').forEach(function (button) {
      button.classList.remove("collapsed");
      button.setAttribute("aria-expanded", "true");
    });
  }
  // Alt+R and Enter in the title: the caret goes into the reply.
  function writeReply() {
    var composer = document.getElementById("composer");
    if (!composer) return;
    showComposer(composer);
    var area = composer.querySelector("[data-editor-area]");
    area.focus();
    var end = document.createRange();
    end.selectNodeContents(area);
    end.collapse(false);
    window.getSelection().removeAllRanges();
    window.getSelection().addRange(end);
  }
  var phone = window.matchMedia("(max-width: 575.98px)");
  var ticketLive = null;

  // Ticket page: who else is here, and whether the ticket changed under us (CORE-13).
  function initTicketPage(ticket) {
    if (ticket.dataset.ready) return;
    ticket.dataset.ready = "1";
    if (ticketLive) ticketLive.stop();  // the ticket that was here before the swap
    // On a phone the conversation comes first; the ticket's details are folded away above it.
    if (phone.matches) ticket.querySelectorAll("[data-fold-on-phone]").forEach(function (details) { details.open = false; });
    var me = ticket.dataset.me;
    // A reply just sent leaves the drafts; Undo puts it back into its ticket's editor.
    if (ticket.dataset.sentTicket) {
      var sentDraft = "switchboard:draft:" + me + ":" + ticket.dataset.sentTicket;
      var sentCopy = "switchboard:sent:" + me + ":" + ticket.dataset.sentTicket;
      window.localStorage.setItem(sentCopy, window.localStorage.getItem(sentDraft) || "");
      window.localStorage.removeItem(sentDraft);
      var sent = ticket.querySelector("[data-sent]");
      setTimeout(function () {
        var undo = sent.querySelector("[data-undo]");
        if (undo) undo.remove();
      }, Number(sent.dataset.seconds) * 1000);
    }
    if (ticket.dataset.restoreDraft !== undefined) {
      var taken = window.localStorage.getItem("switchboard:sent:" + me + ":" + ticket.dataset.number);
      if (taken) window.localStorage.setItem("switchboard:draft:" + me + ":" + ticket.dataset.number, taken);
    }
    ticket.querySelectorAll("[data-editor]").forEach(initEditor);
    // The Form tab (CC-04): once the agent has typed in it, nothing reloads the page under them.
    ticket.querySelectorAll("form[data-form-values]").forEach(function (form) {
      form.addEventListener("input", function () { form.dataset.dirty = ""; });
    });
    ticket.querySelectorAll("form[data-reply]").forEach(initReplyForm);
    ticket.querySelectorAll("form[data-undo]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        swapPage("POST", form.action, { source: form });
      });
    });
    var next = ticket.querySelector("[data-next]");
    if (next) next.addEventListener("click", function () { openNext(ticket); });
    var release = ticket.querySelector("[data-release]");
    if (release) release.addEventListener("click", function () { swapPage("POST", ticket.dataset.releaseUrl); });

    // The title: Enter saves it in place (nothing else on the page changes), then the reply.
    var title = ticket.querySelector("[data-title]");
    if (title) {
      title.addEventListener("keydown", function (event) {
        if (event.key === "Escape") { title.value = title.defaultValue; title.blur(); return; }
        if (event.key !== "Enter" || event.isComposing) return;
        event.preventDefault();
        if (!title.value.trim() || title.value === title.defaultValue) { writeReply(); return; }
        var body = new FormData();
        body.append("title", title.value);
        body.append("version", ticket.dataset.version);
        var token = document.querySelector("input[name=csrfmiddlewaretoken]");
        fetch(ticket.dataset.retitleUrl, { method: "POST", body: body, headers: { "X-CSRFToken": token.value }, credentials: "same-origin" })
          .then(function (response) { return response.json(); })
          .then(function (saved) {
            if (saved.error) { ticket.querySelector("[data-changed]").classList.remove("d-none"); return; }
            title.value = title.defaultValue = saved.title;
            ticket.dataset.version = saved.version;
            var version = document.querySelector("#ticket-header input[name=version]");
            if (version) version.value = saved.version;
            document.title = "#" + ticket.dataset.number + " " + saved.title;
            title.dataset.saved = saved.version;
          });
        writeReply();
      });
      if (ticket.dataset.focusTitle !== undefined) {
        setTimeout(function () { title.focus(); title.select(); }, 0);
      }
    }

    // A person opened the ticket (CORE-14, ROUTE-03): said with a POST once the page is in
    // sight, never by the GET, so that link previews, prefetching and background tabs change
    // nothing. If that made us the owner, the page is shown anew (in place), unless the agent
    // has already begun to write: then the page says it changed, and their words stay where
    // they are. A page brought by "n" or Send has been opened by that request already.
    if (ticket.dataset.opened === undefined) {
      whenSeen(function () {
        var token = document.querySelector("input[name=csrfmiddlewaretoken]");
        fetch(ticket.dataset.openedUrl, { method: "POST", headers: { "X-CSRFToken": token.value }, credentials: "same-origin" })
          .then(function (response) { return response.ok ? response.json() : { changed: false }; })
          .then(function (opened) {
            var writing = document.querySelector("#composer.show, #composer.collapsing, form[data-form-values][data-dirty]");
            if (opened.changed && !writing) { swapPage("GET", window.location.pathname + window.location.search); return; }
            if (opened.changed) ticket.querySelector("[data-changed]").classList.remove("d-none");
            ticket.dataset.opened = "";
          });
      });
    }
    var viewers = {};
    var leaving = {};
    var banner = ticket.querySelector("[data-viewers]");
    function showViewers() {
      var names = Object.keys(viewers).map(function (id) { return viewers[id]; });
      banner.textContent = names.length ? names.join(", ") + " " + (names.length > 1 ? ticket.dataset.viewingMany : ticket.dataset.viewingOne) : "";
      banner.classList.toggle("d-none", !names.length);
    }
    ticketLive = live(ticket.dataset.ticketSocket, function (event) {
      if (event.type === "ticket.viewer") {
        if (String(event.user) === me) return;
        // Someone who leaves may only be reloading: wait a moment before the notice changes,
        // so that it does not blink and shift the page under the reader's pointer.
        clearTimeout(leaving[event.user]);
        if (event.state === "viewing") {
          viewers[event.user] = event.name;
          showViewers();
        } else {
          leaving[event.user] = setTimeout(function () { delete viewers[event.user]; showViewers(); }, 3000);
        }
      } else if (event.type === "ticket.changed" && event.version > Number(ticket.dataset.version) && String(event.actor) !== me) {
        ticket.querySelector("[data-changed]").classList.remove("d-none");
      }
    });
  }
  // A to-do about this ticket (AGENT-02): its form opened, the text (the title) chosen to be typed over.
  function newTodo(ticket) {
    var form = ticket.querySelector("[data-todo-form]");
    window.bootstrap.Collapse.getOrCreateInstance(form, { toggle: false }).show();
    var text = form.querySelector("[data-todo-text]");
    text.focus();
    text.select();
  }
  function openNext(ticket) {
    swapPage("POST", ticket.dataset.nextUrl, { values: { after: ticket.dataset.number } });
  }

  // The ticket page's keys (the cheat sheet, "?", lists them all). Letters are read by where they
  // are on the keyboard, so that they work the same in any layout; Alt with a letter is never
  // AltGr (Ctrl+Alt), which writes Polish letters.
  document.addEventListener("keydown", function (event) {
    var ticket = document.querySelector("[data-ticket-socket]");
    if (!ticket) return;
    var composer = document.getElementById("composer");
    var reply = composer && composer.classList.contains("show") ? composer.querySelector("form[data-reply]") : null;
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && !event.altKey && reply) {
      event.preventDefault();
      var send = reply.querySelector('[data-send][data-then="' + (event.shiftKey ? "stay" : "next") + '"]');
      if (!send.disabled) reply.requestSubmit(send);  // refused while a placeholder is left
      return;
    }
    if (event.code === "KeyE" && event.ctrlKey && event.shiftKey && !event.altKey && reply) {
      event.preventDefault();
      reply.querySelector("[data-email-view-toggle]").click();
      return;
    }
    if (event.altKey && !event.ctrlKey && !event.metaKey && (event.code === "KeyR" || event.code === "KeyZ")) {
      event.preventDefault();
      if (event.code === "KeyR") { writeReply(); return; }
      var undo = ticket.querySelector("form[data-undo]");
      if (undo) undo.requestSubmit();
      return;
    }
    var typing = /^(INPUT|TEXTAREA|SELECT)$/.test(event.target.tagName) || event.target.isContentEditable;
    if (typing || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "n") { event.preventDefault(); openNext(ticket); }
    else if (event.key === "t" && ticket.querySelector("[data-todo-form]")) { event.preventDefault(); newTodo(ticket); }
    else if (event.key === "u" && ticket.querySelector("[data-release]")) { event.preventDefault(); swapPage("POST", ticket.dataset.releaseUrl); }
    else if (event.key === "?") { event.preventDefault(); window.bootstrap.Modal.getOrCreateInstance(document.getElementById("keys")).show(); }
  });

  // The activities' filter and sort (CC-07) swap the activities in place: the key pressed keeps
  // the focus, on the same chip or sort button of the new activities.
  var focusKey = null;
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.target.id !== "activities") return;
    var focused = document.activeElement;
    focusKey = focused && focused.closest("#activities") ? focused.dataset.focusKey || null : null;
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.detail.target.id !== "activities" || !focusKey) return;
    var again = document.querySelector('#activities [data-focus-key="' + focusKey + '"]');
    if (again) again.focus();
    focusKey = null;
  });

  // What a page (or a part htmx brings in) holds is set up once.
  function initPage(root) {
    var ticket = root.matches && root.matches("[data-ticket-socket]") ? root : root.querySelector("[data-ticket-socket]");
    if (ticket) initTicketPage(ticket);
    root.querySelectorAll("[data-editor]").forEach(initEditor);
  }
  initPage(document);
  document.addEventListener("htmx:load", function (event) { initPage(event.target); });
})();
