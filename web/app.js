// Progressive enhancement for the server-rendered pages (see docs/decisions/0007).
// No inline scripts or styles (CSP 'self'): strings arrive in the #i18n JSON data block, and
// dynamic styles are set through the CSSOM or drawn on a canvas.

const i18n = readMessages();

function readMessages() {
  const block = document.getElementById('i18n');
  try {
    return block ? JSON.parse(block.textContent) : { lang: 'en', messages: {} };
  } catch {
    return { lang: 'en', messages: {} };
  }
}

/** The message for key, with {name} placeholders filled; the key itself if it is unknown. */
function tr(key, vars) {
  const text = i18n.messages[key] ?? key;
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in vars ? String(vars[name]) : whole));
}

const locale = i18n.lang === 'zh' ? 'zh-CN' : 'en-GB';
const plurals = new Intl.PluralRules(locale);

/**
 * The message for a count: `key.one`, `key.other` … chosen by the language's plural rules
 * ("1 credit", "2 credits"; Chinese has one form), with {count} filled; `key` if none exists.
 */
function trCount(key, count, vars = {}) {
  const form = key + '.' + plurals.select(count);
  const chosen = form in i18n.messages ? form : key + '.other';
  return tr(chosen in i18n.messages ? chosen : key, { count, ...vars });
}

function csrfToken() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  return meta ? meta.getAttribute('content') : '';
}

/**
 * JSON API call; throws an Error carrying the server's message (already in the page's language:
 * the request says which), its status, code, reason and the link to what helps.
 */
async function api(path, { method = 'GET', body, headers = {} } = {}) {
  const init = {
    method,
    headers: { accept: 'application/json', 'accept-language': i18n.lang, ...headers },
  };
  if (method !== 'GET') init.headers['x-csrf-token'] = csrfToken();
  if (body instanceof FormData) init.body = body;
  else if (body !== undefined) {
    init.headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  const payload = response.status === 204 ? null : await response.json().catch(() => null);
  if (!response.ok) {
    const error = new Error(payload?.error?.message ?? tr('error.generic'));
    error.status = response.status;
    error.code = payload?.error?.code;
    error.reason = payload?.error?.reason;
    error.action = payload?.error?.action;
    throw error;
  }
  return payload;
}

/**
 * Writes an error into `element`: the server's message and, when it gives one, the link that
 * helps (sign in comes back to this page). A browser failure ("Failed to fetch") becomes ours.
 */
function showErrorIn(element, error) {
  // fetch() rejects with a TypeError when the network fails; anything else carries a message.
  const text = error instanceof TypeError ? tr('error.network') : error.message;
  const parts = [document.createTextNode(text)];
  const action = error.action;
  if (action && typeof action.href === 'string' && action.href.startsWith('/')) {
    const link = document.createElement('a');
    const url = new URL(action.href, window.location.origin);
    if (url.pathname === '/auth/login') {
      url.searchParams.set('returnTo', window.location.pathname + window.location.search);
    }
    link.href = url.pathname + url.search;
    link.className = 'error-action';
    link.textContent = action.label;
    parts.push(document.createTextNode(' '), link);
  }
  element.replaceChildren(...parts);
}

function show(element, visible) {
  if (element) element.hidden = !visible;
}

// ---------------------------------------------------------------------------------------------
// Create page

const acceptedTypes = ['image/jpeg', 'image/png', 'image/webp'];
const MIB = 1024 * 1024;

/**
 * The upload limit in bytes: the file input's data-max-bytes when the page gives it, else the
 * "up to N MB" the drop zone's hint shows (the server rounds the limit down to whole MB there,
 * so it is never above the real one); null when neither is there, and the server decides.
 */
function uploadLimitBytes(input) {
  const exact = Number(input.dataset.maxBytes);
  if (Number.isFinite(exact) && exact > 0) return exact;
  const hint = input.closest('.field')?.querySelector('.dropzone .muted')?.textContent ?? '';
  const mb = /(\d+(?:\.\d+)?)\s*MB/.exec(hint);
  return mb ? Number(mb[1]) * MIB : null;
}

/** Why this file cannot be sent, in the page's language; null when it can. */
function refuseFile(file, maxBytes) {
  const name = file.name.toLowerCase();
  if (file.type === 'image/heic' || file.type === 'image/heif' || /\.hei[cf]$/.test(name)) {
    return tr('create.heic');
  }
  // Some systems give no type for a file; its name must then say JPEG, PNG or WebP.
  const typed = file.type ? acceptedTypes.includes(file.type) : /\.(jpe?g|png|webp)$/.test(name);
  if (!typed) return tr('create.wrongType');
  if (maxBytes !== null && file.size > maxBytes) {
    const mb = (n) => new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(n / MIB);
    return tr('create.tooLarge', { size: mb(file.size), mb: mb(maxBytes) });
  }
  return null;
}

function setupCreateForm() {
  const form = document.getElementById('create-form');
  if (!form) return;
  const input = document.getElementById('image');
  const dropzone = document.getElementById('dropzone');
  const preview = document.getElementById('preview');
  const dropText = document.getElementById('drop-text');
  const fileName = document.getElementById('file-name');
  const errorBox = document.getElementById('form-error');
  const submit = document.getElementById('submit');
  const seconds = document.getElementById('seconds');
  const slider = document.getElementById('seconds-slider');
  const credits = document.getElementById('credits');
  let balance = Number(credits?.dataset.balance ?? 0);
  let cost = Number(credits?.dataset.cost ?? 1);
  let previewUrl = null;

  const showError = (message) => {
    errorBox.textContent = message;
    show(errorBox, Boolean(message));
  };
  const showServerError = (error) => {
    showErrorIn(errorBox, error);
    show(errorBox, true);
  };

  const showFile = (file) => {
    if (previewUrl) URL.revokeObjectURL(previewUrl);
    if (!file) {
      show(preview, false);
      fileName.textContent = '';
      dropText.textContent = tr('create.drop');
      dropzone.classList.remove('has-image');
      return;
    }
    previewUrl = URL.createObjectURL(file);
    preview.src = previewUrl;
    show(preview, true);
    fileName.textContent = file.name;
    dropText.textContent = tr('create.change');
    dropzone.classList.add('has-image');
  };

  const maxBytes = uploadLimitBytes(input);
  // Checked here, before anything is sent: a 22 MB photo is refused at once, not after its
  // upload; the input is emptied so the form cannot send it either.
  const accept = (file) => {
    const refusal = refuseFile(file, maxBytes);
    if (refusal) {
      input.value = '';
      showFile(null);
      showError(refusal);
      return false;
    }
    showError('');
    showFile(file);
    return true;
  };
  input.addEventListener('change', () => {
    const file = input.files[0];
    if (file) accept(file);
    else {
      showError('');
      showFile(null);
    }
  });
  input.addEventListener('focus', () => dropzone.classList.add('focused'));
  input.addEventListener('blur', () => dropzone.classList.remove('focused'));

  for (const type of ['dragenter', 'dragover']) {
    dropzone.addEventListener(type, (event) => {
      event.preventDefault();
      dropzone.classList.add('dragging');
    });
  }
  for (const type of ['dragleave', 'dragend']) {
    dropzone.addEventListener(type, () => dropzone.classList.remove('dragging'));
  }
  dropzone.addEventListener('drop', (event) => {
    event.preventDefault();
    dropzone.classList.remove('dragging');
    const file = event.dataTransfer?.files?.[0];
    if (!file || !accept(file)) return;
    // The file input stays the single source of truth, so plain form posting still works.
    const transfer = new window.DataTransfer();
    transfer.items.add(file);
    input.files = transfer.files;
  });

  slider?.addEventListener('input', () => {
    seconds.value = slider.value;
  });
  seconds.addEventListener('input', () => {
    if (slider && seconds.value) slider.value = seconds.value;
  });

  document.getElementById('surprise')?.addEventListener('click', () => {
    const random = new Uint32Array(2);
    window.crypto.getRandomValues(random);
    // Any 32-bit seed (the engine's range, the seed field's max).
    const seed = document.getElementById('seed');
    seed.value = String(Math.min(random[0], Number(seed.max) || random[0]));
    const style = document.getElementById('style');
    const choices = [...style.options].filter((o) => o.value !== '');
    style.value = choices[random[1] % choices.length].value;
  });

  const renderCredits = () => {
    document.getElementById('balance-text').textContent = trCount('create.balance', balance, {
      balance,
      cost,
    });
    document.getElementById('cost-line').textContent = trCount('create.cost', cost, {
      cost,
      balance,
    });
    document.getElementById('too-low-text').textContent = trCount('create.tooLow', cost, {
      cost,
      balance,
    });
    const tooLow = balance < cost;
    submit.disabled = tooLow;
    show(document.getElementById('too-low'), tooLow);
  };
  // The page was rendered with the balance; refresh it in case another tab spent or bought.
  api('/api/credits')
    .then((summary) => {
      balance = summary.balance;
      cost = summary.generationCost;
      return renderCredits();
    })
    .catch(() => {});

  let submitting = false;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (submitting) return; // a double click submits once
    const file = input.files[0];
    if (!file) {
      showError(tr('create.drop'));
      input.focus();
      return;
    }
    const refusal = refuseFile(file, maxBytes);
    if (refusal) {
      showError(refusal);
      return;
    }
    submitting = true;
    submit.disabled = true;
    showError('');
    submitGeneration(form, file)
      .then((view) => window.location.assign('/generations/' + encodeURIComponent(view.id)))
      .catch((error) => {
        showServerError(error);
        submitting = false;
        submit.disabled = balance < cost;
      });
  });
}

