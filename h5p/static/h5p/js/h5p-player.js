// H5P players in a lesson: each starts only when it scrolls into view (or on its button), resumes
// the learner's saved state, and sends the player's xAPI statements to the server with the CSRF token.
// The h5p-standalone bundle (vendored, see h5p/vendor/refresh.sh) is loaded once, on first use.

const CONTENT_ID_EXTENSION = 'http://h5p.org/x-api/h5p-local-content-id';
const nodes = Array.from(document.querySelectorAll('[data-h5p-player]:not([data-h5p-bound])'));
const players = new Map(); // H5P content id (the item id) -> { node, xapiUrl, verbs }
const host = (window.lmsH5P = window.lmsH5P || { csrfToken: '' });
let bundle = null;
let queue = Promise.resolve(); // h5p-standalone players must be created one after another
let listening = false;

function loadScript(src) {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = src;
    script.onload = resolve;
    script.onerror = () => reject(new Error('script ' + src));
    document.head.appendChild(script);
  });
}

function statementId() {
  if (window.isSecureContext && crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function setStatus(node, text) {
  node.querySelector('[data-h5p-status]').textContent = text || '';
}

function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (_, key) => String(values[key] ?? ''));
}

function formatNumber(value) {
  return Number.isInteger(value) ? String(value) : String(Math.round(value * 100) / 100);
}

function showSummary(node, summary) {
  const target = node.querySelector('[data-h5p-summary]');
  if (!summary || (!summary.attempts && !summary.completed)) {
    target.hidden = true;
    return;
  }
  const d = node.dataset;
  const parts = [];
  if (summary.completed) parts.push(d.textDone);
  if (summary.success === true) parts.push(d.textPassed);
  else if (summary.success === false) parts.push(d.textFailed);
  if (summary.best_max) {
    parts.push(fill(d.textScore, { raw: formatNumber(summary.best_raw), max: formatNumber(summary.best_max) }));
  }
  if (summary.attempts) parts.push(fill(d.textAttempts, { count: summary.attempts }));
  target.textContent = parts.join(' · ');
  target.hidden = false;
  node.classList.toggle('is-completed', Boolean(summary.completed));
}

async function send(player, statement, attempt = 0) {
  let response;
  try {
    response = await fetch(player.xapiUrl, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-CSRFToken': host.csrfToken, Accept: 'application/json' },
      body: JSON.stringify(statement),
      keepalive: true,
    });
  } catch (error) {
    response = null;
  }
  if (response && response.ok) {
    const answer = await response.json();
    showSummary(player.node, answer.summary);
    if (answer.completionChanged) {
      document.dispatchEvent(new CustomEvent('lms:h5p-completed', { detail: { itemId: player.node.dataset.itemId } }));
    }
    return;
  }
  if (response && response.status >= 400 && response.status < 500) return; // refused: retrying cannot help
  if (attempt < 5) {
    // Same statement id on every try: the server stores it once.
    if (attempt === 1) setStatus(player.node, player.node.dataset.textSavingError);
    setTimeout(() => send(player, statement, attempt + 1), 2000 * 2 ** attempt);
  }
}

function onXAPI(event) {
  const statement = event && event.data && event.data.statement;
  if (!statement || !statement.verb || !statement.object) return;
  const extensions = (statement.object.definition && statement.object.definition.extensions) || {};
  const player = players.get(String(extensions[CONTENT_ID_EXTENSION]));
  if (!player || !player.verbs.has(statement.verb.id)) return;
  if (!statement.id) statement.id = statementId();
  if (!statement.timestamp) statement.timestamp = new Date().toISOString();
  send(player, statement);
}

async function start(node) {
  const d = node.dataset;
  const contentId = d.itemId;
  if (players.has(contentId)) {
    setStatus(node, d.textDuplicate);
    node.querySelector('[data-h5p-start]').hidden = true;
    return;
  }
  setStatus(node, d.textLoading);
  node.querySelector('[data-h5p-start]').hidden = true;
  try {
    const answer = await fetch(d.stateUrl, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
    if (!answer.ok) throw new Error('state ' + answer.status);
    const saved = await answer.json();
    host.csrfToken = saved.csrfToken || host.csrfToken;
    bundle = bundle || loadScript(d.mainJs);
    await bundle;
    players.set(contentId, { node, xapiUrl: d.xapiUrl, verbs: new Set(saved.verbs || []) });
    const files = d.h5pJson.replace(/\/h5p\.json$/, '');
    let userData;
    if (saved.data) userData = [{ state: saved.data }];
    else if (saved.reset) userData = [{ state: 'RESET' }];
    const options = {
      id: contentId,
      h5pJsonPath: files,
      contentJsonPath: `${files}/content`,
      librariesPath: `${files}/libraries`,
      frameJs: d.frameJs,
      frameCss: d.frameCss,
      customJs: [d.csrfJs],
      xAPIObjectIRI: new URL(d.activityUrl, window.location.href).href,
      user: saved.actor,
      saveFreq: 30,
      contentUserData: userData,
      // One URL pattern for every player on the page (H5P keeps one global setting).
      ajax: { contentUserDataUrl: d.stateUrl.replace(`/${contentId}/state/`, '/:contentId/state/') + '?dataType=:dataType&subContentId=:subContentId' },
      frame: false,
      copyright: false,
      export: false,
      embed: false,
      icon: false,
      fullScreen: true,
    };
    const container = node.querySelector('[data-h5p-container]');
    await new window.H5PStandalone.H5P(container, options);
    const frame = container.querySelector('iframe');
    if (frame) frame.title = d.title; // screen readers announce the frame by its title
    if (!listening && window.H5P && window.H5P.externalDispatcher) {
      window.H5P.externalDispatcher.on('xAPI', onXAPI);
      listening = true;
    }
    node.dataset.h5pStarted = 'true';
    setStatus(node, '');
    showSummary(node, saved.summary);
  } catch (error) {
    players.delete(contentId);
    setStatus(node, d.textError);
    node.querySelector('[data-h5p-start]').hidden = false;
  }
}

function enqueue(node) {
  if (node.dataset.h5pQueued) return;
  node.dataset.h5pQueued = 'true';
  queue = queue.then(() => start(node)).finally(() => {
    if (!node.dataset.h5pStarted) delete node.dataset.h5pQueued;
  });
}

const observer =
  'IntersectionObserver' in window
    ? new IntersectionObserver(
        (entries) => {
          entries.forEach((entry) => {
            if (entry.isIntersecting) {
              observer.unobserve(entry.target);
              enqueue(entry.target);
            }
          });
        },
        { rootMargin: '200px 0px' },
      )
    : null;

nodes.forEach((node) => {
  node.dataset.h5pBound = 'true';
  node.querySelector('[data-h5p-start]').addEventListener('click', () => enqueue(node));
  if (observer) observer.observe(node);
});
