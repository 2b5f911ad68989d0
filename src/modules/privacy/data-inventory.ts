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
    what: 'Cookie choices (purpose, granted or denied, policy version, time) the privacy policy versions you accepted, and which policy-change notices we emailed you',
    why: 'to respect and prove your choices',
    retention:
      'cookie choices for 6 months; acceptances while your account exists; both deleted when you cancel it',
  },
];