/** Sends only the controls that are set, so the server's defaults (and the picture) decide. */
function submitGeneration(form, file) {
  const value = (id) => document.getElementById(id).value.trim();
  const body = new FormData();
  body.append('image', file, file.name);
  const text = value('text');
  if (text) body.append('text', text);
  body.append('seconds', value('seconds') || '30');
  for (const name of ['seed', 'style', 'mood', 'tempo', 'instrument']) {
    const v = value(name);
    if (v) body.append(name, v);
  }
  body.append('loop', document.getElementById('loop').checked ? 'true' : 'false');
  return api('/api/generations', {
    method: 'POST',
    body,
    headers: { 'idempotency-key': window.crypto.randomUUID() },
  });
}

// ---------------------------------------------------------------------------------------------
// Result page

const stageOrder = ['queued', 'analysing', 'composing', 'rendering', 'encoding', 'storing', 'done'];

/** Waits between attempts to reach the server again: 1 s, 2 s, 4 s … at most 15 s. */
function retryDelayMs(failures) {
  return Math.min(15_000, 1000 * 2 ** Math.max(0, failures - 1));
}

/**
 * Follows a generation until it is finished: the server pushes each change of stage as a
 * Server-Sent Event; when the stream fails it asks directly, once a second, and opens the
 * stream again after a back-off. When the server cannot be reached at all it keeps trying
 * (1 s, 2 s, 4 s … 15 s; at once when the browser comes back online) and says so through
 * onConnection('lost', retryInMs) — a piece finished meanwhile is shown as soon as one request
 * gets through. Only an answer that retrying cannot change (the piece is gone, the session
 * ended) stops it, through onError. Returns stop().
 */
function watchGeneration(id, onUpdate, onError, onConnection = () => {}) {
  const base = '/api/generations/' + encodeURIComponent(id);
  let timer = null;
  let stopped = false;
  let source = null;
  let streamFailures = 0;
  let pollFailures = 0;
  let streamAgainAt = 0;
  let lost = false;
  const finished = (view) => view.status !== 'queued' && view.status !== 'running';
  const stop = () => {
    stopped = true;
    if (source) source.close();
    source = null;
    window.clearTimeout(timer);
    window.removeEventListener('online', retryNow);
  };
  const reached = () => {
    pollFailures = 0;
    if (lost) onConnection('restored');
    lost = false;
  };
  const deliver = (view) => {
    reached();
    onUpdate(view);
    if (finished(view)) stop();
  };
  const schedule = (fn, ms) => {
    window.clearTimeout(timer);
    timer = setTimeout(fn, ms);
  };
  const poll = async () => {
    if (stopped) return;
    let view;
    try {
      view = await api(base);
    } catch (error) {
      if (stopped) return;
      // 4xx other than "too many" will not change by asking again (deleted, signed out).
      const permanent = error.status >= 400 && error.status < 500 && error.status !== 429;
      if (permanent) {
        stop();
        onError(error);
        return;
      }
      pollFailures += 1;
      lost = true;
      const wait = retryDelayMs(pollFailures);
      onConnection('lost', wait);
      schedule(poll, wait);
      return;
    }
    if (stopped) return;
    deliver(view);
    if (stopped) return;
    if (typeof EventSource === 'function' && Date.now() >= streamAgainAt) openStream();
    else schedule(poll, 1000);
  };
  const openStream = () => {
    source = new EventSource(base + '/events');
    source.addEventListener('open', () => {
      streamFailures = 0;
    });
    source.addEventListener('generation', (event) => {
      if (stopped) return;
      deliver(JSON.parse(event.data));
    });
    source.addEventListener('error', () => {
      // A dropped or refused stream: ask directly now, and open it again after a back-off.
      if (source) source.close();
      source = null;
      if (stopped) return;
      streamFailures += 1;
      streamAgainAt = Date.now() + retryDelayMs(streamFailures);
      void poll();
    });
  };
  function retryNow() {
    if (stopped || !lost) return;
    schedule(poll, 0);
  }
  window.addEventListener('online', retryNow);
  if (typeof EventSource === 'function') openStream();
  else void poll();
  return stop;
}

