// H5P players in a lesson. Each starts only when it scrolls into view (or on its button) and runs in
// an <iframe sandbox="allow-scripts allow-forms"> WITHOUT allow-same-origin (see h5p/player.py): package code
// cannot reach this page, its cookies or its CSRF token. The frame reports by postMessage; this
// page checks every message (sender window, origin "null", shape, size) and alone sends the
// learner's xAPI statements and saved state to the server, with its own CSRF token.

const CHANNEL = 'lms-h5p';
const MAX_STATEMENT_CHARS = 32 * 1024;
const MAX_STATE_CHARS = 64 * 1024;
const MIN_HEIGHT = 120;
const MAX_HEIGHT = 20000;
const nodes = Array.from(document.querySelectorAll('[data-h5p-player]:not([data-h5p-bound])'));
const players = new Map(); // item id -> player
let csrfToken = '';
let queue = Promise.resolve(); // one player starts after another: the first load stays light

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

function showStart(node, visible) {
  node.querySelector('[data-h5p-start-row]').hidden = !visible;
}

function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (_, key) => String(values[key] ?? ''));
}

function formatNumber(value) {
  return new Intl.NumberFormat(document.documentElement.lang || 'id', { maximumFractionDigits: 2 }).format(value);
}

function showSummary(node, summary) {
  const target = node.querySelector('[data-h5p-summary]');
  target.replaceChildren();
  if (!summary || (!summary.attempts && !summary.completed)) {
    target.hidden = true;
    return;
  }
  const d = node.dataset;
  const add = (text, tone) => {
    const part = document.createElement('span');
    part.className = `h5p-summary-part h5p-summary-${tone}`;
    part.textContent = text;
    target.append(part);
  };
  if (summary.completed) add(d.textDone, 'ok');
  if (summary.success === true) add(d.textPassed, 'ok');
  else if (summary.success === false) add(d.textFailed, 'warn');
  if (summary.best_max) {
    add(fill(d.textScore, { raw: formatNumber(summary.best_raw), max: formatNumber(summary.best_max) }), 'plain');
  }
  if (summary.attempts) add(fill(d.textAttempts, { count: summary.attempts }), 'plain');
  target.hidden = false;
  node.classList.toggle('is-completed', Boolean(summary.completed));
}

async function post(player, url, init, attempt = 0) {
  let response;
  try {
    response = await fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      keepalive: true,
      ...init,
      headers: { 'X-CSRFToken': csrfToken, Accept: 'application/json', ...init.headers },
    });
  } catch (error) {
    response = null;
  }
  if (response && response.ok) return response.json();
  if (response && response.status >= 400 && response.status < 500) return null; // refused: retrying cannot help
  if (attempt < 5) {
    // Same body on every try (a statement keeps its id): the server stores it once.
    if (attempt === 1) setStatus(player.node, player.node.dataset.textSavingError);
    await new Promise((resolve) => setTimeout(resolve, 2000 * 2 ** attempt));
    return post(player, url, init, attempt + 1);
  }
  return null;
}

function isPlainObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

async function sendStatement(player, statement) {
  if (!isPlainObject(statement) || !isPlainObject(statement.verb) || !isPlainObject(statement.object)) return;
  if (!player.verbs.has(statement.verb.id)) return; // only what the server records
  const objectId = String(statement.object.id || '');
  if (objectId !== player.activityIri && !objectId.startsWith(`${player.activityIri}?`)) return;
  if (!statement.id) statement.id = statementId();
  if (!statement.timestamp) statement.timestamp = new Date().toISOString();
  const body = JSON.stringify(statement);
  if (body.length > MAX_STATEMENT_CHARS) return;
  const answer = await post(player, player.node.dataset.xapiUrl, {
    headers: { 'Content-Type': 'application/json' },
    body,
  });
  if (!answer) return;
  setStatus(player.node, '');
  showSummary(player.node, answer.summary);
  if (answer.completionChanged) {
    document.dispatchEvent(new CustomEvent('lms:h5p-completed', { detail: { itemId: player.node.dataset.itemId } }));
  }
}

