import { styleNames } from './style-names.js';

/** The English catalogue: its keys are the catalogue's keys (zh.ts must have every one). */
export const en = {
  'site.name': 'Instune',
  'nav.label': 'Main',
  'nav.create': 'Create',
  'nav.library': 'Library',
  'nav.credits': 'Credits',
  'nav.account': 'Account',
  'nav.signOut': 'Sign out',
  'nav.signIn': 'Sign in',
  'nav.skip': 'Skip to content',
  'errorPage.notFound.title': 'Page not found',
  'errorPage.notFound.body':
    'There is nothing at this address. The link may be mistyped, or the piece may have been deleted (music is kept 24 hours).',
  'errorPage.signIn.title': 'Please sign in',
  'errorPage.signIn.body': 'This page belongs to an account. Sign in to see it.',
  'errorPage.signInAction': 'Sign in',
  'errorPage.forbidden.title': 'Not allowed',
  'errorPage.forbidden.body': 'Your account cannot open this page.',
  'errorPage.gone.title': 'No longer here',
  'errorPage.gone.body':
    'This was deleted as our privacy policy promises: music after 24 hours, pictures once the music is made.',
  'errorPage.tooMany.title': 'Too many requests',
  'errorPage.tooMany.body':
    'You have sent a lot of requests in a short time. Wait a minute, then try again.',
  'errorPage.unavailable.title': 'Back in a moment',
  'errorPage.unavailable.body':
    'The service is briefly out of reach (our database is restarting). Reload this page in a few seconds; if you were sending something, send it again.',
  'errorPage.broken.title': 'Something went wrong',
  'errorPage.broken.body':
    'This is our fault, not yours. Try again in a moment; if it keeps happening, write to us and quote the reference below.',
  'errorPage.home': 'Back to the start',
  'errorPage.reference': 'Reference: {status} · {id}',
  'footer.ai':
    'Music made here is AI-generated (AI生成). Uploaded images and text are deleted after generation; generated music after 24 hours.',

  'landing.title': 'Turn a picture into music',
  'landing.lead':
    'Upload a photo or a painting, add a few words if you like, and Instune composes an original piece that follows its colours, light and mood.',
  'landing.signIn': 'Sign in to start',
  'landing.accept': 'By signing in you accept our',
  'landing.privacyLink': 'privacy policy',
  'landing.how': 'How it works',
  'landing.step1.title': 'Upload a picture',
  'landing.step1.body': 'A photo, a drawing or a painting — JPEG, PNG or WebP.',
  'landing.step2.title': 'Say how it should feel',
  'landing.step2.body':
    'Optionally add words, a mood, a style, a tempo or an instrument. Your words win over the picture.',
  'landing.step3.title': 'Listen and download',
  'landing.step3.body':
    'In seconds you get an original piece with an explanation of why it sounds that way, as MP3, WAV and MIDI.',
  'landing.privacy': 'Your privacy, in plain words',
  'landing.privacy.1': 'Your picture and words are used only to make your music.',
  'landing.privacy.2': 'They are deleted as soon as the music is made, and always within 72 hours.',
  'landing.privacy.3': 'Your music is yours to download; we delete our copy after 24 hours.',
  'landing.privacy.4':
    'Your pictures, words, music, email and name are encrypted with a key of your own; cancelling your account destroys the key. The policy lists what is kept in clear, and why.',
  'landing.privacy.5':
    'No optional cookies unless you say yes. See, export or delete your data any time.',
  'landing.examples': 'Hear what it makes',
  'landing.examplesLead':
    'Three pieces the engine composed from pictures that come with Instune. Nothing here was played or edited by hand.',
  'landing.examplesPreparing':
    'The examples are being composed; they appear here in a minute or two.',
  'landing.example.sunset': 'A sunset gradient',
  'landing.example.night': 'A night sky with stars',
  'landing.example.forest': 'A forest of shapes',
  'landing.exampleImage': 'The picture: {name}',
  'landing.exampleSource': 'Picture drawn by Instune itself; free to use (CC0).',
  'landing.exampleListen': 'Listen: {name}',

  'create.title': 'Create',
  'create.hello': 'Hello, {name}',
  'create.buy': 'Buy credits',
  'create.image': 'Picture',
  'create.drop': 'Drag a picture here, or click to choose one',
  'create.dropHint':
    'JPEG, PNG or WebP, up to {mb} MB. Location (GPS) and camera details are removed on upload.',
  'create.preview': 'Preview of the chosen picture',
  'create.wrongType': 'Choose a JPEG, PNG or WebP picture.',
  'create.tooLarge':
    'This picture is {size} MB; pictures can be up to {mb} MB. Choose a smaller one, or save it smaller first.',
  'create.heic':
    'HEIC photos (the iPhone default) cannot be read yet. Choose a JPEG, PNG or WebP picture, or export this one as JPEG.',
  'create.change': 'Choose another picture',
  'create.text': 'Description (optional)',
  'create.textPlaceholder': 'e.g. calm night by the sea / 夜晚平静的海边',
  'create.length': 'Length (seconds, 10–180)',
  'create.mood': 'Mood',
  'create.style': 'Style',
  'create.auto': 'From the picture',
  'create.tempo': 'Tempo (BPM, 50–180, optional)',
  'create.key': 'Key',
  'create.keyAuto': 'Tonic from the picture',
  'create.mode': 'Major or minor',
  'create.modeAuto': 'Major or minor from the picture',
  'create.major': 'major',
  'create.minor': 'minor',
  'create.instrument': 'Lead instrument (optional)',
  'create.instrumentPlaceholder': 'e.g. piano, violin, 古筝',
  'create.seed': 'Seed (optional)',
  'create.seedPlaceholder': 'random',
  'create.surprise': 'Surprise me',
  'create.loop': 'Make it loop seamlessly',
  'create.more': 'More controls',
  'create.submit': 'Compose',
  'create.cost.one': 'This piece costs {count} credit. You have {balance}.',
  'create.cost.other': 'This piece costs {count} credits. You have {balance}.',
  'create.balance.one': 'Balance: {count} credit · this piece costs {cost}',
  'create.balance.other': 'Balance: {count} credits · this piece costs {cost}',
  'create.tooLow.one': 'You need {count} credit for a piece but have {balance}.',
  'create.tooLow.other': 'You need {count} credits for a piece but have {balance}.',
  'create.recent': 'Recent pieces',
  'create.allPieces': 'See all in your library',

  'mood.calm': 'Calm',
  'mood.happy': 'Happy',
  'mood.sad': 'Sad',
  'mood.energetic': 'Energetic',
  'mood.dark': 'Dark',
  'mood.dreamy': 'Dreamy',

  ...styleNames('en'),

  'stage.queued': 'Waiting for a free worker',
  'stage.analysing': 'Analysing the picture',
  'stage.composing': 'Composing',
  'stage.rendering': 'Rendering the instruments',
  'stage.encoding': 'Encoding the audio',
  'stage.storing': 'Saving',
  'stage.done': 'Ready',
  'stage.failed': 'Failed',
  'stage.short.analysing': 'Analysing',
  'stage.short.composing': 'Composing',
  'stage.short.rendering': 'Rendering',
  'stage.short.encoding': 'Encoding',

  'status.queued': 'Queued',
  'status.running': 'In progress',
  'status.done': 'Ready',
  'status.failed': 'Failed',
  'status.deleted': 'Deleted',

  'result.title': 'Your piece',
  'result.loading': 'Loading…',
  'result.stages': 'Progress',
  'result.aiLabel': 'AI生成 / AI-generated',
  'result.waveform': 'Waveform of the piece: click or use the arrow keys to move through it',
  'result.download': 'Download',
  'result.downloadMp3': 'MP3',
  'result.downloadWav': 'WAV',
  'result.downloadMidi': 'MIDI',
  'result.downloadStems': 'Stems (ZIP)',
  'result.palette': 'Colours found in the picture',
  'result.why': 'Why it sounds like this',
  'result.details': 'The numbers behind it',
  'result.deletesIn': 'Deleted automatically in {time}',
  'result.deletesAt': 'at {date}',
  'result.expired': 'This music has been deleted.',
  'result.delete': 'Delete now',
  'result.variation': 'Make a variation (new seed, same plan)',
  'result.confirmDelete': 'Delete this piece now? This cannot be undone.',
  'result.deletedNow': 'Deleted.',
  'result.another': 'Compose another',
  'result.failed': 'The generation failed.',
  'result.connectionLost': 'Connection lost. Trying again in {seconds} s…',
  'result.reconnecting': 'Connection lost. Trying again now…',
  'result.offline': 'You are offline. This page will carry on when the network is back.',
  'result.reconnected': 'Connected again.',
  'result.variationNoCredits': 'Not enough credits for a variation. Buy credits, then try again.',
  'result.variationCost.one': 'A variation costs {count} credit and you have {balance}.',
  'result.variationCost.other': 'A variation costs {count} credits and you have {balance}.',
  'result.loopPlay': 'Play as a loop',
  'result.loopStop': 'Stop the loop',
  'result.loopHint':
    'A loop: “Play as a loop” plays the short lead-in once, then repeats the loop without a gap, as it will sound in your project.',
  'result.estimate': '{elapsed} so far · about {left} to go',
  'result.overdue': '{elapsed} so far · taking a little longer than usual, still working',
  'result.versions': 'Give me two versions',
  'result.versionsCost.one': 'Two new seeds, same plan: {count} credit each.',
  'result.versionsCost.other': 'Two new seeds, same plan: {count} credits each.',
  'result.versionsNoCredits.one':
    'Two versions cost {count} credit each and you have {balance}. Buy credits, then try again.',
  'result.versionsNoCredits.other':
    'Two versions cost {count} credits each and you have {balance}. Buy credits, then try again.',
  'result.extend': 'Extend',
  'result.extendBy': 'Extend by',
  'result.extendSeconds': '{n} s',
  'result.extendHint':
    'Continues the same plan from where it is: the start stays note for note. Costs like a variation; pieces can be at most {max} s.',
  'result.extendLoop': 'A loop has no ending to continue from, so it cannot be extended.',
  'result.extendFull': 'This piece is already {max} s, the longest a piece can be.',
  'result.extendNoCredits': 'Not enough credits to extend. Buy credits, then try again.',

  'library.title': 'Your library',
  'library.note': 'Music is kept for 24 hours after it is made, then deleted.',
  'library.empty': 'Nothing here yet.',
  'library.start': 'Compose your first piece',
  'library.date': 'Made',
  'library.status': 'Status',
  'library.music': 'Music',
  'library.open': 'Open',
  'library.untitled': 'A piece in the making',
  'library.titleFormat': '{style} in {key}',
  'library.hoursLeft': '{n} h left',
  'library.minutesLeft': '{n} min left',
  'library.filter': 'Show',
  'library.allStyles': 'every style',
  'library.listen': 'Listen',
  'library.variation': 'variation',
  'library.derived.variation': 'variation',
  'library.derived.version': 'version',
  'library.derived.extension': 'extended',
  'library.filterMood': 'Mood',
  'library.allMoods': 'every mood',
  'library.rename': 'Rename',
  'library.renameLabel': 'Rename “{title}”',
  'library.titleLabel': 'Title',
  'library.titleHint': 'Up to {n} characters; leave empty to name it from its music.',
  'library.save': 'Save',
  'library.cancel': 'Cancel',
  'library.delete': 'Delete',
  'library.deleteLabel': 'Delete “{title}”',
  'library.confirmDelete': 'Delete “{title}” now? This cannot be undone.',
  'library.deleted': 'Deleted “{title}”.',

  'compare.title': 'Two versions',
  'compare.lead':
    'The same plan with two different seeds. Listen to both and keep the one you like; both are in your library.',
  'compare.version': 'Version {n}',
  'compare.open': 'Open version {n}',
  'compare.back': 'Back to the original',
  'compare.seed': 'seed {seed}',

  'account.title': 'Account center',
  'account.data': 'My data',
  'account.email': 'Email',
  'account.name': 'Name',
  'account.since': 'Member since',
  'account.stored': 'What we store, why, and for how long',
  'account.what': 'What',
  'account.why': 'Why',
  'account.howLong': 'How long',
  'account.correct': 'Correct my name',
  'account.fromProvider':
    'Your email address and picture come from your Google account and are updated from it each time you sign in: to correct them, change them in your Google account. A name you correct here stays as you wrote it, whatever Google says later.',
  'account.save': 'Save',
  'account.saved': 'Saved.',
  'account.export': 'Export my data',
  'account.exportBody':
    'A ZIP file with your account and sign-in times, credit history and purchases, cookie and policy choices, requests, the settings of each piece and any music still stored (MP3, WAV and MIDI), as JSON and files, with a README in English and Chinese.',
  'account.exportButton': 'Request an export',
  'account.exportPending': 'Preparing your export…',
  'account.exportReady': 'Your export is ready.',
  'account.exportDownload': 'Download ZIP',
  'account.exportExpires': 'The link expires {date}.',
  'account.exportFailed': 'The export failed. Please try again or file a request.',
  'account.requests': 'Rights requests and complaints',
  'account.requestsBody':
    'Ask us anything about your data or complain. Every request is answered within 15 business days.',
  'account.kind': 'Type',
  'account.message': 'Message',
  'account.fileRequest': 'Send request',
  'account.noRequests': 'No requests yet.',
  'account.filed': 'Filed',
  'account.due': 'Due',
  'account.status': 'Status',
  'account.reply': 'Reply from Instune, {date}',
  'account.consent': 'Cookies and consent',
  'account.consentBody': 'Change or withdraw your cookie choices at any time.',
  'account.consentLink': 'Manage cookie choices',
  'account.policyLink': 'Read the privacy policy',
  'account.cancel': 'Cancel my account',
  'account.cancelBody':
    'This deletes your music and makes everything we stored about you unreadable at once. Unused credits are lost. The legally required payment records are kept pseudonymised.',
  'account.cancelConfirm': 'Type “cancel my account” to confirm',
  'account.cancelButton': 'Cancel my account',
  'account.cancelled': 'Your account has been cancelled.',

  'kind.access': 'Access to my data',
  'kind.export': 'Export',
  'kind.correction': 'Correction',
  'kind.deletion': 'Deletion',
  'kind.cancellation': 'Cancellation',
  'kind.withdraw_consent': 'Withdraw consent',
  'kind.complaint': 'Complaint',
  'kind.other': 'Other',

  'reqStatus.open': 'Open',
  'reqStatus.in_progress': 'In progress',
  'reqStatus.done': 'Done',
  'reqStatus.rejected': 'Rejected',

  'credits.title': 'Credits',
  'credits.balance.one': 'Balance: {count} credit{held}',
  'credits.balance.other': 'Balance: {count} credits{held}',
  'credits.cost.one': 'a piece costs {count} credit',
  'credits.cost.other': 'a piece costs {count} credits',
  'credits.held.one': ' ({count} credit held for pieces in progress)',
  'credits.held.other': ' ({count} credits held for pieces in progress)',
  'credits.pack.one': '{count} credit',
  'credits.pack.other': '{count} credits',
  'credits.buyPack.one': 'Buy {count} credit — {price}',
  'credits.buyPack.other': 'Buy {count} credits — {price}',
  'credits.purchase.one': 'Purchase {status}: {count} credit.',
  'credits.purchase.other': 'Purchase {status}: {count} credits.',
  'credits.piece.held': 'A piece in progress (its credits are held)',
  'credits.piece.spent': 'A piece',
  'credits.piece.returned': 'A piece that was not made (credits returned)',
  'credits.piece.open': 'Open the piece',
  'credits.packs': 'Buy credits',
  'credits.buy': 'Buy',
  'credits.local':
    'Payments are in local test mode (no Stripe keys configured): no real payment is taken.',
  'credits.confirming':
    'Thank you — your payment is being confirmed. Credits appear here as soon as it is.',
  'credits.cancelled': 'Checkout cancelled; nothing was charged.',
  'credits.purchases': 'Purchases',
  'credits.none': 'None yet.',
  'credits.history': 'Credit history',
  'credits.change': 'Change',
  'credits.after': 'Balance after',
  'credits.when': 'When',
  'credits.what': 'What',
  'credits.json': 'Full history (JSON)',

  'entry.grant': 'Credits added',
  'entry.reservation': 'Held for a piece',
  'entry.capture': 'Spent on a piece',
  'entry.release': 'Returned (piece not made)',
  'entry.refund': 'Refunded',
  'entry.adjustment': 'Adjustment',

  'purchase.pending': 'pending',
  'purchase.paid': 'paid',
  'purchase.partially_refunded': 'partially refunded',
  'purchase.refunded': 'refunded',
  'purchase.expired': 'expired',

  'checkout.title': 'Local test checkout — no real payment',
  'checkout.body':
    'This page stands in for Stripe because no Stripe keys are configured. Nothing is charged; completing it sends a signed test event to this server’s webhook, exactly as Stripe would.',
  'checkout.done': 'This test purchase is already complete.',
  'checkout.back': 'Back to credits',
  'checkout.complete': 'Complete test purchase',
  'checkout.cancel': 'Cancel',

  // Errors: `error.code.<code>` is the fallback for a code; `error.<reason>` the specific message
  // (src/lib/error-reasons.ts); `error.action.<action>` the link that comes with it.
  'error.generic': 'Something went wrong. Please try again.',
  'error.range_not_satisfiable': 'That part of the file does not exist. Reload and try again.',

  // Contact without an account, the regulator, and the offshore transfers (privacy-contact).
  'contact.footer.label': 'Privacy contact:',
  'contact.footer.form': 'Contact form (no account needed)',
  'contact.footer.regulator': 'Complain to the regulator',
  'contact.title': 'Contact us about your privacy',
  'contact.lead':
    'Ask a question, make a complaint or exercise a right over your personal information, with or without an account. Write to {email}, or use this form. We answer within 15 business days.',
  'contact.name.label': 'Name (optional)',
  'contact.email.label': 'Email address, for our answer',
  'contact.kind.label': 'What is it about?',
  'contact.kind.question': 'A question',
  'contact.kind.complaint': 'A complaint',
  'contact.kind.rights_request':
    'A request about my personal information (see, copy, correct or delete it, withdraw consent)',
  'contact.message.label': 'Your message',
  'contact.message.hint': 'Up to 4000 characters. Please do not include passwords or card numbers.',
  'contact.submit': 'Send',
  'contact.how':
    'What happens next: we mail a link to the address you give. Your message reaches our team only when you open that link within 24 hours; otherwise it is deleted unread. Your address, name and message are stored encrypted and used only to answer you.',
  'contact.signedIn':
    'Signed in? You can also file a request in your account center, where you can follow it.',
  'contact.invalid':
    'Please give a valid email address, choose what it is about, and write a message (up to 4000 characters).',
  'contact.sent.title': 'Check your mail',
  'contact.sent.body':
    'If the address can receive mail, a confirmation link is on its way. Open it within 24 hours to send your message to our team.',
  'contact.verify.title': 'Confirm your message',
  'contact.verify.body':
    'Send your message to our team? We answer at the address you gave within 15 business days.',
  'contact.verify.submit': 'Confirm and send',
  'contact.verified.title': 'Your message has been sent',
  'contact.verified.body':
    'Thank you. Our team will answer by email by {date} (15 business days). Reference: {ref}.',
  'contact.verified.again': 'This message had already been confirmed; nothing more is needed.',
  'contact.bad.title': 'This confirmation link does not work',
  'contact.bad.body':
    'The link is not valid: it may be incomplete, or older than 24 hours (unconfirmed messages are deleted then). Please send the form again.',
  'contact.bad.again': 'Send the form again',
  'contact.regulator.title': 'Complaining to the regulator',
  'contact.regulator.body1':
    'You may complain about how we handle your personal information to the authorities that protect it (Personal Information Protection Law, Art. 65), whether or not you have contacted us first.',
  'contact.regulator.body2':
    'In China this is the Cyberspace Administration of China (CAC, 国家互联网信息办公室) or the cyberspace administration of your province or city.',
  'contact.regulator.body3':
    'You can report online to the CAC Illegal and Harmful Information Reporting Centre at www.12377.cn, or by telephone on 12377.',
  'contact.regulator.link': 'The 12377.cn reporting centre',
  'contact.policy.title': 'Contact and complaints',
  'contact.policy.body':
    'Write to {email} about anything in this policy, or use the contact form, which needs no account. We answer within 15 business days.',
  'contact.policy.form': 'Contact form',
  'contact.policy.regulator':
    'How to complain to the regulator (Cyberspace Administration of China, 12377.cn)',
  'contact.landing':
    'Questions about your privacy? Write to {email} or use the contact form; no account needed.',
  'transfer.signIn':
    'Sign-in is through Google, whose servers are outside mainland China: Google handles your sign-in and gives us only your email address, name and avatar. Signing in therefore transfers this information abroad (a cross-border transfer, PIPL Art. 38–39).',
  'transfer.pay':
    "Payments are handled by Stripe, outside mainland China: you enter your card on Stripe's page, and Stripe receives the order number and amount; we receive only the payment result. Paying therefore transfers this information abroad (a cross-border transfer, PIPL Art. 38–39).",
  'error.code.bad_request': 'The request could not be understood. Reload the page and try again.',
  'error.code.validation_failed': 'Some of what you entered is not valid. Check it and try again.',
  'error.code.unauthenticated': 'Please sign in to continue.',
  'error.code.session_expired':
    'You were signed out because your session ended. Sign in again to continue.',
  'error.code.payment_required':
    'You do not have enough credits for this. Buy credits to continue.',
  'error.code.forbidden': 'Your account cannot do this.',
  'error.code.policy_not_accepted':
    'Our privacy policy has changed. Read and accept the new version to continue.',
  'error.code.not_found': 'There is nothing here. The link may be mistyped, or it was deleted.',
  'error.code.conflict': 'This clashed with another change. Reload the page and try again.',
  'error.code.payload_too_large': 'What you sent is too large.',
  'error.code.unsupported_media_type': 'This kind of file is not accepted.',
  'error.code.unprocessable_image': 'The picture could not be read. Choose another one.',
  'error.code.rate_limited': 'Too many requests in a short time. Wait a minute, then try again.',
  'error.code.gone': 'This no longer exists: it was deleted as our privacy policy promises.',
  'error.code.range_not_satisfiable': 'That part of the file does not exist. Reload and try again.',
  'error.code.internal':
    'Something went wrong on our side, not yours. Try again in a moment; if it keeps happening, write to us and quote the reference.',
  'error.code.unavailable':
    'Instune is briefly out of reach (our database is restarting). Try again in a few seconds; if you were sending something, send it again.',
  'error.upload_missing': 'Choose a picture first (JPEG, PNG or WebP).',
  'error.upload_empty': 'The chosen file is empty. Choose another picture.',
  'error.upload_too_large':
    'This picture is larger than {limitMb} MB. Choose a smaller one, or save it smaller first.',
  'error.upload_too_many_pixels':
    'This picture is {width}×{height} pixels; at most {limitMegapixels} megapixels are accepted. Make it smaller and try again.',
  'error.upload_too_small':
    'This picture is too small: it needs at least {minSide}×{minSide} pixels. Choose a larger one.',
  'error.upload_wrong_type':
    'Only JPEG, PNG and WebP pictures are accepted. HEIC photos can be exported as JPEG first.',
  'error.upload_animated': 'Animated pictures are not accepted. Choose a still JPEG, PNG or WebP.',
  'error.upload_damaged':
    'The picture could not be read; it may be damaged or cut off. Choose another one.',
  'error.upload_one_image': 'Send one picture at a time.',
  'error.upload_malformed': 'The upload was cut off. Check your connection and try again.',
  'error.upload_not_multipart': 'Send the picture as a form upload (multipart/form-data).',
  'error.body_too_large': 'What you sent is larger than {limitKb} KB. Send less and try again.',
  'error.body_malformed': 'The request could not be read. Reload the page and try again.',
  'error.too_many_fields': 'The form sent too many fields. Reload the page and try again.',
  'error.text_too_long':
    'The description can be at most {maxChars} characters. Shorten it and try again.',
  'error.seconds_out_of_range': 'The length must be from {min} to {max} seconds.',
  'error.seed_invalid': 'The seed must be a whole number from 0 to {max}, or left empty.',
  'error.instrument_unknown':
    'We do not know the instrument “{instrument}”. Try piano, violin, flute or 古筝, or leave it empty.',
  'error.control_invalid': 'The value for “{field}” is not one we offer. Choose one from the list.',
  'error.idempotency_key_invalid':
    'The Idempotency-Key header must be one value of 1 to {maxLength} characters.',
  'error.idempotency_key_reused':
    'This Idempotency-Key was already used for a different request. Send a new key.',
  'error.try_again':
    'That did not go through because of another change at the same moment. Try again.',
  'error.credits_insufficient':
    'Not enough credits: this costs {needed} and your balance is {balance}. Buy credits, then try again.',
  'error.pack_unknown': 'Choose one of the credit packs on the Credits page.',
  'error.checkout_not_found': 'There is no such checkout. Start again from the Credits page.',
  'error.checkout_expired':
    'This checkout has expired and nothing was charged. Start again from the Credits page.',
  'error.sign_in_required': 'Please sign in to continue.',
  'error.session_expired': 'Your session has ended. Sign in again to continue.',
  'error.sign_in_failed': 'Signing in did not work. Please sign in again.',
  'error.sign_in_cancelled': 'Signing in was cancelled. Sign in again when you are ready.',
  'error.sign_in_stale': 'This sign-in link has expired or was already used. Please sign in again.',
  'error.sign_in_unavailable':
    'Signing in is unavailable right now: our sign-in provider cannot be reached. Try again in a few minutes.',
  'error.account_gone': 'This account no longer exists. Sign in again to start afresh.',
  'error.form_expired': 'This form has expired. Reload the page and try again.',
  'error.cross_site': 'Requests from other sites are refused. Use this site’s own pages.',
  'error.staff_only': 'This needs a staff role.',
  'error.policy_not_accepted':
    'Our privacy policy has changed (version {version}). Read and accept it to keep making music.',
  'error.policy_changed':
    'Version {version} of the privacy policy is now in force. Read it and accept again.',
  'error.piece_not_found':
    'There is no such piece. It may have been deleted; your library lists what you have.',
  'error.piece_not_ready': 'This piece is not ready yet. Wait until it is done, then try again.',
  'error.piece_deleted':
    'This piece has been deleted: music is kept for 24 hours. Upload the picture again to make a new one.',
  'error.piece_in_progress': 'This piece is still being made. Delete it once it is finished.',
  'error.stems_missing': 'This piece was made without separate stems.',
  'error.range_outside_file': 'That part of the file does not exist. Reload and try again.',
  'error.name_invalid': 'The name must be 1 to {max} characters.',
  'error.message_too_long':
    'The message can be at most {max} characters. Shorten it and try again.',
  'error.contact_message_length':
    'Write a message of up to {max} characters, then send the form again.',
  'error.contact_link_invalid':
    'This confirmation link is not valid: it may be incomplete, or older than 24 hours (unconfirmed messages are deleted then). Please send the contact form again.',
  'error.piece_at_longest':
    'This piece is already as long as a piece can be ({max} seconds), so it cannot be extended.',
  'error.extend_out_of_range':
    'Extend by {min} to {max} seconds (a piece can be at most {longest} seconds long).',
  'error.piece_not_extendable':
    'This piece cannot be extended (a loop has no ending to continue from, and pieces made by an older version of the engine keep their length). Make a new piece instead.',
  'error.title_invalid':
    'A title can be up to {max} characters, without line breaks or control characters.',
  'error.cancel_phrase': 'To cancel, type the confirmation phrase exactly as shown.',
  'error.export_not_ready':
    'Your export is still being prepared. Check the account page in a minute.',
  'error.export_expired': 'This export link has expired. Request a new export on the account page.',
  'error.export_not_found': 'There is no such export. Request one on the account page.',
  'error.rate_limited': 'Too many requests in a short time. Try again in {seconds} s.',
  'error.too_many_streams':
    'At most {max} pieces can be followed at once. Close other tabs of this site, then reload.',
  'error.server_busy': 'The server is busy. Try again in {seconds} s.',
  'error.page_not_found': 'There is nothing at this address. The link may be mistyped.',
  'error.network': 'Could not reach Instune. Check your connection and try again.',
  'error.failure.input_missing':
    'The uploaded picture was no longer available, so nothing was made. Nothing was charged; upload it again.',
  'error.failure.engine_failed':
    'The music engine could not finish this piece. Nothing was charged; please try again.',
  'error.failure.unprocessable_image':
    'The picture could not be analysed. Nothing was charged; choose another one.',
  'error.failure.invalid_plan':
    'The original piece could not be read back, so no variation was made. Nothing was charged.',
  'error.failure.content_rejected':
    'This picture cannot be used under our content rules. Nothing was charged; please choose another picture.',
  'error.action.signIn': 'Sign in',
  'error.action.buyCredits': 'Buy credits',
  'error.action.account': 'Open the account page',
  'error.action.policy': 'Read the privacy policy',
  'error.action.create': 'Compose a new piece',
  'error.action.library': 'Open your library',
} as const;

export type MessageKey = keyof typeof en;
