// Starts Swagger UI on /docs. Kept out of the page so the page's CSP can forbid inline scripts.
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.getAttribute("data-openapi-url"),
    dom_id: "#swagger-ui",
    deepLinking: true,
    layout: "BaseLayout",
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
    // the default validator badge is an image from an outside service: no outside requests
    validatorUrl: null,
    showExtensions: true,
  });
})();
