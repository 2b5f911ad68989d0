import type { PolicyLanguage } from '../modules/policies/policy-versions.js';
import { STYLE_DECLARATIONS, STYLES, type Style } from '../music/styles/style-registry.js';
import { SafeHtml } from './html.js';

export type Lang = PolicyLanguage;

/** The value for `<html lang>` and `lang=""` attributes. */
export function htmlLang(lang: Lang): string {
  return lang === 'zh' ? 'zh-Hans' : 'en';
}

/** Style names live with each style's declaration in the engine. */
function styleNames(lang: Lang): Record<`style.${Style}`, string> {
  return Object.fromEntries(
    STYLE_DECLARATIONS.map((s) => [`style.${s.id}`, s.names[lang]]),
  ) as Record<`style.${Style}`, string>;
}

const en = {
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
    'Everything we store is encrypted; deleting your account makes it unreadable.',
  'landing.privacy.5':
    'No optional cookies unless you say yes. See, export or delete your data any time.',

  'create.title': 'Create',
  'create.hello': 'Hello, {name}',
  'create.balance': 'Balance: {balance} credits · this piece costs {cost}',
  'create.buy': 'Buy credits',
  'create.tooLow': 'You need {cost} credits for a piece but have {balance}.',
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
  'create.instrument': 'Lead instrument (optional)',
  'create.instrumentPlaceholder': 'e.g. piano, violin, 古筝',
  'create.seed': 'Seed (optional)',
  'create.seedPlaceholder': 'random',
  'create.surprise': 'Surprise me',
  'create.loop': 'Make it loop seamlessly',
  'create.more': 'More controls',
  'create.submit': 'Compose',
  'create.cost': 'This piece costs {cost} credit(s). You have {balance}.',
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

  'library.title': 'Your library',
  'library.note': 'Music is kept for 24 hours after it is made, then deleted.',
  'library.empty': 'Nothing here yet.',
  'library.start': 'Compose your first piece',
  'library.date': 'Made',
  'library.status': 'Status',
  'library.music': 'Music',
  'library.open': 'Open',

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
  'credits.balance': 'Balance: {balance} credits{held} · a piece costs {cost}',
  'credits.held': ' ({reserved} held for pieces in progress)',
  'credits.packs': 'Buy credits',
  'credits.pack': '{credits} credits',
  'credits.buy': 'Buy',
  'credits.buyPack': 'Buy {credits} credits — {price}',
  'credits.local':
    'Payments are in local test mode (no Stripe keys configured): no real payment is taken.',
  'credits.confirming':
    'Thank you — your payment is being confirmed. Credits appear here as soon as it is.',
  'credits.purchase': 'Purchase {status}: {credits} credits.',
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

  'error.generic': 'Something went wrong. Please try again.',
  'error.range_not_satisfiable': 'That part of the file does not exist. Reload and try again.',
} as const;

export type MessageKey = keyof typeof en;

