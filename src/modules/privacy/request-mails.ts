import type { MailMessage } from '../../adapters/mail/mailer.js';
import type { RightsRequestKind } from '../../db/schema.js';

type Lang = 'en' | 'zh';

/** The kinds as the account center names them (src/http/messages kind.*), for mail text. */
const kindNames: Record<RightsRequestKind, Record<Lang, string>> = {
  access: { en: 'Access to my data', zh: '查阅我的数据' },
  export: { en: 'Export', zh: '导出' },
  correction: { en: 'Correction', zh: '更正' },
  deletion: { en: 'Deletion', zh: '删除' },
  cancellation: { en: 'Cancellation', zh: '注销' },
  withdraw_consent: { en: 'Withdraw consent', zh: '撤回同意' },
  complaint: { en: 'Complaint', zh: '投诉' },
  other: { en: 'Other', zh: '其他' },
};

const statusNames: Record<string, Record<Lang, string>> = {
  open: { en: 'Open', zh: '待处理' },
  in_progress: { en: 'In progress', zh: '处理中' },
  done: { en: 'Done', zh: '已完成' },
  rejected: { en: 'Rejected', zh: '已拒绝' },
};

export interface ReplyMailInput {
  language: Lang;
  kind: RightsRequestKind;
  filedOn: string;
  dueDate: string;
  status: string;
  reply: string;
  publicUrl: string;
  /** Sent through the contact form without an account: there is no account center to point to. */
  viaContactForm?: boolean;
}

/**
 * A staff reply, mailed in the language the request was filed in. It carries the reply (which
 * the user asked for) and nothing else personal: no name, no copy of the request's own text.
 */
export function composeReplyMail(input: ReplyMailInput): Omit<MailMessage, 'to'> {
  const kind = kindNames[input.kind][input.language];
  const status = statusNames[input.status]?.[input.language] ?? input.status;
  const lang = input.language === 'zh' ? '?lang=zh' : '';
  const link = input.viaContactForm
    ? `${input.publicUrl}/contact${lang}`
    : `${input.publicUrl}/account${lang}#requests-title`;
  if (input.language === 'zh') {
    return {
      subject: `Instune 已答复您的请求（${kind}）`,
      text: [
        `您于 ${input.filedOn} 提交的请求（${kind}，截止日期 ${input.dueDate}）有了答复：`,
        '',
        input.reply,
        '',
        `当前状态：${status}`,
        input.viaContactForm
          ? `如需继续沟通，请通过联系表单再次写信给我们：${link}`
          : `您可以在账户中心查看请求及全部答复：${link}`,
        '',
        input.viaContactForm
          ? '如对处理结果不满意，您可以通过联系表单再次投诉，也可以向国家互联网信息办公室（12377.cn）或当地网信部门投诉。'
          : '如对处理结果不满意，您可以在账户中心再次提出投诉，也可以向国家互联网信息办公室（12377.cn）或当地网信部门投诉。',
      ].join('\n'),
    };
  }
  return {
    subject: `Instune has answered your request (${kind})`,
    text: [
      `Your request of ${input.filedOn} (${kind}, due ${input.dueDate}) has a reply:`,
      '',
      input.reply,
      '',
      `Status now: ${status}`,
      input.viaContactForm
        ? `To write to us again, use the contact form: ${link}`
        : `The request and every reply are in your account center: ${link}`,
      '',
      input.viaContactForm
        ? 'If you are not satisfied, you can complain again through the contact form, or to the Cyberspace Administration of China (12377.cn) or your local cyberspace authority.'
        : 'If you are not satisfied, you can complain again in the account center, or to the Cyberspace Administration of China (12377.cn) or your local cyberspace authority.',
    ].join('\n'),
  };
}

export interface AlertLine {
  id: string;
  kind: RightsRequestKind;
  dueDate: string;
  businessDaysLeft: number;
}

/**
 * The deadline alert to one staff member: ids, kinds and due dates only (no requester, no text),
 * in both languages, since staff have no language setting.
 */
export function composeDeadlineAlert(
  alert: { nearDue: readonly AlertLine[]; overdue: readonly AlertLine[] },
  publicUrl: string,
): Omit<MailMessage, 'to'> {
  const line = (a: AlertLine, lang: Lang) =>
    `  - ${a.id} · ${kindNames[a.kind][lang]} · ${lang === 'zh' ? '截止' : 'due'} ${a.dueDate}` +
    (a.businessDaysLeft > 0
      ? lang === 'zh'
        ? `（剩余 ${a.businessDaysLeft} 个工作日）`
        : ` (${a.businessDaysLeft} business day${a.businessDaysLeft === 1 ? '' : 's'} left)`
      : '');
  const section = (title: string, items: readonly AlertLine[], lang: Lang) =>
    items.length === 0 ? [] : [title, ...items.map((a) => line(a, lang)), ''];
  return {
    subject: `Rights requests: ${alert.overdue.length} overdue, ${alert.nearDue.length} due soon / 权利请求：${alert.overdue.length} 项逾期，${alert.nearDue.length} 项即将到期`,
    text: [
      'These rights requests must be answered within 15 business days of filing.',
      '',
      ...section('Overdue:', alert.overdue, 'en'),
      ...section('Due soon:', alert.nearDue, 'en'),
      `Queue: ${publicUrl}/api/staff/requests`,
      '',
      '——',
      '',
      '以下权利请求须在提交后 15 个工作日内答复。',
      '',
      ...section('已逾期：', alert.overdue, 'zh'),
      ...section('即将到期：', alert.nearDue, 'zh'),
      `请求队列：${publicUrl}/api/staff/requests`,
    ].join('\n'),
  };
}
