/**
 * The privacy policy as data: every published version, oldest first. A version is never edited
 * after it takes effect; a change is a new entry. Set `changesCoreRights` when a change narrows
 * what users can do or widens what we do with their data: every existing user is then told by
 * email and must accept the new version before generating again. The first version sets the
 * rights in the first place, so it is accepted at sign-up.
 *
 * Text markup: blank lines separate blocks; a block starting with "## " is a heading; lines
 * starting with "- " form a list.
 */
export interface PolicyVersion {
  readonly version: string;
  /** When the version applies; it may be announced (listed here) before then. */
  readonly effectiveAt: Date;
  readonly changesCoreRights: boolean;
  /** What changed since the previous version, for the individual notice. */
  readonly changes?: { readonly en: string; readonly zh: string };
  readonly text: { readonly en: string; readonly zh: string };
}

export type PolicyLanguage = 'en' | 'zh';

const textEn = `Instune turns a picture and a few words into an original piece of music. This policy says what we keep about you, why, for how long, and what you can do about it. The code that runs the service enforces these promises.

## What we collect
- Sign-in: we use OpenID Connect (Google). We keep only the provider's issuer and your subject identifier, your email address, your name and your avatar URL. We never store the provider's access or refresh tokens.
- What you upload: the image and the optional description. They are used only to generate your music.
- What we make: the generated music, its plan and a short explanation.
- Credits: your purchases and how credits were used. Payments go through Stripe Checkout; we keep the payment result, order id, amount, currency and status, never card data.
- Your choices: your cookie choices and which policy versions you accepted, with their time.
- Logs: technical records of requests and jobs (time, path, status, request id). They never contain your uploads, descriptions, email or name.

## How long we keep it
- Uploaded images and descriptions: deleted when generation ends, and in any case within 72 hours of upload.
- Generated music: deleted within 24 hours of generation. Download it if you want to keep it.
- Account data and credit records: kept while your account exists; deleted within 15 business days after you cancel it. The payment record the law requires us to keep is kept pseudonymised.
- Logs and usage data: at most 6 months, then anonymised or deleted.

## How we protect it
Uploads, descriptions, music, sign-in details and credit records are encrypted at rest with AES-256-GCM envelope encryption: each user (and each stored object) has its own data key, wrapped by a master key. Cancelling your account destroys your key, which makes every copy of your data, backups included, unreadable. Staff access is role-based, and every access to personal data is recorded in an audit log.

## Cookies
Essential cookies are always used: your session, the protection against forged forms (CSRF), the short-lived sign-in state, and the record of your cookie choice itself. Optional cookies are used only after you agree: preferences (remembering your language) and analytics (measuring how the service is used; none are set today). Rejecting is as easy as accepting, and you can change or withdraw your choice at any time under "Cookie settings" or in your account; withdrawing deletes the optional cookies.

## AI-generated content
All music made here is AI-generated. Following China's measures for labelling AI-generated content (GB 45438-2025), an "AI生成 / AI-generated" label appears beside every player, and every downloaded file carries an audible label (a short-long-short-short cue) and a metadata label (AIGC).

## Your rights
In your account center you can see your data, export it (a ZIP of JSON and files), correct your name, delete single pieces, cancel your account, withdraw consent, and file a complaint or request. Each request becomes a ticket that we answer within 15 business days.

## Who else handles your data
Google (sign-in), Stripe (payments) and our email provider (notices about this policy), each only for that purpose. We do not sell your data.

## Changes to this policy
Each version has a number and an effective date, and earlier versions stay readable. If a change affects your core rights, we tell you individually by email before it takes effect, and you must accept the new version before you create new music.`;

