/**
 * What we keep about a user, why, and for how long: shown in the account center ("see my data")
 * and written into exports. Wording follows the published privacy policy.
 */
export interface StoredDataItem {
  what: string;
  why: string;
  retention: string;
}

export const dataInventory: StoredDataItem[] = [
  {
    what: 'Sign-in identity: issuer and subject identifier, email, name, avatar URL',
    why: 'to let you sign in and to show your account',
    retention: 'while your account exists; deleted when you cancel it',
  },
  {
    what: 'Uploaded images and descriptions',
    why: 'only to generate your music',
    retention: 'deleted when generation ends, and at the latest 72 hours after upload',
  },
  {
    // Listed although nothing is kept, because people ask what the analysis looks at; the music
    // engine enforces "not stored" (src/music/perception/image-perception.ts, toStoredPerception).
    what: 'What the image analysis looks at: objects, the kind of scene, people, and faces with their expressions',
    why: 'only to choose the mood, style and instruments of your music; the explanation may name objects and the scene and count people, never describe a face',
    retention:
      'never stored: read in memory while your music is generated, then discarded; no face, face measurement or expression is kept',
  },
  {
    what: 'Generated music and its explanation',
    why: 'for you to play and download',
    retention: 'deleted 24 hours after generation',
  },
  {
    what: 'Sessions (a hashed token, start and expiry time)',
    why: 'to keep you signed in',
    retention: 'until you sign out or the session expires',
  },
  {
    what: 'Request counts for sign-in and upload limits (a keyed hash of your account or IP address, never the address itself)',
    why: 'to stop password-guessing floods and runaway uploads',
    retention: 'until the limit window ends (one minute by default), then deleted within 5 minutes',
  },
  {
    what: 'Records of your pieces: settings (length, seed, style choices), status and times',
    why: 'to show your library and to settle the credits each piece cost',
    retention:
      'deleted 6 months after the piece was made, or at once when you delete it or cancel your account',
  },
  {
    what: 'Credit records: every credit movement, and your purchases (pack, amount, currency, status, Stripe order references)',
    why: 'to keep your balance right and to prove payments',
    retention:
      'while your account exists; when you cancel, the movements are deleted and purchases are kept without your account id, as the law requires',
  },
  {
    what: 'Requests and complaints you file (kind, status and dates; the text is encrypted)',
    why: 'to answer them within 15 business days and to show that we did',
    retention:
      'deleted 6 months after they are answered; when you cancel, kept without any link to you for up to 6 months',
  },
  {
    what: 'Data exports (the ZIP is encrypted)',
    why: 'for you to download a copy of your data',
    retention:
      'the ZIP is deleted 24 hours after it is ready, and at once when you cancel; the record of the export after 6 months',
  },
  {
    what: 'Staff access log (which staff member read which account, and when)',
    why: 'to prove that staff see personal data only when their role allows it',
    retention: '6 months, then deleted',
  },
  {
    what: "Server logs (time, path, status, request id, and your account's random id when signed in)",
    why: 'to find and fix faults and abuse',
    retention:
      'deleted by the operator within 6 months; they never contain your uploads, email or name',
  },
  {
    what: 'Cookie choices (purpose, granted or denied, policy version, time) the privacy policy versions you accepted, and which policy-change notices we emailed you',
    why: 'to respect and prove your choices',
    retention:
      'cookie choices for 6 months; acceptances while your account exists; both deleted when you cancel it',
  },
];

/**
 * How each stored column is kept, for every table of the service (the `pgboss` queue's own
 * tables aside: its jobs carry ids only, and it deletes them itself). `encrypted`: sealed with
 * the owner's data key (db/encrypted-columns.ts) or, for the keyring, wrapped by the master key;
 * `hashed`: only a hash or keyed hash is stored; `clear`: stored as is. The privacy policy's
 * "What is encrypted, and what is not" section is checked against this map, and the map
 * against the database (test/integration/stored-data-claims.test.ts): a new column has to be
 * classified here before the tests pass.
 */
export type ColumnProtection = 'encrypted' | 'hashed' | 'clear';

