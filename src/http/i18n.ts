import type { PolicyLanguage } from '../modules/policies/policy-versions.js';
import { MOODS } from '../music/plan/music-plan.js';
import { STYLES } from '../music/styles/style-registry.js';
import { SafeHtml } from './html.js';
import { en, type MessageKey } from './messages/en.js';
import { zh } from './messages/zh.js';

export type Lang = PolicyLanguage;

/** The value for `<html lang>` and `lang=""` attributes. */
export function htmlLang(lang: Lang): string {
  return lang === 'zh' ? 'zh-Hans' : 'en';
}

export type { MessageKey };

const catalogue: Record<Lang, Record<MessageKey, string>> = { en, zh };

export const moods = MOODS;
export const styles = STYLES;

/** The message for `key` in `lang`, with `{name}` placeholders filled from `vars`. */
export function t(lang: Lang, key: MessageKey, vars?: Record<string, string | number>): string {
  const text = catalogue[lang][key];
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in vars ? String(vars[name]) : whole,
  );
}

/** Message keys that come in plural forms: `<base>.one` and `<base>.other` both exist. */
type PluralBase = {
  [K in MessageKey]: K extends `${infer B}.one`
    ? `${B}.other` extends MessageKey
      ? B
      : never
    : never;
}[MessageKey];

const pluralRules = {
  en: new Intl.PluralRules('en-GB'),
  zh: new Intl.PluralRules('zh-CN'),
} satisfies Record<Lang, Intl.PluralRules>;

/**
 * The message for a count, in the form the language's plural rules choose ("1 credit",
 * "2 credits"; Chinese has one form, with its measure word in the text), {count} filled.
 */
export function tCount(
  lang: Lang,
  base: PluralBase,
  count: number,
  vars: Record<string, string | number> = {},
): string {
  const form = pluralRules[lang].select(count) === 'one' ? 'one' : 'other';
  return t(lang, `${base}.${form}` as MessageKey, { ...vars, count });
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
  'library.',
  'compare.',
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
  'Records of your pieces: settings (length, seed, style choices), status and times': {
    what: '您作品的记录：设置（时长、种子、风格选择）、状态和时间',
    why: '用于显示您的作品库，并结算每件作品所花的点数',
    retention: '作品生成 6 个月后删除；您删除作品或注销账户时立即删除',
  },
  'Credit records: every credit movement, and your purchases (pack, amount, currency, status, Stripe order references)':
    {
      what: '点数记录：每一笔点数变动，以及您的购买记录（点数包、金额、币种、状态、Stripe 订单编号）',
      why: '用于保证您的余额正确并证明付款',
      retention:
        '账户存续期间保存；注销时删除点数变动记录，购买记录按法律要求保留但不含您的账户编号',
    },
  'Requests and complaints you file (kind, status and dates; the text is encrypted)': {
    what: '您提交的请求和投诉（类型、状态和日期；文字已加密）',
    why: '用于在 15 个工作日内答复，并证明我们已答复',
    retention: '答复 6 个月后删除；注销账户后在不与您关联的情况下最多保留 6 个月',
  },
  'Data exports (the ZIP is encrypted)': {
    what: '数据导出（ZIP 文件已加密）',
    why: '供您下载数据副本',
    retention: 'ZIP 文件在生成 24 小时后删除，注销时立即删除；导出记录 6 个月后删除',
  },
  'Staff access log (which staff member read which account, and when)': {
    what: '员工访问日志（哪位员工在何时查看了哪个账户）',
    why: '用于证明员工仅在其角色允许时查看个人信息',
    retention: '保存 6 个月，之后删除',
  },
  "Server logs (time, path, status, request id, and your account's random id when signed in)": {
    what: '服务器日志（时间、路径、状态、请求编号，以及您登录时账户的随机编号）',
    why: '用于发现和修复故障与滥用',
    retention: '由运营方在 6 个月内删除；其中从不包含您上传的内容、邮箱或姓名',
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