const textZh = `Instune 将一张图片和几句文字变成一段原创音乐。本政策说明我们保存您的哪些信息、用途、保存期限，以及您可以行使的权利。这些承诺由运行本服务的代码强制执行。

## 我们收集的信息
- 登录信息：我们通过 OpenID Connect（Google）登录，只保存身份提供方标识和您的用户标识、电子邮箱、姓名和头像地址。我们从不保存身份提供方的访问令牌或刷新令牌。
- 您上传的内容：图片和可选的文字描述，仅用于生成您的音乐。
- 我们生成的内容：生成的音乐、创作方案和简短说明。
- 点数：您的购买记录和点数使用记录。付款通过 Stripe Checkout 完成；我们保存付款结果、订单号、金额、币种和状态，从不保存银行卡信息。
- 您的选择：您的 Cookie 选择、您接受的政策版本及其时间。
- 日志：请求和任务的技术记录（时间、路径、状态、请求编号），其中从不包含您上传的内容、描述、邮箱或姓名。

## 保存期限
- 上传的图片和描述：生成结束时删除，最迟在上传后 72 小时内删除。
- 生成的音乐：生成后 24 小时内删除。如需保留，请及时下载。
- 账户信息和点数记录：在账户存续期间保存；注销账户后 15 个工作日内删除。法律要求保留的付款记录以假名化方式保存。
- 日志和使用数据：最多保存 6 个月，之后匿名化或删除。

## 我们如何保护您的信息
上传内容、描述、音乐、登录信息和点数记录均以 AES-256-GCM 信封加密方式加密存储：每位用户（以及每个存储对象）都有自己的数据密钥，由主密钥加密保护。注销账户会销毁您的密钥，使您数据的所有副本（包括备份）都无法读取。员工访问基于角色授权，每次访问个人信息都会记入审计日志。

## Cookie
我们始终使用必要 Cookie：您的会话、防止伪造表单（CSRF）的保护、短时的登录状态，以及记录您 Cookie 选择本身的 Cookie。可选 Cookie 仅在您同意后使用：偏好（记住您的语言）和统计分析（了解服务的使用情况；目前未设置任何此类 Cookie）。拒绝与接受同样简单；您可以随时在"Cookie 设置"或账户中心更改或撤回选择，撤回后可选 Cookie 会被删除。

## 人工智能生成内容
本服务生成的所有音乐均由人工智能生成。依照《人工智能生成合成内容标识办法》及 GB 45438-2025，每个播放器旁都显示"AI生成 / AI-generated"标识，每个下载的文件都带有音频显式标识（短-长-短-短提示音）和元数据隐式标识（AIGC）。

## 您的权利
在账户中心，您可以查看您的数据、导出数据（包含 JSON 和文件的 ZIP）、更正姓名、删除单个作品、注销账户、撤回同意，以及提交投诉或请求。每项请求都会生成工单，我们在 15 个工作日内答复。

## 还有谁会处理您的数据
Google（登录）、Stripe（付款）和我们的邮件服务商（发送本政策相关通知），各自仅用于该目的。我们不出售您的数据。

## 本政策的变更
每个版本都有版本号和生效日期，历史版本仍可查阅。如果变更影响您的核心权利，我们会在生效前通过电子邮件单独通知您，您需要接受新版本后才能继续创作新的音乐。`;

const textEn11 = `Instune turns a picture and a few words into an original piece of music. This policy says what we keep about you, why, for how long, and what you can do about it. The code that runs the service enforces these promises.

## What we collect
- Sign-in: we use OpenID Connect (Google). We keep only the provider's issuer and your subject identifier, your email address, your name, your avatar URL and the time of your last sign-in. We never store the provider's access or refresh tokens.
- What you upload: the image and the optional description. They are used only to generate your music.
- What we make: the generated music, its plan and a short explanation, and the settings you chose (length, seed, style, mood, tempo, instrument).
- Credits: your purchases and how credits were used. Payments go through Stripe Checkout; we keep the payment result, order id, amount, currency and status, never card data.
- Your choices: your cookie choices and which policy versions you accepted, with their time.
- Your requests: the requests and complaints you file, with their status and dates.
- Logs: technical records of requests and jobs (time, path, status, request id, and your account's random id when you are signed in). They never contain your uploads, descriptions, email or name.

## How long we keep it
- Uploaded images and descriptions: deleted when generation ends, and in any case within 72 hours of upload.
- Generated music: deleted within 24 hours of generation. Download it if you want to keep it.
- Account data and credit records: kept while your account exists; deleted within 15 business days after you cancel it. The payment record the law requires us to keep is kept pseudonymised: without your account id, with only Stripe's order references, so that it can be matched with Stripe's own record of the payment.
- Usage and log records: at most 6 months, then deleted. These are the records of your pieces (settings, status, times), requests and complaints once answered, export records, cookie choices, expired sessions, the staff access log, and server logs.
- After you cancel, your requests stay for up to 6 months without any link to you, as the record that each was answered.

## What is encrypted, and what is not
Encrypted at rest with AES-256-GCM envelope encryption (each user, and each stored object, has its own data key, wrapped by a master key):
- your email address, name and avatar URL;
- uploaded images and descriptions;
- the generated music, its plan and explanation, and your data exports;
- the titles you give your pieces;
- the text of your requests and complaints, and our replies;
- what you send through the contact form without an account: your address, name and message;
- the note a staff member writes when correcting your credits.

Stored in clear, because the service has to find, count or check them without your key:
- the provider's issuer and your subject identifier (to find your account when you sign in) and the time of your last sign-in;
- credit records: each entry's kind, amount, resulting balance, reason code, time, and the piece or purchase it belongs to (the balance check and the rule that every credit moves only once run on them);
- purchases: pack, amount, currency, status, times and Stripe's order references (Stripe's messages are matched by them, and the payment record the law requires must stay readable after you cancel);
- the settings and status of your pieces, your cookie choices, policy acceptances and notices, and the kind, status and dates of your requests;
- sessions and request counters are kept only as hashes.

Cancelling your account destroys your key, which makes every encrypted item above unreadable in every copy, backups included. What is stored in clear is deleted from the database (purchases and requests stay, without any link to you, as described above); copies in database backups go when those backups expire. Staff access is role-based, and every access to personal data is recorded in an audit log.

## Cookies
Essential cookies are always used: your session, the protection against forged forms (CSRF), the short-lived sign-in state, and the record of your cookie choice itself. Optional cookies are used only after you agree: preferences (remembering your language) and analytics (measuring how the service is used; none are set today). Rejecting is as easy as accepting, and you can change or withdraw your choice at any time under "Cookie settings" or in your account; withdrawing deletes the optional cookies.

## AI-generated content
All music made here is AI-generated. Following China's measures for labelling AI-generated content (GB 45438-2025), an "AI生成 / AI-generated" label appears beside every player, and every downloaded file carries an audible label (a short-long-short-short cue) and a metadata label (AIGC).

## Your rights
In your account center you can see your data, export it (a ZIP of JSON and files), correct your name, delete single pieces, cancel your account, withdraw consent, and file a complaint or request. Each request becomes a ticket that we answer within 15 business days.

## Who else handles your data
Google (sign-in), Stripe (payments) and our email provider (notices about this policy), each only for that purpose. We do not sell your data.

## Changes to this policy
Each version has a number and an effective date, and earlier versions stay readable. If a change affects your core rights, we tell you individually by email before it takes effect, and you must accept the new version before you create new music.`;