const zh: Record<MessageKey, string> = {
  'site.name': 'Instune',
  'nav.label': '主导航',
  'nav.create': '创作',
  'nav.library': '作品库',
  'nav.credits': '点数',
  'nav.account': '账户',
  'nav.signOut': '退出登录',
  'nav.signIn': '登录',
  'nav.skip': '跳到正文',
  'errorPage.notFound.title': '找不到页面',
  'errorPage.notFound.body':
    '这个地址没有内容。链接可能有误，或者乐曲已被删除（音乐只保留 24 小时）。',
  'errorPage.signIn.title': '请先登录',
  'errorPage.signIn.body': '这个页面属于某个账户，登录后即可查看。',
  'errorPage.signInAction': '登录',
  'errorPage.forbidden.title': '无权访问',
  'errorPage.forbidden.body': '您的账户不能打开这个页面。',
  'errorPage.gone.title': '内容已不存在',
  'errorPage.gone.body': '它已按照我们的隐私政策删除：音乐在 24 小时后删除，图片在音乐生成后删除。',
  'errorPage.tooMany.title': '请求过于频繁',
  'errorPage.tooMany.body': '您在短时间内发送了很多请求。请等一分钟再试。',
  'errorPage.broken.title': '出了点问题',
  'errorPage.broken.body':
    '这是我们的问题，不是您的。请稍后再试；如果一直出现，请联系我们并附上下面的编号。',
  'errorPage.home': '返回首页',
  'errorPage.reference': '编号：{status} · {id}',
  'footer.ai':
    '本站生成的音乐均为 AI 生成内容（AI生成）。上传的图片和文字在生成后删除；生成的音乐在 24 小时后删除。',

  'landing.title': '把一张图片变成音乐',
  'landing.lead':
    '上传一张照片或一幅画，愿意的话再写几句话，Instune 会根据它的色彩、光线和情绪创作一首原创乐曲。',
  'landing.signIn': '登录开始创作',
  'landing.accept': '登录即表示您接受我们的',
  'landing.privacyLink': '隐私政策',
  'landing.how': '如何运作',
  'landing.step1.title': '上传图片',
  'landing.step1.body': '照片、素描或油画均可——JPEG、PNG 或 WebP 格式。',
  'landing.step2.title': '说说想要的感觉',
  'landing.step2.body': '可以添加文字、情绪、风格、速度或乐器。您的文字优先于图片。',
  'landing.step3.title': '聆听并下载',
  'landing.step3.body': '几秒钟后即可获得一首原创乐曲及其创作说明，可下载 MP3、WAV 和 MIDI。',
  'landing.privacy': '用大白话说隐私',
  'landing.privacy.1': '您的图片和文字只用于生成您的音乐。',
  'landing.privacy.2': '音乐生成后立即删除它们，最迟不超过 72 小时。',
  'landing.privacy.3': '音乐归您下载使用；我们保存的副本在 24 小时后删除。',
  'landing.privacy.4': '我们存储的一切都经过加密；注销账户后这些数据将无法读取。',
  'landing.privacy.5': '未经您同意不使用任何可选 Cookie。您可以随时查看、导出或删除您的数据。',

  'create.title': '创作',
  'create.hello': '您好，{name}',
  'create.balance': '余额：{balance} 点 · 本次创作需 {cost} 点',
  'create.buy': '购买点数',
  'create.tooLow': '每首乐曲需要 {cost} 点，您目前有 {balance} 点。',
  'create.image': '图片',
  'create.drop': '把图片拖到这里，或点击选择',
  'create.dropHint': 'JPEG、PNG 或 WebP，最大 {mb} MB。上传时会删除位置（GPS）和相机信息。',
  'create.preview': '所选图片的预览',
  'create.wrongType': '请选择 JPEG、PNG 或 WebP 图片。',
  'create.tooLarge':
    '这张图片有 {size} MB，图片最大为 {mb} MB。请选择更小的图片，或先把它另存为更小的文件。',
  'create.heic':
    '暂时无法读取 HEIC 照片（iPhone 默认格式）。请选择 JPEG、PNG 或 WebP 图片，或先把这张照片导出为 JPEG。',
  'create.change': '换一张图片',
  'create.text': '描述（可选）',
  'create.textPlaceholder': '例如：夜晚平静的海边 / calm night by the sea',
  'create.length': '时长（秒，10–180）',
  'create.mood': '情绪',
  'create.style': '风格',
  'create.auto': '由图片决定',
  'create.tempo': '速度（BPM，50–180，可选）',
  'create.instrument': '主奏乐器（可选）',
  'create.instrumentPlaceholder': '例如：钢琴、小提琴、古筝',
  'create.seed': '随机种子（可选）',
  'create.seedPlaceholder': '随机',
  'create.surprise': '给我惊喜',
  'create.loop': '生成可无缝循环的音乐',
  'create.more': '更多选项',
  'create.submit': '开始创作',
  'create.cost': '本次创作需 {cost} 点，您有 {balance} 点。',
  'create.cost.one': '本次创作需 {count} 点，您有 {balance} 点。',
  'create.cost.other': '本次创作需 {count} 点，您有 {balance} 点。',
  'create.balance.one': '余额：{count} 点 · 本次创作需 {cost} 点',
  'create.balance.other': '余额：{count} 点 · 本次创作需 {cost} 点',
  'create.tooLow.one': '每首乐曲需要 {count} 点，您目前有 {balance} 点。',
  'create.tooLow.other': '每首乐曲需要 {count} 点，您目前有 {balance} 点。',
  'create.recent': '最近的作品',
  'create.allPieces': '在作品库中查看全部',

  'mood.calm': '平静',
  'mood.happy': '快乐',
  'mood.sad': '忧伤',
  'mood.energetic': '活力',
  'mood.dark': '暗黑',
  'mood.dreamy': '梦幻',

  ...styleNames('zh'),

  'stage.queued': '正在等待空闲的处理程序',
  'stage.analysing': '正在分析图片',
  'stage.composing': '正在作曲',
  'stage.rendering': '正在渲染乐器',
  'stage.encoding': '正在编码音频',
  'stage.storing': '正在保存',
  'stage.done': '已完成',
  'stage.failed': '失败',
  'stage.short.analysing': '分析',
  'stage.short.composing': '作曲',
  'stage.short.rendering': '渲染',
  'stage.short.encoding': '编码',

  'status.queued': '排队中',
  'status.running': '进行中',
  'status.done': '已完成',
  'status.failed': '失败',
  'status.deleted': '已删除',

  'result.title': '您的乐曲',
  'result.loading': '加载中…',
  'result.stages': '进度',
  'result.aiLabel': 'AI生成 / AI-generated',
  'result.waveform': '乐曲波形：点击或使用方向键跳转',
  'result.download': '下载',
  'result.downloadMp3': 'MP3',
  'result.downloadWav': 'WAV',
  'result.downloadMidi': 'MIDI',
  'result.downloadStems': '分轨 (ZIP)',
  'result.palette': '图片中的颜色',
  'result.why': '为什么是这样的声音',
  'result.details': '背后的数字',
  'result.deletesIn': '将在 {time} 后自动删除',
  'result.deletesAt': '（{date}）',
  'result.expired': '这首音乐已被删除。',
  'result.delete': '立即删除',
  'result.variation': '生成变奏（同一方案，新的随机种子）',
  'result.confirmDelete': '现在删除这首乐曲吗？此操作无法撤销。',
  'result.deletedNow': '已删除。',
  'result.another': '再创作一首',
  'result.failed': '生成失败。',
  'result.connectionLost': '连接已断开，{seconds} 秒后重试…',
  'result.reconnecting': '连接已断开，正在重试…',
  'result.offline': '您已离线。网络恢复后，本页会自动继续。',
  'result.reconnected': '已重新连接。',
  'result.variationNoCredits': '点数不足，无法生成变奏。请先购买点数再试。',
  'result.variationCost.one': '生成变奏需 {count} 点，您有 {balance} 点。',
  'result.variationCost.other': '生成变奏需 {count} 点，您有 {balance} 点。',
  'result.loopPlay': '循环播放',
  'result.loopStop': '停止循环',
  'result.loopHint':
    '这是一段循环音乐：“循环播放”会先播放一次简短的引入部分，然后无缝重复循环段，与您在作品中使用时的效果一致。',
  'result.estimate': '已用 {elapsed} · 预计还需约 {left}',
  'result.overdue': '已用 {elapsed} · 比平时稍久，仍在处理',

  'library.title': '作品库',
  'library.note': '音乐在生成后保留 24 小时，然后删除。',
  'library.empty': '这里还什么都没有。',
  'library.start': '创作第一首乐曲',
  'library.date': '生成时间',
  'library.status': '状态',
  'library.music': '音乐',
  'library.open': '打开',

  'account.title': '账户中心',
  'account.data': '我的数据',
  'account.email': '邮箱',
  'account.name': '姓名',
  'account.since': '注册时间',
  'account.stored': '我们存储什么、为什么、保存多久',
  'account.what': '内容',
  'account.why': '目的',
  'account.howLong': '保存期限',
  'account.correct': '更正我的姓名',
  'account.save': '保存',
  'account.saved': '已保存。',
  'account.export': '导出我的数据',
  'account.exportBody':
    '一个 ZIP 文件，包含您的账户和登录时间、点数记录和购买记录、Cookie 与政策选择、请求、每首作品的设置以及仍保存的音乐（MP3、WAV 和 MIDI），以 JSON 和文件提供，并附中英文说明。',
  'account.exportButton': '申请导出',
  'account.exportPending': '正在准备导出文件…',
  'account.exportReady': '导出文件已准备好。',
  'account.exportDownload': '下载 ZIP',
  'account.exportExpires': '链接将于 {date} 失效。',
  'account.exportFailed': '导出失败。请重试或提交请求。',
  'account.requests': '权利请求与投诉',
  'account.requestsBody': '您可以就您的数据提出任何请求或投诉。每项请求将在 15 个工作日内答复。',
  'account.kind': '类型',
  'account.message': '内容',
  'account.fileRequest': '提交请求',
  'account.noRequests': '暂无请求。',
  'account.filed': '提交时间',
  'account.due': '截止日期',
  'account.status': '状态',
  'account.consent': 'Cookie 与同意',
  'account.consentBody': '您可以随时更改或撤回 Cookie 选择。',
  'account.consentLink': '管理 Cookie 选择',
  'account.policyLink': '阅读隐私政策',
  'account.cancel': '注销我的账户',
  'account.cancelBody':
    '这会删除您的音乐，并立即使我们存储的关于您的所有数据无法读取。未使用的点数将作废。法律要求保留的付款记录将以假名化方式保存。',
  'account.cancelConfirm': '输入“cancel my account”以确认',
  'account.cancelButton': '注销我的账户',
  'account.cancelled': '您的账户已注销。',

  'kind.access': '查阅我的数据',
  'kind.export': '导出',
  'kind.correction': '更正',
  'kind.deletion': '删除',
  'kind.cancellation': '注销',
  'kind.withdraw_consent': '撤回同意',
  'kind.complaint': '投诉',
  'kind.other': '其他',

  'reqStatus.open': '待处理',
  'reqStatus.in_progress': '处理中',
  'reqStatus.done': '已完成',
  'reqStatus.rejected': '已拒绝',

  'credits.title': '点数',
  'credits.balance': '余额：{balance} 点{held} · 每首乐曲需 {cost} 点',
  'credits.held': '（{reserved} 点为进行中的作品预留）',
  'credits.packs': '购买点数',
  'credits.pack': '{credits} 点',
  'credits.buy': '购买',
  'credits.buyPack': '购买 {credits} 点 — {price}',
  'credits.local': '支付处于本地测试模式（未配置 Stripe 密钥）：不会产生真实付款。',
  'credits.confirming': '谢谢！正在确认您的付款，确认后点数会立即显示在这里。',
  'credits.purchase': '购买{status}：{credits} 点。',
  'credits.cancelled': '已取消结账，未收取任何费用。',
  'credits.purchases': '购买记录',
  'credits.none': '暂无。',
  'credits.history': '点数明细',
  'credits.change': '变动',
  'credits.after': '变动后余额',
  'credits.when': '时间',
  'credits.what': '说明',
  'credits.json': '完整记录（JSON）',

  'entry.grant': '增加点数',
  'entry.reservation': '为作品预留',
  'entry.capture': '用于作品',
  'entry.release': '退回（作品未生成）',
  'entry.refund': '已退款',
  'entry.adjustment': '调整',

  'purchase.pending': '待确认',
  'purchase.paid': '已付款',
  'purchase.partially_refunded': '部分退款',
  'purchase.refunded': '已退款',
  'purchase.expired': '已过期',

  'checkout.title': '本地测试结账 — 不产生真实付款',
  'checkout.body':
    '由于未配置 Stripe 密钥，此页面代替 Stripe。不会收取任何费用；完成后会像 Stripe 一样向本服务器的 webhook 发送一个签名的测试事件。',
  'checkout.done': '此测试购买已完成。',
  'checkout.back': '返回点数页面',
  'checkout.complete': '完成测试购买',
  'checkout.cancel': '取消',

  'error.generic': '出了点问题，请重试。',
  'error.range_not_satisfiable': '文件中没有所请求的部分。请刷新后重试。',
};