function setupGenerationPage() {
  const section = document.getElementById('generation');
  if (!section) return;
  const id = section.dataset.id;
  const stage = document.getElementById('stage');
  const progress = document.getElementById('progress');
  const stageItems = [...document.querySelectorAll('#stages li')];
  let shownResult = false;

  const renderStages = (view) => {
    const current = stageOrder.indexOf(view.stage);
    for (const item of stageItems) {
      const index = stageOrder.indexOf(item.dataset.stage);
      item.classList.toggle('done', view.status === 'done' || (current >= 0 && index < current));
      item.classList.toggle('current', index === current);
      if (index === current) item.setAttribute('aria-current', 'step');
      else item.removeAttribute('aria-current');
    }
  };

  let render = (view) => {
    stage.textContent = tr('stage.' + view.stage);
    progress.value = Math.max(0, stageOrder.indexOf(view.stage));
    renderStages(view);
    if (view.status === 'done' && !shownResult) {
      shownResult = true;
      show(progress, false);
      showResult(id, view);
    }
    if (view.status === 'failed') {
      show(progress, false);
      const failure = document.getElementById('failure');
      // The failure's code picks the message in the page's language; the API's English is the
      // fallback for a code this page does not know yet.
      const known = view.error && 'error.failure.' + view.error.code in i18n.messages;
      failure.textContent = known
        ? tr('error.failure.' + view.error.code)
        : view.error
          ? view.error.message
          : tr('result.failed');
      show(failure, true);
    }
  };
  const estimate = progressEstimate(progress);
  const followed = render;
  render = (view) => {
    followed(view);
    estimate.update(view);
  };
  const connection = connectionLine(stage);
  watchGeneration(
    id,
    render,
    (error) => {
      connection.clear();
      showErrorIn(stage, error);
    },
    (state, retryInMs) => {
      if (state === 'lost') connection.lost(retryInMs);
      else connection.restored();
    },
  );
}

/** "12 seconds", "2 minutes" / "12秒", "2分钟": rounded the way a person says a wait. */
function formatWait(seconds) {
  const [value, unit] =
    seconds >= 90
      ? [Math.round(seconds / 60), 'minute']
      : [Math.max(1, Math.round(seconds)), 'second'];
  return new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'long' }).format(value);
}

/**
 * Time so far and time to go while a piece is made: the piece's length times the render speed
 * measured on this account's own finished pieces (their median seconds of waiting per second of
 * music), or, before there are any, the speed measured on a CPU box for the review (about
 * 1 s + 0.21 s per second of music: 20 s in ≈ 5 s, 180 s in ≈ 37 s).
 */
function progressEstimate(progress) {
  const line = document.createElement('p');
  line.id = 'estimate';
  line.className = 'muted estimate';
  line.hidden = true;
  progress.after(line);
  progress.setAttribute('aria-label', tr('result.stages'));
  let rate = null;
  let view = null;
  let ticker = null;
  api('/api/generations')
    .then(({ generations }) => {
      const rates = generations
        .filter((g) => g.status === 'done' && g.finishedAt && g.seconds > 0)
        .map((g) => (Date.parse(g.finishedAt) - Date.parse(g.createdAt)) / 1000 / g.seconds)
        .filter((r) => Number.isFinite(r) && r > 0)
        .sort((a, b) => a - b);
      if (rates.length > 0) rate = rates[Math.floor(rates.length / 2)];
      return rate;
    })
    .catch(() => null);
  const expectedSeconds = (v) => (rate !== null ? rate * v.seconds : 1 + 0.21 * v.seconds);
  const tick = () => {
    if (!view) return;
    const elapsed = Math.max(0, (Date.now() - Date.parse(view.createdAt)) / 1000);
    const left = expectedSeconds(view) - elapsed;
    line.dataset.expected = String(Math.round(expectedSeconds(view)));
    line.textContent =
      left > 1
        ? tr('result.estimate', { elapsed: formatWait(elapsed), left: formatWait(left) })
        : tr('result.overdue', { elapsed: formatWait(elapsed) });
  };
  return {
    update(next) {
      view = next;
      const working = next.status === 'queued' || next.status === 'running';
      line.hidden = !working;
      window.clearInterval(ticker);
      if (!working) return;
      tick();
      ticker = window.setInterval(tick, 1000);
    },
  };
}

/**
 * The line under the stage that says when the server cannot be reached, counting down to the
 * next attempt, and that it is back. The stage above keeps the last state actually known.
 */
function connectionLine(after) {
  const line = document.createElement('p');
  line.id = 'connection';
  line.className = 'connection';
  line.setAttribute('role', 'status');
  line.hidden = true;
  after.after(line);
  let ticker = null;
  let hideTimer = null;
  const reset = () => {
    window.clearInterval(ticker);
    window.clearTimeout(hideTimer);
    line.classList.remove('lost');
  };
  return {
    lost(retryInMs) {
      reset();
      const at = Date.now() + retryInMs;
      line.classList.add('lost');
      line.dataset.state = 'lost';
      const tick = () => {
        const seconds = Math.max(0, Math.ceil((at - Date.now()) / 1000));
        const offline = navigator.onLine === false;
        line.textContent = offline
          ? tr('result.offline')
          : seconds > 0
            ? tr('result.connectionLost', { seconds })
            : tr('result.reconnecting');
      };
      tick();
      ticker = window.setInterval(tick, 1000);
      line.hidden = false;
    },
    restored() {
      reset();
      line.dataset.state = 'restored';
      line.textContent = tr('result.reconnected');
      line.hidden = false;
      hideTimer = setTimeout(() => {
        line.hidden = true;
      }, 4000);
    },
    clear() {
      reset();
      line.hidden = true;
    },
  };
}

