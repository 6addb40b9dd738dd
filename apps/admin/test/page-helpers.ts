import type { Page } from "playwright-core";

/** Moves the entry at index `from` to index `to` by dragging its handle with the mouse. */
export async function dragEntry(page: Page, from: number, to: number): Promise<void> {
  const handle = await page.getByTestId("entry-drag-handle").nth(from).boundingBox();
  const target = await page.getByTestId("chain-entry").nth(to).boundingBox();
  if (!handle || !target) throw new Error("chain entry rows are not visible");
  const x = handle.x + handle.width / 2;
  await page.mouse.move(x, handle.y + handle.height / 2);
  await page.mouse.down();
  // Past the target row's middle, on the side the entry moves to.
  const y = to < from ? target.y + 3 : target.y + target.height - 3;
  await page.mouse.move(x, y, { steps: 12 });
  await page.mouse.up();
}

/** The chain editor's entries as shown, "provider/model" top to bottom. */
export async function editorEntries(page: Page): Promise<string[]> {
  const count = await page.getByTestId("chain-entry").count();
  const out: string[] = [];
  for (let i = 1; i <= count; i++) {
    const provider = await page.getByLabel(`Entry ${i} provider`).inputValue();
    const model = await page.getByLabel(`Entry ${i} model`).inputValue();
    out.push(`${provider}/${model}`);
  }
  return out;
}

/** Every enabled form control of the page's main area, described, for read-only checks. */
export function enabledControls(page: Page): Promise<string[]> {
  return page
    .locator("main")
    .locator("button:enabled, input:enabled, select:enabled, textarea:enabled")
    .evaluateAll((els) =>
      els.map((el) => {
        const label = el.getAttribute("aria-label") ?? el.getAttribute("name") ?? el.id;
        return `${el.tagName.toLowerCase()} ${label || el.textContent?.trim() || "?"}`;
      }),
    );
}

/** The number shown on a dashboard stat tile, e.g. "1,234" → 1234. */
export async function tileNumber(page: Page, label: string): Promise<number> {
  const tile = page
    .getByTestId("stat-tile")
    .filter({ has: page.locator("dt", { hasText: new RegExp(`^${label}$`) }) });
  const text = (await tile.locator("dd").first().textContent()) ?? "";
  return Number(text.replace(/[^\d]/g, ""));
}
