// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  // On a phone the header's menu starts folded (without this file it stays open: still usable).
  if (window.matchMedia && window.matchMedia("(max-width: 48rem)").matches) {
    document.querySelectorAll("details.header-menu").forEach(function (menu) { menu.removeAttribute("open"); });
  }
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el && el.classList && el.classList.contains("autosubmit") && el.form) {
      el.form.requestSubmit ? el.form.requestSubmit() : el.form.submit();
    }
  });
})();