function showResult(id, view) {
  show(document.getElementById('result'), true);
  const audioUrl = '/api/generations/' + encodeURIComponent(id) + '/audio?format=mp3';
  const player = document.getElementById('player');
  if (view.downloadable) {
    player.src = audioUrl;
    drawWaveform(audioUrl, player).catch(() => {
      show(document.getElementById('waveform'), false);
    });
  } else {
    showExpired();
  }
  if (view.plan) {
    const style = tr('style.' + view.plan.style);
    document.getElementById('summary').textContent =
      view.plan.key + ' · ' + view.plan.tempo + ' BPM · ' + style;
    showStory(view.plan);
    const palette = document.getElementById('palette');
    palette.replaceChildren();
    for (const colour of view.plan.palette) {
      const swatch = document.createElement('span');
      swatch.className = 'swatch';
      swatch.title = colour.hex + ' (' + Math.round(colour.weight * 100) + '%)';
      swatch.style.backgroundColor = colour.hex;
      swatch.style.flexGrow = String(Math.max(1, Math.round(colour.weight * 100)));
      palette.appendChild(swatch);
    }
  }
  if (view.downloadable && view.controls?.loop) setupLoopPreview(id, player);
  if (view.expiresAt && view.downloadable) startCountdown(new Date(view.expiresAt));
  setupDelete(id);
  setupVariation(id, view.canVary);
  setupVersions(id, view.canVary);
  setupExtend(id, view);
}

function showExpired() {
  for (const elementId of ['player', 'waveform']) show(document.getElementById(elementId), false);
  document.querySelector('.downloads')?.setAttribute('hidden', '');
  document.getElementById('expiry').textContent = tr('result.expired');
}

function startCountdown(expiresAt) {
  const expiry = document.getElementById('expiry');
  const pad = (n) => String(n).padStart(2, '0');
  const at = expiresAt.toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' });
  let timer = null;
  const tick = () => {
    const left = Math.max(0, Math.floor((expiresAt.getTime() - Date.now()) / 1000));
    if (left === 0) {
      window.clearInterval(timer);
      showExpired();
      return;
    }
    const time =
      pad(Math.floor(left / 3600)) +
      ':' +
      pad(Math.floor((left % 3600) / 60)) +
      ':' +
      pad(left % 60);
    expiry.textContent =
      tr('result.deletesIn', { time }) + ' ' + tr('result.deletesAt', { date: at });
  };
  tick();
  timer = window.setInterval(tick, 1000);
}

/**
 * The line under the result's buttons where a failed action says why. It stays until the next
 * attempt (the countdown has a line of its own), and a "Buy credits" link comes with a refusal
 * for want of credits.
 */
function actionMessage() {
  let line = document.getElementById('action-error');
  if (!line) {
    line = document.createElement('p');
    line.id = 'action-error';
    line.className = 'error action-error';
    line.setAttribute('role', 'alert');
    line.hidden = true;
    document.querySelector('#result .actions')?.after(line);
  }
  return {
    /** A refused request: the server's message with its link. */
    showError(error) {
      showErrorIn(line, error);
      line.hidden = false;
    },
    show(text, withBuyLink = false) {
      const parts = [document.createTextNode(text)];
      if (withBuyLink) {
        const link = document.createElement('a');
        link.className = 'button';
        link.href = '/credits';
        link.id = 'action-buy';
        link.textContent = tr('create.buy');
        parts.push(document.createTextNode(' '), link);
      }
      line.replaceChildren(...parts);
      line.hidden = false;
    },
    clear() {
      line.replaceChildren();
      line.hidden = true;
    },
  };
}

const needsCredits = (error) => error.status === 402 || error.code === 'payment_required';

/** A variation recomposes this piece's plan with a new seed; it costs one piece's credits. */
function setupVariation(id, canVary) {
  const button = document.getElementById('variation');
  if (!button) return;
  show(button, Boolean(canVary));
  if (!canVary || button.dataset.ready) return;
  button.dataset.ready = '1';
  const message = actionMessage();
  // Offered only when it can be paid for: with too few credits the button says why it is off.
  api('/api/credits')
    .then(({ balance, generationCost }) => {
      if (balance >= generationCost) return false;
      button.disabled = true;
      message.show(trCount('result.variationCost', generationCost, { balance }), true);
      return true;
    })
    .catch(() => {});
  button.addEventListener('click', async () => {
    button.disabled = true;
    message.clear();
    try {
      const created = await api('/api/generations/' + encodeURIComponent(id) + '/variations', {
        method: 'POST',
        body: {},
        headers: { 'idempotency-key': window.crypto.randomUUID() },
      });
      window.location.assign('/generations/' + created.id);
    } catch (error) {
      if (needsCredits(error)) {
        message.show(tr('result.variationNoCredits'), true);
        return; // stays off: asking again cannot succeed until credits are bought
      }
      message.showError(error);
      button.disabled = false;
    }
  });
}

/** "Give me two versions": two new seeds of this plan, side by side on the comparison page. */
function setupVersions(id, canVary) {
  const button = document.getElementById('versions');
  if (!button) return;
  show(button, Boolean(canVary));
  if (!canVary || button.dataset.ready) return;
  button.dataset.ready = '1';
  const message = actionMessage();
  api('/api/credits')
    .then(({ balance, generationCost }) => {
      button.title = trCount('result.versionsCost', generationCost);
      if (balance >= 2 * generationCost) return false;
      // Off, saying why on the button itself: the line under the buttons belongs to the
      // variation's own refusal, which says the same about credits with a link to buy them.
      button.disabled = true;
      button.title = trCount('result.versionsNoCredits', generationCost, { balance });
      return true;
    })
    .catch(() => {});
  button.addEventListener('click', async () => {
    button.disabled = true;
    message.clear();
    try {
      const { versions } = await api('/api/generations/' + encodeURIComponent(id) + '/versions', {
        method: 'POST',
        body: {},
        headers: { 'idempotency-key': window.crypto.randomUUID() },
      });
      window.location.assign('/compare?ids=' + versions.map((v) => v.id).join(','));
    } catch (error) {
      if (needsCredits(error)) {
        api('/api/credits')
          .then(({ balance, generationCost }) =>
            message.show(trCount('result.versionsNoCredits', generationCost, { balance }), true),
          )
          .catch(() => message.show(error.message, true));
        return;
      }
      message.show(error.message);
      button.disabled = false;
    }
  });
}

