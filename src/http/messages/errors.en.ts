/**
 * The English error messages, part of the catalogue in en.ts: `error.code.<code>` is the fallback
 * for a code, `error.<reason>` the specific message (src/lib/error-reasons.ts), `error.action.<action>`
 * the link that comes with it. Kept apart so each catalogue file stays readable.
 */
export const errorMessagesEn = {
  'error.generic': 'Something went wrong. Please try again.',
  'error.range_not_satisfiable': 'That part of the file does not exist. Reload and try again.',
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

export type ErrorMessageKey = keyof typeof errorMessagesEn;
