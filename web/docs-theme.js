// Accessibility repairs for Swagger UI at /docs (its markup is the plugin's; see
// src/http/docs-ui.ts). Loaded after the plugin's initializer and before it draws; the
// repairs are reapplied whenever Swagger UI redraws.

(function () {
  var root = document.getElementById('swagger-ui');
  if (!root) return;
  function label(selector, role, name) {
    var el = document.querySelector(selector);
    if (!el || el.getAttribute('role') === role) return;
    el.setAttribute('role', role);
    if (name) el.setAttribute('aria-label', name);
  }

  function repair() {
    // The operations are Swagger UI's <main>; the title block above them and the servers
    // list are outside any landmark (axe: region): a banner and a named region.
    label('.information-container', 'banner');
    label('.schemes-server-container', 'region', 'Servers');
    // The servers list has a visible "Servers" title that is not its label (axe: select-name).
    var servers = document.getElementById('servers');
    if (servers && !servers.hasAttribute('aria-label'))
      servers.setAttribute('aria-label', 'Servers');
    // The title is an h1 and the tag groups are h3, with nothing between (axe: heading-order):
    // the groups, and the schemas section next to them, are the page's second level.
    var headings = document.querySelectorAll('.opblock-tag, section.models > h4');
    for (var i = 0; i < headings.length; i += 1) {
      if (headings[i].getAttribute('aria-level') !== '2')
        headings[i].setAttribute('aria-level', '2');
    }
  }

  new MutationObserver(repair).observe(root, { childList: true, subtree: true });
})();
