import { describe, expect, it } from 'vitest';
import { policyVersions } from '../../modules/policies/policy-versions.js';
import { renderPolicyText } from './policy.view.js';

describe('the privacy policy as a page', () => {
  it('keeps headings to their own line, and paragraphs and lists apart', () => {
    const out = renderPolicyText(
      '## What we keep\nYour sign-in identity.\nNothing else.\n- one\n- two & three\n\n## Your rights\nAsk us.',
    ).value;
    expect(out).toContain('<h2>What we keep</h2>');
    expect(out).toContain('<p>Your sign-in identity. Nothing else.</p>');
    expect(out.replace(/\s+/g, ' ')).toContain('<ul> <li>one</li><li>two &amp; three</li> </ul>');
    expect(out).toContain('<h2>Your rights</h2>');
    expect(out).toContain('<p>Ask us.</p>');
  });

  it('renders every section of the published policy with a short heading, in both languages', () => {
    for (const version of policyVersions) {
      for (const lang of ['en', 'zh'] as const) {
        const text = version.text[lang];
        const out = renderPolicyText(text).value;
        const headings = [...out.matchAll(/<h2>(.*?)<\/h2>/gs)].map((m) => m[1] ?? '');
        expect(headings.length).toBe(text.split('\n').filter((l) => l.startsWith('## ')).length);
        // A heading is a title, not the section's whole text.
        for (const heading of headings) expect(heading.length, heading).toBeLessThan(60);
        const bullets = text.split('\n').filter((l) => l.trim().startsWith('- ')).length;
        expect([...out.matchAll(/<li>/g)].length).toBe(bullets);
        expect(out).toContain('<p>');
      }
    }
  });
});