const catalogue: Record<Lang, Record<MessageKey, string>> = { en, zh };

export const moods = ['calm', 'happy', 'sad', 'energetic', 'dark', 'dreamy'] as const;
export const styles = STYLES;

/** The message for `key` in `lang`, with `{name}` placeholders filled from `vars`. */
export function t(lang: Lang, key: MessageKey, vars?: Record<string, string | number>): string {
  const text = catalogue[lang][key];
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in vars ? String(vars[name]) : whole,
  );
}

/** A message key built at run time (e.g. `stage.${stage}`), falling back to the raw value. */
export function tDynamic(lang: Lang, key: string, fallback: string): string {
  return key in en ? t(lang, key as MessageKey) : fallback;
}

/** Keys web/app.js needs, by prefix; handed over in a JSON data block (not executed, CSP-safe). */
const clientPrefixes = [
  'stage.',
  'status.',
  'style.',
  'result.',
  'create.',
  'account.',
  'kind.',
  'reqStatus.',
  'error.',
];

export function clientMessages(lang: Lang): SafeHtml {
  const subset: Record<string, string> = {};
  for (const [key, value] of Object.entries(catalogue[lang])) {
    if (clientPrefixes.some((p) => key.startsWith(p))) subset[key] = value;
  }
  // Inside <script> nothing is entity-decoded, so only "<" needs escaping (stops "</script>").
  const json = JSON.stringify({ lang, messages: subset }).replaceAll('<', '\\u003c');
  return new SafeHtml(`<script type="application/json" id="i18n">${json}</script>`);
}

