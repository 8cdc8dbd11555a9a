/* The sandboxed H5P player document's side of the bridge (an opaque origin, see h5p/player.py).
 *
 * It waits for the lesson page's "init" message (saved state, actor, activity IRI), starts
 * h5p-standalone with the content rendered in this document itself (embedType "div": this
 * document is the frame H5P would otherwise create, and a sandboxed document cannot script a
 * frame of its own, which gets another opaque origin), and reports to the page by postMessage
 * only: xAPI statements, state saves and its height. It never calls the LMS's endpoints: it has
 * no session and no CSRF token; the page has both and checks every message.
 *
 * h5p-standalone loads this file a second time, after H5P core (option customJs): then it only
 * routes H5P core's state saves (jQuery ajax to a placeholder URL) to the page.
 *
 * Package code in this document can read or change all of this: it is a convenience, not a
 * boundary. The boundary is the sandbox, and the page's checks of what arrives from it. */
(function () {
  'use strict';
  var CHANNEL = 'lms-h5p';
  // H5P core's "content user data" URL: never fetched, answered by the transport below.
  var STATE_URL = 'lms-bridge:state';
  var MAX_HEIGHT = 20000;

  function parseQuery(text) {
    var values = {};
    String(text || '').split('&').forEach(function (pair) {
      if (!pair) return;
      var at = pair.indexOf('=');
      var key = decodeURIComponent((at < 0 ? pair : pair.slice(0, at)).replace(/\+/g, ' '));
      values[key] = at < 0 ? '' : decodeURIComponent(pair.slice(at + 1).replace(/\+/g, ' '));
    });
    return values;
  }

  // Route H5P core's saves of the learner's state to the page instead of the network.
  function installStateTransport(jq, post) {
    if (!jq || !jq.ajaxTransport || jq.lmsStateBridge) return;
    jq.lmsStateBridge = true;
    jq.ajaxPrefilter(function (options) {
      if (String(options.url).indexOf(STATE_URL) === 0) return 'lmsstate';
    });
    jq.ajaxTransport('lmsstate', function (options) {
      return {
        send: function (headers, complete) {
          var query = parseQuery(String(options.url).split('?')[1]);
          if (String(options.type).toUpperCase() === 'POST') {
            var form = typeof options.data === 'string' ? parseQuery(options.data) : options.data || {};
            post({
              type: 'state',
              dataType: String(query.dataType || 'state'),
              subContentId: String(query.subContentId || '0'),
              data: String(form.data === undefined ? '' : form.data),
              preload: String(form.preload || '0'),
              invalidate: String(form.invalidate || '0'),
            });
          }
          // The page saves it; the state the player started from came with "init".
          complete(200, 'success', { text: JSON.stringify({ success: true, data: false }) });
        },
        abort: function () {},
      };
    });
  }

  // A sandboxed document has no storage: reading localStorage throws, and H5P core reads it
  // (offline queue, clipboard). Give it a storage kept in memory for this page view.
  function memoryStorage() {
    var items = new Map();
    return {
      get length() { return items.size; },
      key: function (index) { return Array.from(items.keys())[index] || null; },
      getItem: function (key) { return items.has(String(key)) ? items.get(String(key)) : null; },
      setItem: function (key, value) { items.set(String(key), String(value)); },
      removeItem: function (key) { items.delete(String(key)); },
      clear: function () { items.clear(); },
    };
  }
  ['localStorage', 'sessionStorage'].forEach(function (name) {
    try {
      void window[name];
    } catch (error) {
      Object.defineProperty(window, name, { value: memoryStorage(), configurable: true });
    }
  });

  if (window.lmsH5PBridge) {
    // Loaded again as customJs, now that H5P core (and its jQuery) is here.
    installStateTransport(window.H5P && window.H5P.jQuery, window.lmsH5PBridge.post);
    return;
  }

  var configNode = document.getElementById('h5p-player-config');
  if (!configNode) return;
  var config = JSON.parse(configNode.textContent);
  var started = false;

  var bridge = (window.lmsH5PBridge = {
    post: function (message) {
      message.channel = CHANNEL;
      window.parent.postMessage(message, '*');
    },
  });

  function reportHeight() {
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    bridge.post({ type: 'resize', height: Math.min(Math.max(height, 0), MAX_HEIGHT) });
  }

  function start(init) {
    var files = config.filesBase;
    var userData;
    if (typeof init.state === 'string') userData = [{ state: init.state }];
    else if (init.reset === true) userData = [{ state: 'RESET' }];
    var options = {
      id: config.contentId,
      embedType: 'div',
      h5pJsonPath: files,
      contentJsonPath: files + '/content',
      librariesPath: files + '/libraries',
      frameJs: config.frameJs,
      frameCss: config.frameCss,
      customJs: [config.bridgeJs],
      xAPIObjectIRI: String(init.activityIri || ''),
      user: init.actor || undefined,
      saveFreq: 30,
      contentUserData: userData,
      ajax: { contentUserDataUrl: STATE_URL + '?contentId=:contentId&dataType=:dataType&subContentId=:subContentId' },
      frame: false,
      copyright: false,
      export: false,
      embed: false,
      icon: false,
      fullScreen: true,
    };
    var container = document.getElementById('h5p-container');
    new Promise(function (resolve) {
      // The template loads the player before this file; a missing player is reported, not a hang.
      if (!window.H5PStandalone) throw new Error('h5p-standalone is not loaded');
      resolve(new window.H5PStandalone.H5P(container, options));
    })
      .then(function () {
        if (init.title) document.title = String(init.title);
        installStateTransport(window.H5P && window.H5P.jQuery, bridge.post);
        window.H5P.externalDispatcher.on('xAPI', function (event) {
          var statement = event && event.data && event.data.statement;
          if (!statement) return;
          bridge.post({ type: 'xapi', statement: JSON.parse(JSON.stringify(statement)) });
        });
        if ('ResizeObserver' in window) new ResizeObserver(reportHeight).observe(document.documentElement);
        reportHeight();
        bridge.post({ type: 'started' });
      })
      .catch(function (error) {
        bridge.post({ type: 'error', detail: String((error && error.stack) || error).slice(0, 500) });
      });
  }

  window.addEventListener('message', function (event) {
    if (event.source !== window.parent) return;
    var data = event.data;
    if (!data || data.channel !== CHANNEL || data.type !== 'init' || started) return;
    started = true;
    start(data);
  });
  bridge.post({ type: 'ready' });
})();
