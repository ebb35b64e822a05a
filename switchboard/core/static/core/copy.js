// A "Copy" button: `data-copy` names the field whose value it copies (a web form snippet, a
// token or secret shown once); `data-copied` is what its `data-copy-label` says for two seconds.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    const button = event.target.closest("[data-copy]");
    if (!button) return;
    const source = document.getElementById(button.dataset.copy);
    const text = "value" in source ? source.value : source.textContent.trim();
    const done = function () {
      const label = button.querySelector("[data-copy-label]");
      if (!label) return;
      const before = label.textContent;
      label.textContent = button.dataset.copied;
      setTimeout(function () { label.textContent = before; }, 2000);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done);
    } else {
      window.getSelection().selectAllChildren(source);
      if (source.select) source.select();
      document.execCommand("copy");
      done();
    }
  });
})();