/** "Extend by N seconds": the same plan and seed, longer; only lengths within the limit. */
function setupExtend(id, view) {
  const form = document.getElementById('extend-form');
  if (!form || form.dataset.ready) return;
  const max = Number(form.dataset.max);
  const room = max - view.seconds;
  const select = document.getElementById('extend-seconds');
  const hint = document.getElementById('extend-hint');
  const button = document.getElementById('extend');
  if (!view.canVary) return show(form, false);
  form.dataset.ready = '1';
  show(form, true);
  if (view.controls?.loop) {
    select.disabled = true;
    button.disabled = true;
    hint.textContent = tr('result.extendLoop');
    return;
  }
  for (const option of [...select.options]) {
    if (Number(option.value) > room) option.remove();
  }
  if (room >= 5 && ![...select.options].some((o) => Number(o.value) === room) && room < 60) {
    const option = document.createElement('option');
    option.value = String(room);
    option.textContent = tr('result.extendSeconds', { n: room });
    select.appendChild(option);
  }
  if (select.options.length === 0) {
    select.disabled = true;
    button.disabled = true;
    hint.textContent = tr('result.extendFull', { max });
    return;
  }
  const message = actionMessage();
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    button.disabled = true;
    message.clear();
    try {
      const created = await api('/api/generations/' + encodeURIComponent(id) + '/extensions', {
        method: 'POST',
        body: { seconds: Number(select.value) },
        headers: { 'idempotency-key': window.crypto.randomUUID() },
      });
      window.location.assign('/generations/' + created.id);
    } catch (error) {
      if (needsCredits(error)) {
        message.show(tr('result.extendNoCredits'), true);
        return;
      }
      message.show(error.message);
      button.disabled = false;
    }
  });
}

function setupDelete(id) {
  const button = document.getElementById('delete');
  if (!button || button.dataset.ready) return;
  button.dataset.ready = '1';
  button.addEventListener('click', async () => {
    if (!window.confirm(tr('result.confirmDelete'))) return;
    button.disabled = true;
    const message = actionMessage();
    message.clear();
    try {
      await api('/api/generations/' + encodeURIComponent(id), { method: 'DELETE' });
      window.location.assign('/library');
    } catch (error) {
      message.showError(error);
      button.disabled = false;
    }
  });
}

/**
 * The loop points a WAV's `smpl` chunk marks, in seconds: the lead-in before `start` plays once,
 * then [start, end) repeats. Null without a loop.
 */
function readWavLoop(bytes) {
  const view = new DataView(bytes);
  const tag = (at) => String.fromCharCode(...new Uint8Array(bytes, at, 4));
  if (bytes.byteLength < 12 || tag(0) !== 'RIFF' || tag(8) !== 'WAVE') return null;
  let sampleRate = 0;
  for (let at = 12; at + 8 <= bytes.byteLength;) {
    const size = view.getUint32(at + 4, true);
    if (tag(at) === 'fmt ') sampleRate = view.getUint32(at + 12, true);
    if (tag(at) === 'smpl' && size >= 60 && view.getUint32(at + 8 + 28, true) > 0 && sampleRate) {
      const start = view.getUint32(at + 8 + 44, true);
      const last = view.getUint32(at + 8 + 48, true); // inclusive, as the format has it
      return { start: start / sampleRate, end: (last + 1) / sampleRate };
    }
    at += 8 + size + (size % 2);
  }
  return null;
}

/**
 * The explanation for a person in the page's language, and the numbers behind it in a toggle.
 * Pieces made before the story existed have only the English details line.
 */
function showStory(plan) {
  const explanation = document.getElementById('explanation');
  const details = document.getElementById('explanation-details');
  const facts = document.getElementById('explanation-facts');
  const lang = i18n.lang === 'zh' ? 'zh' : 'en';
  if (!plan.story) {
    explanation.textContent = plan.explanation;
    show(details, false);
    return;
  }
  explanation.textContent = plan.story.summary[lang];
  facts.replaceChildren();
  for (const line of plan.story.details) {
    const item = document.createElement('li');
    item.textContent = line[lang];
    facts.appendChild(item);
  }
  show(details, plan.story.details.length > 0);
}

/**
 * A loop piece can be heard as it will be used: the WAV (exact samples, unlike the MP3 with its
 * encoder delay) through Web Audio with the file's own loop points, so the seam is the real
 * one. The native player plays the file once; starting one stops the other.
 */
