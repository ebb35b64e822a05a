// The group settings' "Put the form on your website": copy a snippet with one click.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    const button = event.target.closest("[data-copy]");
    if (!button) return;
    const source = document.getElementById(button.dataset.copy);
    const done = function () {
      const label = button.querySelector("[data-copy-label]");
      if (!label) return;
      const before = label.textContent;
      label.textContent = button.dataset.copied;
      setTimeout(function () { label.textContent = before; }, 2000);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(source.value).then(done);
    } else {
      source.select();
      document.execCommand("copy");
      done();
    }
  });
})();
