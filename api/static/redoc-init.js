// Starts ReDoc on /redoc. Kept out of the page so the page's CSP can forbid inline scripts.
(function () {
  "use strict";
  var root = document.getElementById("redoc");
  Redoc.init(root.getAttribute("data-openapi-url"), { hideDownloadButton: false }, root);
})();
