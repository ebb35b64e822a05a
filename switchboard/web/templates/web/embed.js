{% autoescape off %}// Shows the form "{{ title|escapejs }}" here, in a frame as tall as the form (Switchboard).
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) return;
  var origin = new URL(script.src, document.baseURI).origin;
  var frame = document.createElement("iframe");
  frame.src = origin + "{{ path|escapejs }}?embed=1";
  frame.title = "{{ title|escapejs }}";
  frame.setAttribute("data-switchboard-form", "");
  frame.style.width = "100%";
  frame.style.border = "0";
  frame.style.height = "640px";
  script.parentNode.insertBefore(frame, script.nextSibling);
  window.addEventListener("message", function (event) {
    if (event.origin !== origin || event.source !== frame.contentWindow) return;
    var data = event.data;
    if (data && data.type === "switchboard-form" && typeof data.height === "number" && data.height > 0) {
      frame.style.height = Math.min(Math.ceil(data.height), 10000) + "px";
    }
  });
})();
{% endautoescape %}