const textZh11 = `Instune 将一张图片和几句文字变成一段原创音乐。本政策说明我们保存您的哪些信息、用途、保存期限，以及您可以行使的权利。这些承诺由运行本服务的代码强制执行。

## 我们收集的信息
- 登录信息：我们通过 OpenID Connect（Google）登录，只保存身份提供方标识和您的用户标识、电子邮箱、姓名、头像地址以及您最近一次登录的时间。我们从不保存身份提供方的访问令牌或刷新令牌。
- 您上传的内容：图片和可选的文字描述，仅用于生成您的音乐。
- 我们生成的内容：生成的音乐、创作方案和简短说明，以及您选择的设置（时长、种子、风格、情绪、速度、乐器）。
- 点数：您的购买记录和点数使用记录。付款通过 Stripe Checkout 完成；我们保存付款结果、订单号、金额、币种和状态，从不保存银行卡信息。
- 您的选择：您的 Cookie 选择、您接受的政策版本及其时间。
- 您的请求：您提交的请求和投诉，及其状态和日期。
- 日志：请求和任务的技术记录（时间、路径、状态、请求编号，以及您登录时账户的随机编号），其中从不包含您上传的内容、描述、邮箱或姓名。

## 保存期限
- 上传的图片和描述：生成结束时删除，最迟在上传后 72 小时内删除。
- 生成的音乐：生成后 24 小时内删除。如需保留，请及时下载。
- 账户信息和点数记录：在账户存续期间保存；注销账户后 15 个工作日内删除。法律要求保留的付款记录以假名化方式保存：不含您的账户编号，只保留 Stripe 订单编号，以便与 Stripe 自己的付款记录核对。
- 使用记录和日志：最多保存 6 个月，之后删除。包括您作品的记录（设置、状态、时间）、已答复的请求和投诉、导出记录、Cookie 选择、已过期的会话、员工访问日志以及服务器日志。
- 注销账户后，您的请求记录在不与您关联的情况下最多保留 6 个月，作为每项请求均已答复的记录。

## 哪些信息加密，哪些不加密
以下信息以 AES-256-GCM 信封加密方式加密存储（每位用户以及每个存储对象都有自己的数据密钥，由主密钥加密保护）：
- 您的电子邮箱、姓名和头像地址；
- 上传的图片和描述；
- 生成的音乐、创作方案和说明，以及您的数据导出文件；
- 您为作品起的标题；
- 您提交的请求和投诉的文字，以及我们的答复；
- 不登录时通过联系表单发送的内容：您的邮箱地址、姓名和留言；
- 员工更正您的点数时写下的备注。

以下信息以明文存储，因为服务需要在没有您的密钥时查找、计数或核对它们：
- 身份提供方标识和您的用户标识（用于在您登录时找到您的账户），以及您最近一次登录的时间；
- 点数记录：每笔记录的类型、数量、变动后的余额、原因代码、时间，以及所属的作品或购买（余额核对和"每笔点数只变动一次"的规则依赖这些信息）；
- 购买记录：点数包、金额、币种、状态、时间和 Stripe 订单编号（Stripe 的通知据此匹配，且法律要求的付款记录在您注销后仍须可读）；
- 您作品的设置和状态、您的 Cookie 选择、政策接受记录和通知记录，以及您请求的类型、状态和日期；
- 会话和请求计数只以哈希值保存。

注销账户会销毁您的密钥，使上述所有加密信息的每个副本（包括备份）都无法读取。以明文存储的信息会从数据库中删除（购买记录和请求记录按上文所述保留，但不再与您关联）；数据库备份中的副本随备份到期而删除。员工访问基于角色授权，每次访问个人信息都会记入审计日志。

## Cookie
我们始终使用必要 Cookie：您的会话、防止伪造表单（CSRF）的保护、短时的登录状态，以及记录您 Cookie 选择本身的 Cookie。可选 Cookie 仅在您同意后使用：偏好（记住您的语言）和统计分析（了解服务的使用情况；目前未设置任何此类 Cookie）。拒绝与接受同样简单；您可以随时在"Cookie 设置"或账户中心更改或撤回选择，撤回后可选 Cookie 会被删除。

## 人工智能生成内容
本服务生成的所有音乐均由人工智能生成。依照《人工智能生成合成内容标识办法》及 GB 45438-2025，每个播放器旁都显示"AI生成 / AI-generated"标识，每个下载的文件都带有音频显式标识（短-长-短-短提示音）和元数据隐式标识（AIGC）。

## 您的权利
在账户中心，您可以查看您的数据、导出数据（包含 JSON 和文件的 ZIP）、更正姓名、删除单个作品、注销账户、撤回同意，以及提交投诉或请求。每项请求都会生成工单，我们在 15 个工作日内答复。

## 还有谁会处理您的数据
Google（登录）、Stripe（付款）和我们的邮件服务商（发送本政策相关通知），各自仅用于该目的。我们不出售您的数据。

## 本政策的变更
每个版本都有版本号和生效日期，历史版本仍可查阅。如果变更影响您的核心权利，我们会在生效前通过电子邮件单独通知您，您需要接受新版本后才能继续创作新的音乐。`;

