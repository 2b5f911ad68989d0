import type { MailMessage } from '../../adapters/mail/mailer.js';

/** The data categories a breach can touch, named as the privacy policy names them. */
export const breachCategoryNames: Record<string, { en: string; zh: string }> = {
  identity: {
    en: 'sign-in identity (email address, name, avatar)',
    zh: '登录身份（邮箱、姓名、头像）',
  },
  sign_ins: { en: 'sign-in sessions and times', zh: '登录会话及时间' },
  generations: {
    en: 'uploaded pictures, descriptions, generated music and its settings',
    zh: '上传的图片、描述、生成的音乐及其设置',
  },
  credits: { en: 'credit records and purchases', zh: '点数记录和购买记录' },
  consent: { en: 'cookie choices and policy acceptances', zh: 'Cookie 选择和政策接受记录' },
  requests: { en: 'privacy requests and complaints', zh: '隐私请求和投诉' },
  exports: { en: 'data export files', zh: '数据导出文件' },
};

export interface BreachIncident {
  ref: string;
  summaryEn: string;
  summaryZh: string;
}

function categoryLines(categories: readonly string[], lang: 'en' | 'zh'): string[] {
  return categories.map((c) => `  - ${breachCategoryNames[c]?.[lang] ?? c}`);
}

/**
 * The notice to one affected person (PIPL Art. 57: what happened, which information, the harm it
 * may cause, what we did, what they can do, how to reach us). Bilingual; no personal data in it.
 */
export function composeBreachUserNotice(
  incident: BreachIncident,
  categories: readonly string[],
  publicUrl: string,
): Omit<MailMessage, 'to'> {
  return {
    subject: `Security incident notice / 安全事件通知 (${incident.ref})`,
    text: [
      'We are writing to tell you about a security incident that may affect your Instune account.',
      '',
      'What happened and what we have done:',
      incident.summaryEn,
      '',
      'Information of yours that may be affected:',
      ...categoryLines(categories, 'en'),
      '',
      'What you can do: watch for messages that pretend to be from Instune or ask for your Google',
      'password (we never ask for it); check the security page of your Google account, which you',
      'sign in with; export or delete your data, or file a question or complaint, in the account',
      'center. You can also complain to the Cyberspace Administration of China (12377.cn) or your',
      'local cyberspace authority.',
      `Account center: ${publicUrl}/account`,
      '',
      '——',
      '',
      '我们特此通知您：发生了一起可能影响您 Instune 账户的安全事件。',
      '',
      '事件经过及我们已采取的措施：',
      incident.summaryZh,
      '',
      '可能受影响的您的信息：',
      ...categoryLines(categories, 'zh'),
      '',
      '您可以：警惕冒充 Instune 或索要 Google 密码的消息（我们从不索要）；检查您用于登录的 Google',
      '账户的安全设置；在账户中心导出或删除您的数据，或提交问题或投诉。您也可以向国家互联网信息',
      '办公室（12377.cn）或当地网信部门投诉。',
      `账户中心：${publicUrl}/account`,
      '',
      `Reference / 编号：${incident.ref}`,
    ].join('\n'),
  };
}

/** The report to the regulator: counts and categories only, never who. Bilingual; staff fill the blanks. */
export function composeRegulatorReport(
  incident: BreachIncident,
  window: { from: Date; to: Date },
  affected: { users: number; categories: Record<string, number> },
): { en: string; zh: string } {
  const counts = Object.entries(affected.categories);
  return {
    en: [
      `Personal information security incident report — ${incident.ref}`,
      'Operator: Instune (personal information handler). Contact: [name, role, phone, email]',
      `Period of exposure: ${window.from.toISOString()} to ${window.to.toISOString()} (UTC)`,
      `Discovered at: [time, UTC]. Contained at: [time, UTC].`,
      '',
      'What happened and measures taken:',
      incident.summaryEn,
      '',
      `Individuals affected: ${affected.users}`,
      'Categories of personal information (individuals per category):',
      ...counts.map(([c, n]) => `  - ${breachCategoryNames[c]?.en ?? c}: ${n}`),
      '',
      'Possible harm: [assessment]. Notice to individuals: sent by email on [date].',
      'Remediation and follow-up: [measures, dates].',
    ].join('\n'),
    zh: [
      `个人信息安全事件报告 — ${incident.ref}`,
      '个人信息处理者：Instune。联系人：[姓名、职务、电话、邮箱]',
      `暴露期间：${window.from.toISOString()} 至 ${window.to.toISOString()}（UTC）`,
      '发现时间：[UTC 时间]。控制时间：[UTC 时间]。',
      '',
      '事件经过及已采取的措施：',
      incident.summaryZh,
      '',
      `受影响个人数量：${affected.users}`,
      '涉及的个人信息种类（每类受影响人数）：',
      ...counts.map(([c, n]) => `  - ${breachCategoryNames[c]?.zh ?? c}：${n}`),
      '',
      '可能造成的危害：[评估]。个人通知：已于 [日期] 通过电子邮件发送。',
      '补救措施及后续工作：[措施、日期]。',
    ].join('\n'),
  };
}
