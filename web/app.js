// Progressive enhancement: the upload form also works without JavaScript.
const stages = ['queued', 'analysing', 'composing', 'rendering', 'encoding', 'storing', 'done'];
const stageLabels = {
  queued: 'Waiting for a free worker',
  analysing: 'Analysing the image',
  composing: 'Composing',
  rendering: 'Rendering the instruments',
  encoding: 'Encoding the MP3',
  storing: 'Saving',
  done: 'Ready',
  failed: 'Failed',
};

function csrfToken() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  return meta ? meta.getAttribute('content') : '';
}

async function submitForm(body, idempotencyKey) {
  const response = await fetch('/api/generations', {
    method: 'POST',
    body,
    headers: {
      'x-csrf-token': csrfToken(),
      'idempotency-key': idempotencyKey,
      accept: 'application/json',
    },
  });
  const payload = await response.json();
  if (!response.ok) throw new Error(payload.error ? payload.error.message : 'upload failed');
  window.location.assign('/generations/' + payload.id);
}

function setupCreateForm() {
  const form = document.getElementById('create-form');
  if (!form) return;
  const errorBox = document.getElementById('form-error');
  let submitting = false;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (submitting) return; // a double click submits once
    submitting = true;
    const button = form.querySelector('button[type="submit"]');
    button.disabled = true;
    errorBox.hidden = true;
    const body = new FormData(form);
    const idempotencyKey = window.crypto.randomUUID();
    submitForm(body, idempotencyKey).catch((error) => {
      errorBox.textContent = error.message;
      errorBox.hidden = false;
      submitting = false;
      button.disabled = false;
    });
  });
}

function setupGenerationPage() {
  const section = document.getElementById('generation');
  if (!section) return;
  const id = section.dataset.id;
  const stage = document.getElementById('stage');
  const progress = document.getElementById('progress');
  const poll = async () => {
    const response = await fetch('/api/generations/' + encodeURIComponent(id), {
      headers: { accept: 'application/json' },
    });
    const view = await response.json();
    if (!response.ok) throw new Error(view.error ? view.error.message : 'could not load');
    render(view);
    if (view.status === 'queued' || view.status === 'running') setTimeout(safePoll, 1000);
  };
  const safePoll = () => {
    poll().catch((error) => {
      stage.textContent = error.message;
    });
  };
  const render = (view) => {
    stage.textContent = stageLabels[view.stage] || view.stage;
    progress.value = Math.max(0, stages.indexOf(view.stage));
    if (view.status === 'done') {
      progress.hidden = true;
      const result = document.getElementById('result');
      result.hidden = false;
      if (view.downloadable) {
        const url = '/api/generations/' + encodeURIComponent(id) + '/audio';
        document.getElementById('player').src = url;
        document.getElementById('download').href = url;
      } else {
        document.getElementById('download').hidden = true;
        document.getElementById('player').hidden = true;
      }
      if (view.plan) {
        document.getElementById('summary').textContent =
          view.plan.key + ' · ' + view.plan.tempo + ' BPM · ' + view.plan.style;
        document.getElementById('explanation').textContent = view.plan.explanation;
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
      if (view.expiresAt) {
        document.getElementById('expiry').textContent =
          'This file is deleted at ' + new Date(view.expiresAt).toLocaleString() + '.';
      }
    }
    if (view.status === 'failed') {
      progress.hidden = true;
      const failure = document.getElementById('failure');
      failure.textContent = view.error ? view.error.message : 'The generation failed.';
      failure.hidden = false;
    }
  };
  safePoll();
}

document.addEventListener('DOMContentLoaded', () => {
  setupCreateForm();
  setupGenerationPage();
});
