import { z } from 'zod';
import { inactiveAfterDaysSchema } from '../metrics/retention.js';
import { ianaTimeZone, text } from '../validation.js';

/** How customers recognise the company on the survey page, in the widget and in every mail. */
export interface Brand {
  /** Null: texts leave the company out ("Thank you for your trust in us"), never the internal workspace name. */
  companyName: string | null;
  logoUrl: string | null;
  /** #rrggbb of buttons and links. */
  accentColor: string;
  /** The display name mails are sent under. */
  senderName: string | null;
}

export const DEFAULT_ACCENT_COLOR = '#1463d8';
/** WCAG 2.2 AA for normal text: white button text on the accent colour, and accent links on white. */
export const MIN_ACCENT_CONTRAST = 4.5;

/** The Workspace columns a brand is made of. */
export const BRAND_COLUMNS = ['companyName', 'logoUrl', 'accentColor', 'senderName'] as const;
export type BrandColumns = Record<(typeof BRAND_COLUMNS)[number], string | null>;

/** SQL selecting the brand columns of the workspace aliased `alias` as one JSON object (read back by brandOf). */
export function brandJsonSql(alias: string): string {
  if (!/^[a-z_]+$/.test(alias)) throw new Error(`not an alias: ${alias}`);
  return `json_build_object(${BRAND_COLUMNS.map((column) => `'${column}', ${alias}."${column}"`).join(', ')})`;
}

export function brandOf(workspace: BrandColumns): Brand {
  return {
    companyName: workspace.companyName,
    logoUrl: workspace.logoUrl,
    accentColor: workspace.accentColor ?? DEFAULT_ACCENT_COLOR,
    senderName: workspace.senderName ?? workspace.companyName,
  };
}

function luminance(hex: string): number {
  const channel = (offset: number) => {
    const value = Number.parseInt(hex.slice(offset, offset + 2), 16) / 255;
    return value <= 0.04045 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

/** WCAG contrast ratio of two #rrggbb colours (1 to 21). */
export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

const accentColor = z
  .string()
  .regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour such as #1463d8')
  .transform((value) => value.toLowerCase())
  .superRefine((value, ctx) => {
    const ratio = contrastRatio(value, '#ffffff');
    if (ratio < MIN_ACCENT_CONTRAST) {
      ctx.addIssue({ code: 'custom', message: `has a contrast of ${ratio.toFixed(1)}:1 against white; buttons and links need at least ${MIN_ACCENT_CONTRAST}:1 (WCAG AA): choose a darker colour` });
    }
  });

const logoUrl = z.url({ protocol: /^https$/, message: 'must be an https URL' }).max(2000, 'must be at most 2000 characters');

/** The workspace settings an admin may change; null clears a branding field. */
export const updateWorkspaceSchema = z
  .object({
    name: text(200),
    timeZone: ianaTimeZone,
    companyName: text(200).nullable(),
    logoUrl: logoUrl.nullable(),
    accentColor: accentColor.nullable(),
    senderName: text(120)
      .refine((value) => !/[<>"\r\n]/.test(value), 'must not contain <, >, quotes or line breaks')
      .nullable(),
    /** Retention and churn by activity: no order for this many days ends the relationship (null: by customerSince and churnedAt). */
    churnAfterDaysWithoutOrder: inactiveAfterDaysSchema.nullable(),
  })
  .partial()
  .strict();
