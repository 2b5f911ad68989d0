/**
 * Where stored objects may live. `cn`: mainland China only, as the privacy policy promises (no
 * data on overseas servers; PIPL Art. 38–40 make storing abroad a cross-border transfer). `none`:
 * no promise, for deployments whose published policy says otherwise.
 */
export const dataResidencies = ['cn', 'none'] as const;
export type DataResidency = (typeof dataResidencies)[number];

/**
 * Region names that place a bucket in mainland China. AWS China (cn-north-1, cn-northwest-1) and
 * the S3-compatible stores that follow its naming use `cn-*`; Alibaba OSS names its regions
 * `oss-cn-*` (Hong Kong, `oss-cn-hongkong`, is outside the mainland and so is refused); Tencent COS
 * uses `ap-<city>`, of which only the mainland cities are listed. docs/decisions/0023.
 */
const MAINLAND_TENCENT_REGIONS = new Set([
  'ap-beijing',
  'ap-nanjing',
  'ap-shanghai',
  'ap-guangzhou',
  'ap-chengdu',
  'ap-chongqing',
]);

export function regionSatisfiesResidency(region: string, residency: DataResidency): boolean {
  if (residency === 'none') return true;
  const name = region.trim().toLowerCase();
  if (name === 'oss-cn-hongkong' || name === 'cn-hongkong') return false;
  return /^(oss-)?cn-[a-z]+(-\d+)?$/.test(name) || MAINLAND_TENCENT_REGIONS.has(name);
}

/** Why a storage region is refused, or null when it may be used. */
export function residencyProblem(
  region: string | undefined,
  residency: DataResidency,
): string | null {
  if (region === undefined) {
    return 'S3_REGION must be set explicitly in production (the SDK default is us-east-1, outside China)';
  }
  if (!regionSatisfiesResidency(region, residency)) {
    return `S3_REGION "${region}" is outside the data residency DATA_RESIDENCY=${residency} requires (mainland China: a cn-* region, e.g. cn-north-1; see docs/decisions/0023)`;
  }
  return null;
}