export const storedColumns: Record<string, Record<string, ColumnProtection>> = {
  users: {
    id: 'clear',
    oidc_issuer: 'clear',
    oidc_subject: 'clear',
    email_enc: 'encrypted',
    name_enc: 'encrypted',
    avatar_url_enc: 'encrypted',
    created_at: 'clear',
    last_login_at: 'clear',
    // When the user last corrected their name (then sign-in keeps it); a time, nothing else.
    name_edited_at: 'clear',
  },
  'keyring.user_keys': {
    user_id: 'clear',
    wrapped_key: 'encrypted',
    master_key_id: 'clear',
    created_at: 'clear',
  },
  sessions: {
    id_hash: 'hashed',
    user_id: 'clear',
    // A random per-session token, not personal data; it proves a form came from the page.
    csrf_token: 'clear',
    created_at: 'clear',
    expires_at: 'clear',
    last_seen_at: 'clear',
  },
  // Minutes-long sign-in state, before any account is known (so no user key exists yet).
  oidc_logins: {
    state_hash: 'hashed',
    code_verifier: 'clear',
    nonce: 'clear',
    return_to: 'clear',
    created_at: 'clear',
    expires_at: 'clear',
  },
  generations: {
    id: 'clear',
    user_id: 'clear',
    status: 'clear',
    stage: 'clear',
    seed: 'clear',
    seconds: 'clear',
    idempotency_key: 'clear',
    input_object: 'clear',
    input_mime: 'clear',
    text_enc: 'encrypted',
    output_object: 'clear',
    output_bytes: 'clear',
    controls: 'clear',
    parent_id: 'clear',
    recipe_enc: 'encrypted',
    run_job_id: 'clear',
    plan_enc: 'encrypted',
    // The owner's own name for a piece: user text, so sealed like the description.
    title_enc: 'encrypted',
    derivation: 'clear',
    error_code: 'clear',
    attempts: 'clear',
    created_at: 'clear',
    started_at: 'clear',
    finished_at: 'clear',
    input_expires_at: 'clear',
    output_expires_at: 'clear',
  },
  credit_accounts: { user_id: 'clear', created_at: 'clear' },
  credit_ledger: {
    id: 'clear',
    user_id: 'clear',
    seq: 'clear',
    kind: 'clear',
    amount: 'clear',
    balance_after: 'clear',
    entry_key: 'clear',
    reason: 'clear',
    note_enc: 'encrypted',
    generation_id: 'clear',
    purchase_id: 'clear',
    shortfall: 'clear',
    created_at: 'clear',
  },
  credit_purchases: {
    id: 'clear',
    user_id: 'clear',
    provider: 'clear',
    pack_id: 'clear',
    credits: 'clear',
    amount_cents: 'clear',
    currency: 'clear',
    status: 'clear',
    checkout_session_id: 'clear',
    payment_intent_id: 'clear',
    payment_status: 'clear',
    refunded_cents: 'clear',
    credits_refunded: 'clear',
    created_at: 'clear',
    paid_at: 'clear',
    updated_at: 'clear',
  },
  payment_events: { event_id: 'clear', type: 'clear', outcome: 'clear', received_at: 'clear' },
  rights_requests: {
    id: 'clear',
    user_id: 'clear',
    kind: 'clear',
    status: 'clear',
    message_enc: 'encrypted',
    created_at: 'clear',
    due_at: 'clear',
    due_date: 'clear',
    closed_at: 'clear',
    language: 'clear',
    near_due_alerted_at: 'clear',
    overdue_alerted_at: 'clear',
  },
  // Staff answers to a request, sealed with the requester's key (or the contact message's).
  rights_request_replies: {
    id: 'clear',
    request_id: 'clear',
    staff_user_id: 'clear',
    message_enc: 'encrypted',
    created_at: 'clear',
  },
  // The contact form (no account): sealed with the message's own key, wrapped by the master key.
  contact_messages: {
    id: 'clear',
    kind: 'clear',
    status: 'clear',
    lang: 'clear',
    email_enc: 'encrypted',
    name_enc: 'encrypted',
    message_enc: 'encrypted',
    token_enc: 'encrypted',
    // The link's token and the address are looked up by keyed hash (no enumeration, mail caps).
    token_hash: 'hashed',
    email_hash: 'hashed',
    created_at: 'clear',
    expires_at: 'clear',
    verified_at: 'clear',
    request_id: 'clear',
  },
  'keyring.contact_keys': {
    contact_id: 'clear',
    wrapped_key: 'encrypted',
    master_key_id: 'clear',
    created_at: 'clear',
  },
  data_exports: {
    id: 'clear',
    user_id: 'clear',
    request_id: 'clear',
    status: 'clear',
    // The ZIP itself is an encrypted object in the blob store; this is its key (ids only).
    object_key: 'clear',
    bytes: 'clear',
    created_at: 'clear',
    ready_at: 'clear',
    expires_at: 'clear',
  },
  staff_roles: { user_id: 'clear', role: 'clear', granted_at: 'clear', granted_by: 'clear' },
  staff_audit_log: {
    seq: 'clear',
    at: 'clear',
    staff_user_id: 'clear',
    staff_role: 'clear',
    action: 'clear',
    subject_user_id: 'clear',
    resource: 'clear',
    request_id: 'clear',
    prev_hash: 'clear',
    hash: 'clear',
  },
  staff_audit_checkpoints: { seq: 'clear', hash: 'clear', created_at: 'clear' },
  consent_log: {
    id: 'clear',
    user_id: 'clear',
    anonymous_id: 'clear',
    purpose: 'clear',
    decision: 'clear',
    policy_version: 'clear',
    decided_at: 'clear',
  },
  policy_acceptances: { user_id: 'clear', version: 'clear', accepted_at: 'clear' },
  policy_notices: {
    user_id: 'clear',
    version: 'clear',
    status: 'clear',
    created_at: 'clear',
    claimed_at: 'clear',
    sent_at: 'clear',
  },
  rate_limit_counters: { key_hash: 'hashed', hits: 'clear', window_ends_at: 'clear' },
  job_claims: { job_id: 'clear', queue: 'clear', worker_lease: 'clear', claimed_at: 'clear' },
  sweep_cursors: { name: 'clear', after_key: 'clear', updated_at: 'clear' },
};

