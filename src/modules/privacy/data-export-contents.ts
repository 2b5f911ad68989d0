import { createHash } from 'node:crypto';
import { strToU8, type Zippable } from 'fflate';

/**
 * Bumped whenever a file is added, removed or a field changes meaning, so a tool reading old
 * exports can tell them apart. 1 was the first export (no manifest); 2 added credits, consent,
 * sign-ins, generation settings, WAV/MIDI and this manifest.
 */
export const EXPORT_SCHEMA_VERSION = 2;

/** Every JSON file of the export with what it holds, in English and Chinese (README and manifest). */
export const exportFileDescriptions: Record<string, { en: string; zh: string }> = {
  'account.json': {
    en: 'your sign-in identity and profile: email, name, avatar, account creation and last sign-in',
    zh: '您的登录身份和资料：邮箱、姓名、头像、账户创建时间和最近一次登录时间',
  },
  'sign-ins.json': {
    en: 'your last sign-in time and each signed-in session (started, last seen, expires)',
    zh: '最近一次登录时间，以及每个登录会话（开始、最近活动、到期时间）',
  },
  'credits.json': {
    en: 'your credit balance, every credit entry (free grants, spending per generation, refunds) and your purchases',
    zh: '点数余额、每条点数记录（免费赠送、每次生成的消费、退款）以及您的购买记录',
  },
  'consent.json': {
    en: 'your cookie choices (with the policy version each was made under) and the privacy policy versions you accepted',
    zh: '您的 Cookie 选择（及每次选择时的政策版本）和您接受过的隐私政策版本',
  },
  'generations.json': {
    en: 'every generation we still hold: its settings (length, seed, mood, style, tempo, instrument, loop, description if still kept), the reasons behind its music, and its music files',
    zh: '我们仍保存的每次生成：设置（时长、种子、情绪、风格、速度、乐器、循环、仍保存的描述）、音乐的生成依据及音乐文件',
  },
  'requests.json': {
    en: 'your privacy requests and complaints, with their due dates',
    zh: '您的隐私请求和投诉及其答复期限',
  },
  'stored-data.json': {
    en: 'what we keep, why, and for how long',
    zh: '我们保存哪些数据、原因及保存期限',
  },
};

/** The README: what is in the ZIP, what is not and why, in English then Chinese. */
export function exportReadme(userId: string, createdAt: Date): string {
  const files = Object.entries(exportFileDescriptions);
  return [
    'Your Instune data export',
    `Created ${createdAt.toISOString()} for account ${userId}. Format version ${EXPORT_SCHEMA_VERSION}.`,
    '',
    'What is inside',
    ...files.map(([name, d]) => `  ${name.padEnd(18)} ${d.en}`),
    '  music/             generated music still within its 24-hour retention, as MP3, WAV and MIDI',
    '                     (every file is labelled as AI-generated)',
    '  manifest.json      the format version and the size and SHA-256 of every file, to check the export is whole',
    '',
    'What is not inside, and why',
    '  - Uploaded pictures and their descriptions: deleted once the music is made (at most 72 hours).',
    '  - Music older than 24 hours: deleted on schedule, so it can no longer be exported.',
    '  - Server logs: kept briefly for security and not linked to your account in a way we can export.',
    '  - Card details: handled by the payment provider (Stripe); we never receive them.',
    '',
    'All times are UTC (ISO 8601). JSON files are UTF-8.',
    '',
    '',
    'Instune 数据导出',
    `创建于 ${createdAt.toISOString()}，账户 ${userId}。格式版本 ${EXPORT_SCHEMA_VERSION}。`,
    '',
    '包含内容',
    ...files.map(([name, d]) => `  ${name.padEnd(18)} ${d.zh}`),
    '  music/             仍在 24 小时保存期内的生成音乐，包括 MP3、WAV 和 MIDI（每个文件均标注为 AI 生成）',
    '  manifest.json      格式版本及每个文件的大小和 SHA-256，用于核对导出是否完整',
    '',
    '不包含的内容及原因',
    '  - 上传的图片及其描述：音乐生成后即删除（最长 72 小时）。',
    '  - 超过 24 小时的音乐：已按计划删除，因此无法再导出。',
    '  - 服务器日志：仅为安全目的短期保存，无法按账户导出。',
    '  - 银行卡信息：由支付服务商（Stripe）处理，我们从不接收。',
    '',
    '所有时间均为 UTC（ISO 8601）。JSON 文件使用 UTF-8 编码。',
    '',
  ].join('\n');
}

/** The manifest lists every other file, so a missing or altered file is noticed. */
export function exportManifest(userId: string, createdAt: Date, files: Zippable): unknown {
  return {
    schemaVersion: EXPORT_SCHEMA_VERSION,
    service: 'Instune',
    accountId: userId,
    createdAt: createdAt.toISOString(),
    files: Object.entries(files)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([path, bytes]) => {
        const data = bytes as Uint8Array;
        return {
          path,
          bytes: data.length,
          sha256: createHash('sha256').update(data).digest('hex'),
          description: exportFileDescriptions[path]?.en ?? null,
        };
      }),
  };
}

export function jsonFile(value: unknown): Uint8Array {
  return strToU8(`${JSON.stringify(value, null, 2)}\n`);
}