export function formatDateTime(lang: Lang, iso: string | Date): string {
  const date = typeof iso === 'string' ? new Date(iso) : iso;
  return (
    new Intl.DateTimeFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', {
      dateStyle: 'medium',
      timeStyle: 'short',
      timeZone: 'UTC',
    }).format(date) + ' UTC'
  );
}

export function formatDate(lang: Lang, iso: string | Date): string {
  const date = typeof iso === 'string' ? new Date(iso) : iso;
  return new Intl.DateTimeFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', {
    dateStyle: 'medium',
    timeZone: 'UTC',
  }).format(date);
}

interface InventoryItem {
  what: string;
  why: string;
  retention: string;
}

/** Chinese wording of the data inventory, keyed by the English "what" (kept by the service). */
const inventoryZh: Record<string, InventoryItem> = {
  'Sign-in identity: issuer and subject identifier, email, name, avatar URL': {
    what: '登录身份：签发方和主体标识、邮箱、姓名、头像网址',
    why: '用于让您登录并显示您的账户',
    retention: '账户存续期间保存；注销账户时删除',
  },
  'Uploaded images and descriptions': {
    what: '上传的图片和描述',
    why: '仅用于生成您的音乐',
    retention: '生成结束时删除，最迟在上传后 72 小时删除',
  },
  'What the image analysis looks at: objects, the kind of scene, people, and faces with their expressions':
    {
      what: '图片分析查看的内容：物体、场景类型、人物，以及面部及其表情',
      why: '仅用于确定您音乐的情绪、风格和乐器；说明中可能提到物体和场景、人数，但从不描述任何面部',
      retention:
        '从不保存：仅在生成音乐时于内存中读取，随后丢弃；不保留任何面部、面部测量数据或表情',
    },
  'Generated music and its explanation': {
    what: '生成的音乐及其说明',
    why: '供您播放和下载',
    retention: '生成后 24 小时删除',
  },
  'Sessions (a hashed token, start and expiry time)': {
    what: '会话（令牌的哈希值、开始和过期时间）',
    why: '保持您的登录状态',
    retention: '直到您退出登录或会话过期',
  },
  'Request counts for sign-in and upload limits (a keyed hash of your account or IP address, never the address itself)':
    {
      what: '登录和上传频率限制的请求计数（账户或 IP 地址的带密钥哈希值，从不保存地址本身）',
      why: '用于阻止密码猜测攻击和失控的上传',
      retention: '限制时间窗口结束时（默认一分钟）失效，随后 5 分钟内删除',
    },
};

export function translateInventory(lang: Lang, items: readonly InventoryItem[]): InventoryItem[] {
  if (lang === 'en') return [...items];
  return items.map((item) => {
    const zhItem = inventoryZh[item.what];
    if (zhItem) return zhItem;
    if (item.what.startsWith('Cookie choices')) {
      return {
        what: 'Cookie 选择（目的、同意或拒绝、政策版本、时间）、您接受的隐私政策版本，以及我们发给您的政策变更通知',
        why: '尊重并证明您的选择',
        retention: 'Cookie 选择保存 6 个月；接受记录在账户存续期间保存；注销账户时一并删除',
      };
    }
    return item;
  });
}
