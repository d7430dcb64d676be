// Small behaviours that pages declare with data- attributes, instead of inline handlers (the
// Content Security Policy allows neither inline scripts nor on*= attributes). Listeners sit on the
// document, so content swapped in by htmx behaves the same.
(function () {
  "use strict";

  // <form data-confirm="Question?">: submits only if the user confirms.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  // <select data-autosubmit> or <input data-autosubmit>: a change submits its form (filters).
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field instanceof Element && field.hasAttribute("data-autosubmit") && field.form) {
      if (field.form.requestSubmit) {
        field.form.requestSubmit();
      } else {
        field.form.submit();
      }
    }
  });

  document.addEventListener("click", function (event) {
    if (!(event.target instanceof Element)) {
      return;
    }
    // <input data-select-on-click>: a click selects the whole value (links to copy).
    var input = event.target.closest("[data-select-on-click]");
    if (input) {
      input.select();
    }
    // <button data-copy="id-of-input" [data-copied-text="Copied"]>: copies that input's value.
    var button = event.target.closest("[data-copy]");
    if (button) {
      var source = document.getElementById(button.dataset.copy);
      if (!source || !navigator.clipboard) {
        return;
      }
      navigator.clipboard.writeText(source.value).then(function () {
        var icon = button.querySelector(".bi");
        if (icon) {
          icon.classList.replace("bi-clipboard", "bi-check2");
        }
        if (button.dataset.copiedText && button.lastChild && button.lastChild.nodeType === Node.TEXT_NODE) {
          button.lastChild.textContent = button.dataset.copiedText;
        }
      });
    }
    // <a data-reload-with="field-id" data-param="name">: reloads the page with ?name=<that field's value>.
    var link = event.target.closest("[data-reload-with]");
    if (link) {
      event.preventDefault();
      var field = document.getElementById(link.dataset.reloadWith);
      if (field) {
        window.location.search = "?" + encodeURIComponent(link.dataset.param) + "=" + encodeURIComponent(field.value);
      }
    }
  });
})();