export const policyVersions: readonly PolicyVersion[] = [
  {
    version: '1.0',
    effectiveAt: new Date('2026-11-01T00:00:00Z'),
    changesCoreRights: false,
    text: { en: textEn, zh: textZh },
  },
  {
    // A correction, not a change of rights: 1.0 said sign-in details and credit records are
    // encrypted, which was only partly true. Nothing is collected or used in a new way, and the
    // six-month limit was already promised (docs/decisions/0022).
    version: '1.1',
    effectiveAt: new Date('2026-12-01T00:00:00Z'),
    changesCoreRights: false,
    changes: {
      en: 'A correction. Version 1.0 said that sign-in details and credit records are encrypted. In fact your email, name and avatar URL are, but not the sign-in identifiers or the credit amounts and balances, which the service must check without your key. This version lists exactly what is encrypted and what is stored in clear, and why; which records are deleted after 6 months; and that your requests stay for up to 6 months without any link to you after you cancel.',
      zh: '更正。1.0 版称登录信息和点数记录均已加密。实际上，您的邮箱、姓名和头像地址是加密的，但登录标识以及点数数量和余额没有加密，因为服务必须在没有您的密钥时核对它们。本版本准确列出哪些信息加密、哪些以明文存储及其原因，哪些记录在 6 个月后删除，以及注销后您的请求记录在不与您关联的情况下最多保留 6 个月。',
    },
    text: { en: textEn11, zh: textZh11 },
  },
];

/** Refuses a catalogue with duplicate versions or dates out of order (a typo would hide a version). */
export function assertValidPolicyVersions(versions: readonly PolicyVersion[]): void {
  if (versions.length === 0) throw new Error('the policy catalogue is empty');
  const seen = new Set<string>();
  let previous = -Infinity;
  for (const v of versions) {
    if (seen.has(v.version)) throw new Error(`policy version ${v.version} is listed twice`);
    seen.add(v.version);
    const at = v.effectiveAt.getTime();
    if (!(at > previous)) throw new Error(`policy version ${v.version} is out of date order`);
    previous = at;
  }
}

assertValidPolicyVersions(policyVersions);