/**
 * The lines of the published policy's "What is encrypted, and what is not" section, each with
 * the columns it speaks for. A test holds the policy in force to these: every line is in its
 * text (EN and ZH), every column it names is kept as the line says, and every encrypted column
 * of the map is named by some encrypted line (so the policy leaves none out).
 */
export interface EncryptionClaim {
  protection: 'encrypted' | 'clear';
  en: string;
  zh: string;
  columns: readonly string[];
}

export const encryptionClaims: readonly EncryptionClaim[] = [
  {
    protection: 'encrypted',
    en: 'your email address, name and avatar URL',
    zh: '您的电子邮箱、姓名和头像地址',
    columns: ['users.email_enc', 'users.name_enc', 'users.avatar_url_enc'],
  },
  {
    protection: 'encrypted',
    en: 'uploaded images and descriptions',
    zh: '上传的图片和描述',
    columns: ['generations.text_enc'],
  },
  {
    protection: 'encrypted',
    en: 'the generated music, its plan and explanation, and your data exports',
    zh: '生成的音乐、创作方案和说明，以及您的数据导出文件',
    columns: ['generations.plan_enc', 'generations.recipe_enc'],
  },
  {
    protection: 'encrypted',
    en: 'the titles you give your pieces',
    zh: '您为作品起的标题',
    columns: ['generations.title_enc'],
  },
  {
    protection: 'encrypted',
    en: 'the text of your requests and complaints, and our replies',
    zh: '您提交的请求和投诉的文字，以及我们的答复',
    columns: ['rights_requests.message_enc', 'rights_request_replies.message_enc'],
  },
  {
    protection: 'encrypted',
    en: 'what you send through the contact form without an account: your address, name and message',
    zh: '不登录时通过联系表单发送的内容：您的邮箱地址、姓名和留言',
    columns: [
      'contact_messages.email_enc',
      'contact_messages.name_enc',
      'contact_messages.message_enc',
      'contact_messages.token_enc',
    ],
  },
  {
    protection: 'encrypted',
    en: 'the note a staff member writes when correcting your credits',
    zh: '员工更正您的点数时写下的备注',
    columns: ['credit_ledger.note_enc'],
  },
  {
    protection: 'encrypted',
    en: 'each user, and each stored object, has its own data key, wrapped by a master key',
    zh: '每位用户以及每个存储对象都有自己的数据密钥，由主密钥加密保护',
    columns: ['keyring.user_keys.wrapped_key', 'keyring.contact_keys.wrapped_key'],
  },
  {
    protection: 'clear',
    en: "the provider's issuer and your subject identifier (to find your account when you sign in) and the time of your last sign-in",
    zh: '身份提供方标识和您的用户标识（用于在您登录时找到您的账户），以及您最近一次登录的时间',
    columns: ['users.oidc_issuer', 'users.oidc_subject', 'users.last_login_at'],
  },
  {
    protection: 'clear',
    en: "credit records: each entry's kind, amount, resulting balance, reason code, time, and the piece or purchase it belongs to",
    zh: '点数记录：每笔记录的类型、数量、变动后的余额、原因代码、时间，以及所属的作品或购买',
    columns: [
      'credit_ledger.kind',
      'credit_ledger.amount',
      'credit_ledger.balance_after',
      'credit_ledger.reason',
      'credit_ledger.created_at',
      'credit_ledger.generation_id',
      'credit_ledger.purchase_id',
    ],
  },
  {
    protection: 'clear',
    en: "purchases: pack, amount, currency, status, times and Stripe's order references",
    zh: '购买记录：点数包、金额、币种、状态、时间和 Stripe 订单编号',
    columns: [
      'credit_purchases.pack_id',
      'credit_purchases.amount_cents',
      'credit_purchases.currency',
      'credit_purchases.status',
      'credit_purchases.paid_at',
      'credit_purchases.checkout_session_id',
      'credit_purchases.payment_intent_id',
    ],
  },
  {
    protection: 'clear',
    en: 'the settings and status of your pieces, your cookie choices, policy acceptances and notices, and the kind, status and dates of your requests',
    zh: '您作品的设置和状态、您的 Cookie 选择、政策接受记录和通知记录，以及您请求的类型、状态和日期',
    columns: [
      'generations.controls',
      'generations.seed',
      'generations.seconds',
      'generations.status',
      'consent_log.decision',
      'policy_acceptances.version',
      'policy_notices.status',
      'rights_requests.kind',
      'rights_requests.status',
      'rights_requests.created_at',
    ],
  },
];
