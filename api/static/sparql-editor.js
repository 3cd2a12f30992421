// The SPARQL editor page: YASGUI on this server's endpoint, one tab per named query.
// The configuration comes from the page's JSON block, so the page needs no inline script.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("sparql-editor-config").textContent);
  var root = document.getElementById("yasgui");
  var yasgui = new Yasgui(root, {
    requestConfig: { endpoint: config.endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    // Nothing to remember between visits, and nothing to fetch: LOV's class and property
    // completions would call another origin, so only the offline completers are on.
    persistenceId: null,
    populateFromUrl: false,
    autoAddOnInit: false,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: config.endpoint }]; } },
    yasqe: { autocompleters: ["prefixes", "variables"], showQueryButton: true },
  });
  var first = null;
  config.tabs.forEach(function (tab) {
    var made = yasgui.addTab(first === null, {
      name: tab.name,
      yasqe: { value: tab.query },
      requestConfig: { endpoint: config.endpoint, method: "POST" },
    });
    if (first === null) first = made;
  });
  window.causalWebEditor = yasgui;
})();
