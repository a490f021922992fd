/**
 * The customer's sector (lĩnh vực): what the periodic report to the Sở KH&CN groups customers by.
 * A fixed list rather than a table the centre edits: the report compares quarters and years, and a
 * list that changed between them would make the rows incomparable; these are the sectors whose
 * measuring instruments a provincial TĐC centre verifies (Luật Đo lường, group-2 instruments: fuel
 * dispensers, market and commercial scales, medical instruments, electricity and water meters,
 * weighbridges and taximeters, building-material testing) plus the public bodies it serves. A new
 * sector is a migration (CHECK constraint) and a line here.
 */
export const SECTORS = [
  'fuel_retail',
  'trade_markets',
  'health',
  'industry',
  'construction',
  'transport',
  'utilities',
  'education_research',
  'public_administration',
  'other',
] as const;
export type Sector = (typeof SECTORS)[number];

/** How the report prints a sector (Vietnamese, English). */
export const SECTOR_LABELS: Record<Sector, { vi: string; en: string }> = {
  fuel_retail: { vi: 'Kinh doanh xăng dầu', en: 'Fuel retail' },
  trade_markets: { vi: 'Thương mại, chợ', en: 'Trade and markets' },
  health: { vi: 'Y tế', en: 'Health' },
  industry: { vi: 'Công nghiệp, sản xuất', en: 'Industry and manufacturing' },
  construction: { vi: 'Xây dựng', en: 'Construction' },
  transport: { vi: 'Giao thông vận tải', en: 'Transport' },
  utilities: { vi: 'Điện, nước', en: 'Electricity and water utilities' },
  education_research: { vi: 'Giáo dục, nghiên cứu', en: 'Education and research' },
  public_administration: { vi: 'Cơ quan nhà nước', en: 'Public administration' },
  other: { vi: 'Khác', en: 'Other' },
};

/** The label of an organization without a sector. */
export const SECTOR_NOT_STATED = { vi: 'Chưa khai báo', en: 'Not stated' } as const;

/** The CHECK constraint's expression (entity and migration). */
export const SECTOR_CHECK = `"sector" IS NULL OR "sector" IN (${SECTORS.map((s) => `'${s}'`).join(', ')})`;
