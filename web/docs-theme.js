// Accessibility repairs for Swagger UI at /docs (its markup is the plugin's; see
// src/http/docs-ui.ts). Loaded after the plugin's initializer and before it draws; the
// repairs are reapplied whenever Swagger UI redraws.

(function () {
  var root = document.getElementById('swagger-ui');
  if (!root) return;

  function landmark(selector, role, name) {
    var el = root.querySelector(selector);
    if (!el || el.getAttribute('role') === role) return;
    el.setAttribute('role', role);
    if (name) el.setAttribute('aria-label', name);
  }

  function level(selector, value) {
    var headings = root.querySelectorAll(selector);
    for (var i = 0; i < headings.length; i += 1) {
      if (headings[i].getAttribute('aria-level') !== value) {
        headings[i].setAttribute('aria-level', value);
      }
    }
  }

  function repair() {
    // The operations are Swagger UI's <main>; the title block above them and the servers
    // list are outside any landmark (axe: region): a banner and a named region.
    landmark('.information-container', 'banner');
    landmark('.schemes-server-container', 'region', 'Servers');
    // The servers list has a visible "Servers" title that is not its label (axe: select-name).
    var servers = document.getElementById('servers');
    if (servers && !servers.hasAttribute('aria-label')) {
      servers.setAttribute('aria-label', 'Servers');
    }
    // The title is an h1 and the tag groups are h3, with nothing between (axe: heading-order):
    // the groups and the schemas section are the second level, an open operation's sections
    // (h4, h5) the third and fourth.
    level('.opblock-tag, section.models > h4', '2');
    level('.opblock-body h4', '3');
    level('.opblock-body h5', '4');
    // Long examples scroll inside their box: keyboard users must be able to reach and scroll
    // them too (axe: scrollable-region-focusable).
    var blocks = root.querySelectorAll('.highlight-code pre, pre.microlight');
    for (var j = 0; j < blocks.length; j += 1) {
      var b = blocks[j];
      var scrolls = b.scrollWidth > b.clientWidth || b.scrollHeight > b.clientHeight;
      if (scrolls && !b.hasAttribute('tabindex')) b.setAttribute('tabindex', '0');
    }
  }

  new MutationObserver(repair).observe(root, { childList: true, subtree: true });
})();
