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