function setupLoopPreview(id, player) {
  if (document.getElementById('loop-preview')) return;
  const Context = window.AudioContext || window.webkitAudioContext;
  if (!Context) return;
  const button = document.createElement('button');
  button.type = 'button';
  button.id = 'loop-preview';
  button.className = 'secondary';
  button.textContent = tr('result.loopPlay');
  button.setAttribute('aria-pressed', 'false');
  const note = document.createElement('p');
  note.id = 'loop-note';
  note.className = 'muted small';
  note.textContent = tr('result.loopHint');
  document.querySelector('#result .player-row')?.append(button);
  document.querySelector('#result .player-row')?.after(note);

  let context = null;
  let buffer = null;
  let loopPoints = null;
  let source = null;
  let startedAt = 0;
  let ticker = null;
  const stop = () => {
    if (source) source.stop();
    source = null;
    window.clearInterval(ticker);
    button.textContent = tr('result.loopPlay');
    button.setAttribute('aria-pressed', 'false');
    button.dataset.state = 'stopped';
  };
  const load = async () => {
    const response = await fetch(
      '/api/generations/' + encodeURIComponent(id) + '/audio?format=wav',
    );
    if (!response.ok) throw new Error(tr('error.generic'));
    const bytes = await response.arrayBuffer();
    loopPoints = readWavLoop(bytes);
    context = new Context();
    buffer = await context.decodeAudioData(bytes);
    if (!loopPoints) loopPoints = { start: 0, end: buffer.duration };
    button.dataset.loopStart = loopPoints.start.toFixed(3);
    button.dataset.loopEnd = loopPoints.end.toFixed(3);
  };
  button.addEventListener('click', async () => {
    if (source) return stop();
    button.disabled = true;
    try {
      if (!buffer) await load();
      await context.resume();
      player.pause();
      source = context.createBufferSource();
      source.buffer = buffer;
      source.loop = true;
      source.loopStart = loopPoints.start;
      source.loopEnd = loopPoints.end;
      source.connect(context.destination);
      startedAt = context.currentTime;
      source.start();
      button.textContent = tr('result.loopStop');
      button.setAttribute('aria-pressed', 'true');
      button.dataset.state = 'playing';
      const period = loopPoints.end - loopPoints.start;
      // How many times the loop has begun: the seam has been crossed passes − 1 times.
      ticker = window.setInterval(() => {
        const heard = context.currentTime - startedAt;
        const passes =
          heard < loopPoints.start ? 0 : Math.floor((heard - loopPoints.start) / period) + 1;
        button.dataset.passes = String(passes);
      }, 250);
    } catch (error) {
      showErrorIn(note, error);
    } finally {
      button.disabled = false;
    }
  });
  player.addEventListener('play', () => {
    if (source) stop();
  });
}

/** Decodes the MP3 with WebAudio and draws one peak per pixel column; shows playback progress. */
async function drawWaveform(url, player) {
  const canvas = document.getElementById('waveform');
  const response = await fetch(url);
  if (!response.ok) throw new Error('audio unavailable');
  const Offline = window.OfflineAudioContext || window.webkitOfflineAudioContext;
  const decoder = new Offline(1, 1, 44100);
  const buffer = await decoder.decodeAudioData(await response.arrayBuffer());
  const ratio = window.devicePixelRatio || 1;
  const width = Math.max(1, Math.floor(canvas.clientWidth * ratio));
  const height = Math.max(1, Math.floor(canvas.clientHeight * ratio));
  canvas.width = width;
  canvas.height = height;
  const peaks = computePeaks(buffer, width);
  const colours = window.getComputedStyle(canvas);
  const played = colours.getPropertyValue('--wave-played').trim() || '#ffb347';
  const rest = colours.getPropertyValue('--wave-rest').trim() || '#5b6285';
  const context = canvas.getContext('2d');
  const draw = () => {
    const progressX = player.duration ? (player.currentTime / player.duration) * width : 0;
    context.clearRect(0, 0, width, height);
    const mid = height / 2;
    for (let x = 0; x < width; x++) {
      const h = Math.max(1, peaks[x] * (height - 2));
      context.fillStyle = x <= progressX ? played : rest;
      context.fillRect(x, mid - h / 2, 1, h);
    }
  };
  // The waveform is also the seek bar (a slider for assistive technology and the keyboard);
  // seeking needs the server's Range support, which the audio endpoint has.
  const seekTo = (seconds) => {
    if (!player.duration) return;
    player.currentTime = Math.min(player.duration, Math.max(0, seconds));
  };
  const describe = () => {
    const format = (t) => Math.floor(t / 60) + ':' + String(Math.floor(t % 60)).padStart(2, '0');
    canvas.setAttribute('aria-valuemax', String(Math.round(player.duration || 0)));
    canvas.setAttribute('aria-valuenow', String(Math.round(player.currentTime)));
    canvas.setAttribute(
      'aria-valuetext',
      format(player.currentTime) + ' / ' + format(player.duration || 0),
    );
  };
  const update = () => {
    draw();
    describe();
  };
  update();
  player.addEventListener('timeupdate', update);
  player.addEventListener('seeked', update);
  player.addEventListener('loadedmetadata', update);
  canvas.addEventListener('click', (event) => {
    if (!player.duration) return;
    const rect = canvas.getBoundingClientRect();
    seekTo(((event.clientX - rect.left) / rect.width) * player.duration);
  });
  canvas.addEventListener('keydown', (event) => {
    const step = { ArrowLeft: -5, ArrowDown: -5, ArrowRight: 5, ArrowUp: 5 }[event.key];
    const page = (player.duration || 0) / 10;
    if (step !== undefined) seekTo(player.currentTime + step);
    else if (event.key === 'PageDown') seekTo(player.currentTime - page);
    else if (event.key === 'PageUp') seekTo(player.currentTime + page);
    else if (event.key === 'Home') seekTo(0);
    else if (event.key === 'End') seekTo(player.duration);
    else return;
    event.preventDefault();
  });
  canvas.dataset.drawn = String(peaks.length);
}

function computePeaks(buffer, columns) {
  const peaks = new Float32Array(columns);
  const channels = [];
  for (let c = 0; c < buffer.numberOfChannels; c++) channels.push(buffer.getChannelData(c));
  const per = Math.max(1, Math.floor(buffer.length / columns));
  let max = 0;
  for (let x = 0; x < columns; x++) {
    let peak = 0;
    const start = x * per;
    const end = Math.min(buffer.length, start + per);
    for (const data of channels) {
      for (let i = start; i < end; i++) {
        const v = Math.abs(data[i]);
        if (v > peak) peak = v;
      }
    }
    peaks[x] = peak;
    if (peak > max) max = peak;
  }
  if (max > 0) for (let x = 0; x < columns; x++) peaks[x] /= max;
  return peaks;
}

// ---------------------------------------------------------------------------------------------
// Account center

