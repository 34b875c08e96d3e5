// The task page's upload form: say at once, beside the field, that no file is chosen or that the
// file is over the limit, instead of sending megabytes the server will refuse (it checks anyway;
// the form works without this script).
(function () {
  "use strict";
  const form = document.querySelector("form.attachment-upload");
  if (!form) {
    return;
  }
  const input = form.querySelector("input[type=file]");
  const error = form.querySelector(".field-error");
  const limit = Number(form.dataset.maxBytes);
  function refuse(message) {
    error.textContent = message;
    error.hidden = false;
    input.setAttribute("aria-invalid", "true");
    input.focus();
  }
  input.addEventListener("change", function () {
    error.hidden = true;
    input.removeAttribute("aria-invalid");
  });
  form.addEventListener("submit", function (event) {
    const file = input.files && input.files[0];
    if (!file) {
      event.preventDefault();
      refuse(form.dataset.noFile);
    } else if (limit && file.size > limit) {
      event.preventDefault();
      refuse(form.dataset.tooLarge);
    }
  });
})();
