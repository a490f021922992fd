import { join } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import type { StaffSession } from './factories.js';
import { as, ok } from './http.js';
import type { TestSystem } from './system.js';

/** Debian's Chromium (playwright cannot download its browsers here); `.ci/run` installs it. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS = join(process.cwd(), 'test-artifacts/web');
const PASSWORD = 'correct horse battery staple 42';

export interface Person extends StaffSession {
  password: string;
}

/** A staff member who can sign in in the browser: the admin sets a password for them. */
export async function withPassword(sys: TestSystem, admin: StaffSession, s: StaffSession): Promise<Person> {
  ok(await as(sys, admin).post(`/users/${s.userId}/password`, { newPassword: PASSWORD }), 'set password');
  return { ...s, password: PASSWORD };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export async function signIn(page: Page, base: string, who: Pick<Person, 'username' | 'password'>): Promise<void> {
  await page.goto(`${base}/`);
  await page.getByLabel('Tên đăng nhập').fill(who.username);
  await page.getByLabel('Mật khẩu').fill(who.password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.getByRole('navigation', { name: 'Điều hướng chính' }).waitFor();
}

/** The texts inside `scope` that are cut off on screen (an ellipsis, or hidden overflow): none is the aim. */
export async function clippedTexts(scope: Locator): Promise<string[]> {
  return scope.evaluate((root) => {
    const window = root.ownerDocument.defaultView!;
    return [...root.querySelectorAll('*')]
      .filter((el) => el.childElementCount === 0 && el.textContent?.trim() && el.scrollWidth > el.clientWidth + 1)
      .filter((el) => {
        const style = window.getComputedStyle(el);
        return style.overflow !== 'visible' || style.textOverflow === 'ellipsis';
      })
      .map((el) => el.textContent!.trim());
  });
}

/** Follows a link of the main navigation. */
export async function navigate(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Điều hướng chính' }).getByRole('link', { name, exact: true }).click();
}

/**
 * The screens as PNGs in test-artifacts/web, for a person to look at; CI (CI=true) takes none: no
 * one looks there, and the full-page captures are a noticeable part of the browser suites' time.
 */
export const SCREENSHOTS = process.env.CI !== 'true' || process.env.TEST_SCREENSHOTS === '1';

export async function shot(page: Page, name: string): Promise<void> {
  if (!SCREENSHOTS) return;
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}