function setupAccountPage() {
  const nameForm = document.getElementById('name-form');
  if (!nameForm) return;

  nameForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const status = document.getElementById('name-status');
    const name = document.getElementById('account-name').value.trim();
    try {
      await api('/api/account', { method: 'PATCH', body: { name } });
      document.getElementById('account-name-shown').textContent = name;
      status.textContent = tr('account.saved');
      await refreshRequests();
    } catch (error) {
      showErrorIn(status, error);
    }
  });

  const exportButton = document.getElementById('export-button');
  exportButton.addEventListener('click', async () => {
    const status = document.getElementById('export-status');
    exportButton.disabled = true;
    status.textContent = tr('account.exportPending');
    try {
      let view = await api('/api/account/exports', { method: 'POST' });
      while (view.status === 'pending') {
        await new Promise((resolve) => setTimeout(resolve, 1000));
        view = await api('/api/account/exports/' + encodeURIComponent(view.id));
      }
      if (view.status !== 'ready') throw new Error(tr('account.exportFailed'));
      status.textContent = tr('account.exportReady');
      const link = document.getElementById('export-link');
      link.href = '/api/account/exports/' + encodeURIComponent(view.id) + '/download';
      document.getElementById('export-expiry').textContent = view.expiresAt
        ? tr('account.exportExpires', {
            date: new Date(view.expiresAt).toLocaleString(locale, {
              dateStyle: 'medium',
              timeStyle: 'short',
            }),
          })
        : '';
      show(document.getElementById('export-ready'), true);
      await refreshRequests();
    } catch (error) {
      showErrorIn(status, error);
    } finally {
      exportButton.disabled = false;
    }
  });

  const requestForm = document.getElementById('request-form');
  requestForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const status = document.getElementById('request-status');
    const kind = document.getElementById('request-kind').value;
    const message = document.getElementById('request-message').value.trim();
    try {
      const ticket = await api('/api/account/requests', {
        method: 'POST',
        // The page's language: replies to this request are mailed in it.
        body: message ? { kind, message, language: i18n.lang } : { kind, language: i18n.lang },
      });
      status.textContent =
        tr('kind.' + ticket.kind) + ' · ' + tr('account.due') + ' ' + ticket.dueDate;
      document.getElementById('request-message').value = '';
      await refreshRequests();
    } catch (error) {
      showErrorIn(status, error);
    }
  });

  const confirmInput = document.getElementById('cancel-confirm');
  const cancelButton = document.getElementById('cancel-button');
  const confirmed = () => confirmInput.value.trim().toLowerCase() === 'cancel my account';
  confirmInput.addEventListener('input', () => {
    cancelButton.disabled = !confirmed();
  });
  document.getElementById('cancel-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!confirmed()) return;
    const status = document.getElementById('cancel-status');
    cancelButton.disabled = true;
    try {
      await api('/api/account/cancel', { method: 'POST', body: { confirm: 'cancel my account' } });
      status.textContent = tr('account.cancelled');
      setTimeout(() => window.location.assign('/'), 1500);
    } catch (error) {
      showErrorIn(status, error);
      cancelButton.disabled = false;
    }
  });
}

async function refreshRequests() {
  const { requests } = await api('/api/account/requests');
  const body = document.getElementById('requests-body');
  const rows = requests.flatMap((r) => {
    const row = document.createElement('tr');
    const cells = [
      tr('kind.' + r.kind),
      new Date(r.createdAt).toLocaleDateString(locale, { dateStyle: 'medium' }),
      r.dueDate,
      tr('reqStatus.' + r.status),
    ];
    for (const text of cells) {
      const cell = document.createElement('td');
      cell.textContent = text;
      row.appendChild(cell);
    }
    if (!r.replies || r.replies.length === 0) return [row];
    // Staff answers under their request, as the server renders them (account.view.ts).
    const repliesRow = document.createElement('tr');
    repliesRow.className = 'request-replies';
    const cell = document.createElement('td');
    cell.colSpan = 4;
    for (const reply of r.replies) {
      const box = document.createElement('div');
      box.className = 'request-reply';
      const when = document.createElement('p');
      when.className = 'muted';
      when.textContent = tr('account.reply', {
        date: new Date(reply.createdAt).toLocaleString(locale, {
          dateStyle: 'medium',
          timeStyle: 'short',
        }),
      });
      const text = document.createElement('p');
      text.className = 'reply-text';
      text.textContent = reply.message;
      box.append(when, text);
      cell.appendChild(box);
    }
    repliesRow.appendChild(cell);
    return [row, repliesRow];
  });
  if (rows.length > 0) body.replaceChildren(...rows);
}

/**
 * Times in the reader's own time zone and the page's language. The server writes
 * `<time datetime="ISO">` where it can; older markup has "1 Dec 2026, 07:22 UTC" /
 * "2026年12月1日 07:22 UTC" (its formatDateTime), which is read back and rewritten too.
 */
function localiseTimes(root = document.getElementById('main')) {
  if (!root) return;
  const format = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  for (const element of root.querySelectorAll('time[datetime]')) {
    const date = new Date(element.getAttribute('datetime'));
    if (Number.isNaN(date.getTime()) || !element.getAttribute('datetime').includes('T')) continue;
    element.textContent = format.format(date);
    element.title = date.toISOString();
  }
  const months = [
    'Jan',
    'Feb',
    'Mar',
    'Apr',
    'May',
    'Jun',
    'Jul',
    'Aug',
    'Sep',
    'Oct',
    'Nov',
    'Dec',
  ];
  const patterns = [
    [
      /(\d{1,2}) ([A-Z][a-z]{2,3}) (\d{4}),? (\d{2}):(\d{2}) UTC/g,
      (m) => [m[3], months.indexOf(m[2].slice(0, 3)), m[1], m[4], m[5]],
    ],
    [
      /(\d{4})年(\d{1,2})月(\d{1,2})日 ?(\d{2}):(\d{2}) UTC/g,
      (m) => [m[1], Number(m[2]) - 1, m[3], m[4], m[5]],
    ],
  ];
  const walker = document.createTreeWalker(root, window.NodeFilter.SHOW_TEXT);
  const nodes = [];
  while (walker.nextNode())
    if (walker.currentNode.nodeValue.includes('UTC')) nodes.push(walker.currentNode);
  for (const node of nodes) {
    let text = node.nodeValue;
    for (const [pattern, parts] of patterns) {
      text = text.replace(pattern, (...match) => {
        const [year, month, day, hour, minute] = parts(match).map(Number);
        if (month < 0) return match[0];
        return format.format(new Date(Date.UTC(year, month, day, hour, minute)));
      });
    }
    if (text !== node.nodeValue) node.nodeValue = text;
  }
}

/**
 * A language chosen without the optional preference cookie travels in the URL (?lang=zh), as
 * the policy allows: every link to our pages and every "return to" carries it on, so the next
 * click stays in the chosen language.
 */
