// Replication scheduler dashboard: live progress. A page whose body says data-live="true" (a running execution is on it)
// refetches itself every second and swaps its <main> in place, until the page says it is no longer live.
(function () {
  'use strict';
  var intervalMs = 1000;

  function refresh() {
    if (document.body.getAttribute('data-live') !== 'true') {
      return;
    }

    fetch(window.location.href, { credentials: 'same-origin', headers: { 'Accept': 'text/html' } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (html) {
          var next = new DOMParser().parseFromString(html, 'text/html');
          var main = next.getElementById('main');
          if (main) {
            document.getElementById('main').replaceWith(main);
          }

          document.body.setAttribute('data-live', next.body.getAttribute('data-live') || 'false');
        }
      })
      .catch(function () { /* the next tick tries again */ })
      .then(function () { window.setTimeout(refresh, intervalMs); });
  }

  window.setTimeout(refresh, intervalMs);
})();
