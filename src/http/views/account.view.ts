import { dataInventory } from '../../modules/privacy/data-inventory.js';
import type { RightsRequestView } from '../../modules/privacy/rights-requests.service.js';
import { html, type SafeHtml } from '../html.js';
import { formatDate, formatDateTime, t, tDynamic, translateInventory, type Lang } from '../i18n.js';

/** Kinds a user can file from the account center (the others are recorded by the service). */
const fileableKinds = [
  'access',
  'correction',
  'deletion',
  'withdraw_consent',
  'complaint',
  'other',
] as const;

export interface AccountPageView {
  email: string;
  name: string;
  createdAt: Date;
  requests: RightsRequestView[];
}

/** The account center: data held, export, rights requests, consent and cancelling. */
export function accountPage(lang: Lang, view: AccountPageView): SafeHtml {
  const inventory = translateInventory(lang, dataInventory);
  return html`<h1>${t(lang, 'account.title')}</h1>
    <section class="card" aria-labelledby="data-title">
      <h2 id="data-title">${t(lang, 'account.data')}</h2>
      <dl class="facts">
        <dt>${t(lang, 'account.email')}</dt>
        <dd id="account-email">${view.email}</dd>
        <dt>${t(lang, 'account.name')}</dt>
        <dd id="account-name-shown">${view.name}</dd>
        <dt>${t(lang, 'account.since')}</dt>
        <dd>${formatDate(lang, view.createdAt)}</dd>
      </dl>
      <form id="name-form" class="inline-form">
        <label for="account-name">${t(lang, 'account.correct')}</label>
        <div class="range-row">
          <input id="account-name" name="name" type="text" maxlength="400" value="${view.name}" />
          <button type="submit">${t(lang, 'account.save')}</button>
        </div>
        <p id="name-status" role="status" class="muted"></p>
      </form>
      <p id="provider-fields" class="muted">${t(lang, 'account.fromProvider')}</p>
      <h3>${t(lang, 'account.stored')}</h3>
      <div class="table-wrap">
        <table class="table" id="inventory">
          <thead>
            <tr>
              <th scope="col">${t(lang, 'account.what')}</th>
              <th scope="col">${t(lang, 'account.why')}</th>
              <th scope="col">${t(lang, 'account.howLong')}</th>
            </tr>
          </thead>
          <tbody>
            ${inventory.map(
              (item) =>
                html`<tr>
                  <td>${item.what}</td>
                  <td>${item.why}</td>
                  <td>${item.retention}</td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>
    </section>
    <section class="card" aria-labelledby="export-title">
      <h2 id="export-title">${t(lang, 'account.export')}</h2>
      <p>${t(lang, 'account.exportBody')}</p>
      <p><button type="button" id="export-button">${t(lang, 'account.exportButton')}</button></p>
      <p id="export-status" role="status"></p>
      <p id="export-ready" hidden>
        <a id="export-link" class="button" href="#" download
          >${t(lang, 'account.exportDownload')}</a
        >
        <span id="export-expiry" class="muted"></span>
      </p>
    </section>
    <section class="card" aria-labelledby="requests-title">
      <h2 id="requests-title">${t(lang, 'account.requests')}</h2>
      <p>${t(lang, 'account.requestsBody')}</p>
      <form id="request-form" class="request-form">
        <div class="field">
          <label for="request-kind">${t(lang, 'account.kind')}</label>
          <select id="request-kind" name="kind">
            ${fileableKinds.map((k) => html`<option value="${k}">${t(lang, `kind.${k}`)}</option>`)}
          </select>
        </div>
        <div class="field">
          <label for="request-message">${t(lang, 'account.message')}</label>
          <textarea id="request-message" name="message" rows="3" maxlength="4000"></textarea>
        </div>
        <p><button type="submit">${t(lang, 'account.fileRequest')}</button></p>
        <p id="request-status" role="status" class="muted"></p>
      </form>
      <div class="table-wrap">
        <table class="table" id="requests">
          <thead>
            <tr>
              <th scope="col">${t(lang, 'account.kind')}</th>
              <th scope="col">${t(lang, 'account.filed')}</th>
              <th scope="col">${t(lang, 'account.due')}</th>
              <th scope="col">${t(lang, 'account.status')}</th>
            </tr>
          </thead>
          <tbody id="requests-body">
            ${
              view.requests.length === 0
                ? html`<tr>
                    <td colspan="4" class="muted">${t(lang, 'account.noRequests')}</td>
                  </tr>`
                : view.requests.map(
                    (r) =>
                      html`<tr>
                          <td>${tDynamic(lang, `kind.${r.kind}`, r.kind)}</td>
                          <td>${formatDate(lang, r.createdAt)}</td>
                          <td>${r.dueDate}</td>
                          <td>${tDynamic(lang, `reqStatus.${r.status}`, r.status)}</td>
                        </tr>
                        ${r.replies.length === 0 ? '' : requestReplies(lang, r)}`,
                  )
            }
          </tbody>
        </table>
      </div>
    </section>
    <section class="card" aria-labelledby="consent-title-account">
      <h2 id="consent-title-account">${t(lang, 'account.consent')}</h2>
      <p>${t(lang, 'account.consentBody')}</p>
      <p>
        <a href="/cookies">${t(lang, 'account.consentLink')}</a> ·
        <a href="/privacy${lang === 'zh' ? '?lang=zh' : ''}">${t(lang, 'account.policyLink')}</a>
      </p>
    </section>
    <section class="card danger-zone" aria-labelledby="cancel-title">
      <h2 id="cancel-title">${t(lang, 'account.cancel')}</h2>
      <p>${t(lang, 'account.cancelBody')}</p>
      <form id="cancel-form">
        <label for="cancel-confirm">${t(lang, 'account.cancelConfirm')}</label>
        <div class="range-row">
          <input id="cancel-confirm" type="text" autocomplete="off" spellcheck="false" />
          <button type="submit" id="cancel-button" class="danger" disabled>
            ${t(lang, 'account.cancelButton')}
          </button>
        </div>
        <p id="cancel-status" role="status"></p>
      </form>
    </section>`;
}

/** Staff answers under their request, oldest first. */
function requestReplies(lang: Lang, r: RightsRequestView): SafeHtml {
  return html`<tr class="request-replies">
    <td colspan="4">
      ${r.replies.map(
        (reply) =>
          html`<div class="request-reply">
            <p class="muted">
              ${t(lang, 'account.reply', { date: formatDateTime(lang, reply.createdAt) })}
            </p>
            <p class="reply-text">${reply.message}</p>
          </div>`,
      )}
    </td>
  </tr>`;
}