function keepLanguageInLinks() {
  const lang = new URL(location.href).searchParams.get('lang');
  if (lang !== 'zh' && lang !== 'en') return;
  const withLang = (target) => {
    if (!target.startsWith('/') || target.startsWith('//')) return null;
    const url = new URL(target, location.origin);
    if (url.pathname.startsWith('/api/') || url.pathname.startsWith('/assets/')) return null;
    if (url.pathname.startsWith('/auth/') || url.searchParams.has('lang')) return null;
    url.searchParams.set('lang', lang);
    return url.pathname + url.search + url.hash;
  };
  for (const link of document.querySelectorAll('a[href]')) {
    const next = withLang(link.getAttribute('href'));
    if (next) link.setAttribute('href', next);
  }
  for (const input of document.querySelectorAll('input[name="returnTo"]')) {
    const next = withLang(input.value);
    if (next) input.value = next;
  }
}

/**
 * The library: palette thumbnails painted; the style and mood filters (a group is shown when
 * one of its pieces matches both, so variations follow their original); rename and delete.
 */
function setupLibrary() {
  for (const swatch of document.querySelectorAll('.thumb [data-hex]')) {
    swatch.style.backgroundColor = swatch.dataset.hex;
    swatch.style.flexGrow = swatch.dataset.share;
  }
  const table = document.getElementById('library');
  if (!table) return;
  const filters = ['style', 'mood']
    .map((name) => [name, document.getElementById('library-' + name)])
    .filter(([, select]) => select);
  const applyFilters = () => {
    const rows = [...table.querySelectorAll('tbody tr')];
    const shown = new Set(
      rows
        .filter((row) =>
          filters.every(([name, select]) => !select.value || row.dataset[name] === select.value),
        )
        .map((row) => row.dataset.group),
    );
    for (const row of rows) row.hidden = !shown.has(row.dataset.group);
  };
  for (const [, select] of filters) select.addEventListener('change', applyFilters);

  table.addEventListener('click', (event) => {
    const target = event.target instanceof window.Element ? event.target : null;
    const row = target?.closest('tr');
    if (!row) return;
    if (target.closest('.rename')) openRename(row);
    else if (target.closest('.rename-cancel')) closeRename(row);
    else if (target.closest('.delete-row')) deleteRow(row, target.closest('.delete-row'));
  });
  table.addEventListener('submit', (event) => {
    const form =
      event.target instanceof window.Element ? event.target.closest('.rename-form') : null;
    if (!form) return;
    event.preventDefault();
    saveRename(form.closest('tr'), form);
  });

  function openRename(row) {
    const form = row.querySelector('.rename-form');
    show(form, true);
    show(row.querySelector('.row-actions'), false);
    form.querySelector('input').focus();
  }
  function closeRename(row) {
    show(row.querySelector('.rename-form'), false);
    show(row.querySelector('.row-actions'), true);
    row.querySelector('.rename')?.focus();
  }
  async function saveRename(row, form) {
    const input = form.querySelector('input');
    const error = form.querySelector('.rename-error');
    const submit = form.querySelector('button[type="submit"]');
    submit.disabled = true;
    show(error, false);
    try {
      const view = await api('/api/generations/' + encodeURIComponent(row.dataset.id), {
        method: 'PATCH',
        body: { title: input.value },
      });
      const title = view.title ?? input.placeholder;
      input.value = view.title ?? '';
      row.querySelector('.piece-title').textContent = title;
      row.querySelector('audio')?.setAttribute('aria-label', title);
      row
        .querySelector('.rename')
        ?.setAttribute('aria-label', tr('library.renameLabel', { title }));
      row
        .querySelector('.delete-row')
        ?.setAttribute('aria-label', tr('library.deleteLabel', { title }));
      closeRename(row);
    } catch (failure) {
      error.textContent = failure.message;
      show(error, true);
    } finally {
      submit.disabled = false;
    }
  }
  // The same deletion as the result page's: DELETE with the CSRF token, after a confirmation.
  async function deleteRow(row, button) {
    const title = row.querySelector('.piece-title').textContent;
    if (!window.confirm(tr('library.confirmDelete', { title }))) return;
    const error = row.querySelector('.delete-error');
    button.disabled = true;
    show(error, false);
    try {
      await api('/api/generations/' + encodeURIComponent(row.dataset.id), { method: 'DELETE' });
      announce(tr('library.deleted', { title }));
      row.remove();
    } catch (failure) {
      error.textContent = failure.message;
      show(error, true);
      button.disabled = false;
    }
  }
  function announce(text) {
    let status = document.getElementById('library-status');
    if (!status) {
      status = document.createElement('p');
      status.id = 'library-status';
      status.className = 'muted';
      status.setAttribute('role', 'status');
      table.closest('.table-wrap')?.before(status);
    }
    status.textContent = text;
  }
}

/** Two versions side by side: each column follows its piece and shows it when it is ready. */
function setupCompare() {
  for (const piece of document.querySelectorAll('.compare-piece')) {
    const id = piece.dataset.id;
    const stage = piece.querySelector('.compare-stage');
    let shown = false;
    watchGeneration(
      id,
      (view) => {
        stage.textContent = tr('stage.' + view.stage);
        if (view.status === 'failed') {
          stage.textContent = view.error ? view.error.message : tr('result.failed');
        }
        if (view.status !== 'done' || shown) return;
        shown = true;
        show(piece.querySelector('.compare-result'), true);
        const player = piece.querySelector('audio');
        if (view.downloadable) {
          player.src = '/api/generations/' + encodeURIComponent(id) + '/audio?format=mp3';
        }
        if (view.plan) {
          piece.querySelector('.compare-summary').textContent =
            view.plan.key +
            ' · ' +
            view.plan.tempo +
            ' BPM · ' +
            tr('style.' + view.plan.style) +
            ' · ' +
            tr('compare.seed', { seed: view.seed });
          const story = view.plan.story?.summary?.[i18n.lang] ?? view.plan.explanation;
          piece.querySelector('.compare-explanation').textContent = story;
        }
      },
      (error) => {
        stage.textContent = error.message;
      },
    );
  }
}

document.addEventListener('DOMContentLoaded', () => {
  keepLanguageInLinks();
  setupLibrary();
  localiseTimes();
  setupCreateForm();
  setupGenerationPage();
  setupCompare();
  setupAccountPage();
});