function saveState(player, message) {
  const fields = ['dataType', 'subContentId', 'data', 'preload', 'invalidate'];
  if (!fields.every((name) => typeof message[name] === 'string')) return;
  if (message.data.length > MAX_STATE_CHARS || message.dataType.length > 64 || message.subContentId.length > 64) return;
  const url = new URL(player.node.dataset.stateUrl, window.location.href);
  url.searchParams.set('dataType', message.dataType);
  url.searchParams.set('subContentId', message.subContentId);
  const body = new URLSearchParams({ data: message.data, preload: message.preload, invalidate: message.invalidate });
  post(player, url.href, { body });
}

function onMessage(event) {
  // Only a message from one of our frames' own window, in its opaque origin, in our shape.
  const player = Array.from(players.values()).find((candidate) => candidate.frame.contentWindow === event.source);
  if (!player || event.origin !== 'null') return;
  const message = event.data;
  if (!isPlainObject(message) || message.channel !== CHANNEL || typeof message.type !== 'string') return;
  switch (message.type) {
    case 'ready':
      if (player.initialised) return;
      player.initialised = true;
      player.frame.contentWindow.postMessage(
        {
          channel: CHANNEL,
          type: 'init',
          state: typeof player.saved.data === 'string' ? player.saved.data : null,
          reset: player.saved.reset === true,
          actor: player.saved.actor,
          activityIri: player.activityIri,
          title: player.node.dataset.title,
        },
        '*', // an opaque origin cannot be named; the frame gets only its learner's own state
      );
      break;
    case 'started':
      player.node.dataset.h5pStarted = 'true';
      setStatus(player.node, '');
      break;
    case 'error':
      setStatus(player.node, player.node.dataset.textError);
      break;
    case 'resize':
      if (Number.isFinite(message.height)) {
        const height = Math.min(Math.max(Math.round(message.height), MIN_HEIGHT), MAX_HEIGHT);
        player.frame.style.height = `${height}px`;
      }
      break;
    case 'xapi':
      sendStatement(player, message.statement);
      break;
    case 'state':
      saveState(player, message);
      break;
    default:
      break;
  }
}

async function start(node) {
  const d = node.dataset;
  const itemId = d.itemId;
  if (players.has(itemId)) {
    setStatus(node, d.textDuplicate);
    showStart(node, false);
    return;
  }
  setStatus(node, d.textLoading);
  showStart(node, false);
  try {
    const answer = await fetch(d.stateUrl, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
    if (!answer.ok) throw new Error(`state ${answer.status}`);
    const saved = await answer.json();
    csrfToken = saved.csrfToken || csrfToken;
    const frame = document.createElement('iframe');
    // No allow-same-origin (the isolation), no popups, no top navigation. allow-forms lets content
    // types react to a form's submit event; the frame's CSP (form-action 'none') sends nothing.
    frame.setAttribute('sandbox', 'allow-scripts allow-forms');
    frame.setAttribute('allow', 'fullscreen');
    frame.setAttribute('referrerpolicy', 'no-referrer');
    frame.className = 'h5p-player-frame';
    frame.title = d.title;
    frame.src = new URL(saved.playerUrl, window.location.href).href;
    players.set(itemId, {
      node,
      frame,
      saved,
      verbs: new Set(saved.verbs || []),
      activityIri: new URL(d.activityUrl, window.location.href).href,
      initialised: false,
    });
    node.querySelector('[data-h5p-container]').replaceChildren(frame);
    showSummary(node, saved.summary);
  } catch (error) {
    players.delete(itemId);
    setStatus(node, d.textError);
    showStart(node, true);
  }
}

function enqueue(node) {
  if (node.dataset.h5pQueued) return;
  node.dataset.h5pQueued = 'true';
  queue = queue
    .then(() => start(node))
    .finally(() => {
      if (!players.has(node.dataset.itemId)) delete node.dataset.h5pQueued;
    });
}

window.addEventListener('message', onMessage);

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
