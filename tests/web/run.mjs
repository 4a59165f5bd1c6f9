// Browser tests of the web UI (issue 14), in Debian's chromium driven by
// playwright-core (no browser download) with axe-core for WCAG 2 A/AA.
//
// usage: node run.mjs SEKISHO_BINARY OUTDIR
// Builds a small city in OUTDIR (an installation, two units, a staff member
// with a temporary password, an asset manager, an auditor), starts the real
// server, and walks every page with JavaScript on and then off, in Japanese
// and English: login, forced password change, TOTP enrollment, asset
// create/list/detail/edit with hostile text in every free-text field,
// decide, policy, audit verify, logout. Screenshots go to OUTDIR/screenshots.
// The expectations are written here, from the issue and the seeds.
import { spawn, spawnSync } from "node:child_process";
import { createHmac } from "node:crypto";
import { mkdtempSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";
import AxeBuilderModule from "@axe-core/playwright";

const AxeBuilder = AxeBuilderModule.default || AxeBuilderModule;
const [BIN, OUT] = process.argv.slice(2);
if (!BIN || !OUT) {
  console.error("usage: node run.mjs SEKISHO_BINARY OUTDIR");
  process.exit(2);
}
mkdirSync(path.join(OUT, "screenshots"), { recursive: true });
const DBDIR = path.join(OUT, "db");
rmSync(DBDIR, { recursive: true, force: true });
mkdirSync(DBDIR);
const DB = path.join(DBDIR, "web.db");
let failures = 0;
let checks = 0;
function check(ok, what) {
  checks++;
  if (!ok) {
    failures++;
    console.log("FAIL: " + what);
  }
}
function sk(args, input) {
  const r = spawnSync(BIN, args, { input: input || "", encoding: "utf8" });
  if (r.status !== 0) throw new Error(`sekisho ${args.join(" ")}: ${r.stderr}`);
  return r.stdout + r.stderr;
}
const tempPw = (out) => out.match(/temporary password[^:]*: (\S+)/)[1];

// --- the city ---
sk(["init", "--db", DB, "--profile", "hachioji", "--admin", "chief"]);
sk(["org", "add", "--db", DB, "--code", "soumu", "--name", "総務部", "--kind", "department", "--parent", "hachioji"]);
sk(["org", "add", "--db", DB, "--code", "jouhou", "--name", "情報政策課", "--kind", "section", "--parent", "soumu"]);
const PW = { kanri: "Kanri-pass-2026-x9!Q", kansa: "Kansa-pass-2026-x9!Q", taro: "Taro-new-pass-2026-x9!Q" };
const taroTemp = tempPw(sk(["user", "add", "--db", DB, "--login", "taro", "--name", "山田太郎", "--unit", "jouhou", "--role", "staff"]));
sk(["user", "add", "--db", DB, "--login", "kanri", "--name", "管理者", "--unit", "jouhou", "--role", "security_manager", "--password-stdin"], PW.kanri + "\n");
sk(["user", "add", "--db", DB, "--login", "kansa", "--name", "監査人", "--unit", "hachioji", "--role", "auditor", "--password-stdin"], PW.kansa + "\n");

// --- the server ---
const srv = spawn(BIN, ["serve", "--db", DB, "--listen", "127.0.0.1:0"], { stdio: ["ignore", "pipe", "inherit"] });
const BASE = await new Promise((resolve, reject) => {
  let buf = "";
  srv.stdout.on("data", (d) => {
    buf += d;
    const m = buf.match(/listening on (http:\/\/[0-9.]+:\d+)/);
    if (m) resolve(m[1]);
  });
  srv.on("exit", (c) => reject(new Error("serve exited " + c)));
  setTimeout(() => reject(new Error("serve did not start")), 10000);
});

// --- TOTP (RFC 6238), to enroll and log in as the auditor ---
function base32(s) {
  const abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const c of s.replace(/=+$/, "")) bits += abc.indexOf(c).toString(2).padStart(5, "0");
  const out = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) out.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(out);
}
let totpSecret = null;
let lastStep = 0;
function totp() {
  // The server takes the current step and one either side, each once: use the next unused.
  let step = Math.max(Math.floor(Date.now() / 30000) - 1, lastStep + 1);
  lastStep = step;
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(step));
  const h = createHmac("sha1", base32(totpSecret)).update(msg).digest();
  const o = h[h.length - 1] & 15;
  const v = (h.readUInt32BE(o) & 0x7fffffff) % 1000000;
  return String(v).padStart(6, "0");
}

// Hostile text for every free-text field of an asset (script tags, attribute breakers,
// javascript: URLs, markup in Japanese text). Field keys from the register.
const HOSTILE = {
  name: `<script>window.__xss=1</script>"'><img src=x onerror="window.__xss=2">`,
  location: `javascript:window.__xss=3//" onmouseover="window.__xss=4`,
  disposal_method: `</textarea><script>window.__xss=5</script>`,
  manager: `'><svg onload=window.__xss=6>課長`,
  note: `{{t:UI_APP}} {{csrf}} <iframe src="javascript:window.__xss=7"></iframe> ＜全角＞`,
};

const LAUNCH = {
  executablePath: "/usr/bin/chromium",
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
};

const seenAxe = new Set();
// Checks every page: the security headers, no inline script or style, no catalog key
// missing, no violation axe finds (once per path, language and JS mode), no XSS.
async function audit(page, resp, label, js) {
  const h = resp ? resp.headers() : {};
  const csp = h["content-security-policy"] || "";
  check(csp.includes("frame-ancestors 'none'") && !csp.includes("unsafe-inline") && csp.includes("default-src 'none'"),
    `${label}: CSP is ${csp}`);
  check(h["x-content-type-options"] === "nosniff", `${label}: nosniff`);
  const inline = await page.evaluate(() => [...document.querySelectorAll("script")].filter((s) => !s.src).length +
    document.querySelectorAll("style,[style]").length);
  check(inline === 0, `${label}: ${inline} inline scripts or styles`);
  const html = await page.content();
  check(!html.includes("[[missing:"), `${label}: a catalog key is missing`);
  if (js) check(await page.evaluate(() => window.__xss === undefined), `${label}: hostile text ran as script`);
  check(await page.evaluate(() => !document.querySelector("img[src=x], svg[onload], iframe")),
    `${label}: hostile text became markup`);
  const lang = await page.evaluate(() => document.documentElement.lang);
  // Once per page (path with ids as {id}), state and language, with JavaScript on: the
  // server sends the same markup either way, and axe needs script in the page.
  const errs = await page.evaluate(() => !!document.querySelector(".error-summary, #result, #verify"));
  const key = `${new URL(page.url()).pathname.replace(/\/\d+/g, "/{id}")}|${lang}|${errs}`;
  if (js && !seenAxe.has(key)) {
    seenAxe.add(key);
    const r = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
    for (const v of r.violations)
      check(false, `${label} (${lang}): axe ${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`);
  }
}

async function shot(page, name) {
  if (name.endsWith("-nojs")) return; // the same pages as with JavaScript: saved once
  // The policy page is long (every rule): its first screen is enough.
  await page.screenshot({ path: path.join(OUT, "screenshots", name + ".png"), fullPage: !name.startsWith("policy") });
}

const T0 = Date.now();
async function go(page, url, label, js) {
  if (process.env.SEKISHO_WEB_TIMES) console.log(((Date.now() - T0) / 1000).toFixed(1), label);
  const resp = await page.goto(BASE + url);
  await audit(page, resp, label, js);
  return resp;
}

// Submits the form holding selector's element and audits the page it leads to.
async function submit(page, button, label, js) {
  if (process.env.SEKISHO_WEB_TIMES) console.log(((Date.now() - T0) / 1000).toFixed(1), "submit", label);
  const [resp] = await Promise.all([page.waitForNavigation(), page.click(button)]);
  await audit(page, resp, label, js);
  return resp;
}

async function login(page, who, pw, js, label) {
  await go(page, "/login", label + " login form", js);
  await page.fill("#f-login", who);
  await page.fill("#f-password", pw);
  await submit(page, "form[action='/login'] button", label + " after login", js);
  if (await page.$("#f-totp")) {
    await page.fill("#f-password", pw);
    await page.fill("#f-totp", totp());
    await submit(page, "form[action='/login'] button", label + " after login with code", js);
  }
}

async function logout(page, js, label) {
  await submit(page, "form.logout button", label + " logout", js);
  check(new URL(page.url()).pathname === "/login", `${label}: logout did not lead to /login`);
  const resp = await page.goto(BASE + "/assets");
  check(new URL(page.url()).pathname === "/login", `${label}: /assets still open after logout (${resp.status()})`);
}

async function run(js) {
  const dir = mkdtempSync(path.join(tmpdir(), "sekisho-chromium-"));
  const ctx = await chromium.launchPersistentContext(dir, { ...LAUNCH, javaScriptEnabled: js, viewport: { width: 1366, height: 768 } });
  const page = ctx.pages()[0] || (await ctx.newPage());
  const mode = js ? "js" : "nojs";
  try {
    // Anonymous: the landing page in both languages, an unknown page, a page needing a session.
    for (const lang of ["ja", "en"]) {
      await go(page, `/?lang=${lang}`, `${mode} landing ${lang}`, js);
      check(await page.evaluate(() => document.documentElement.lang) === lang, `${mode}: ?lang=${lang} not applied`);
      const sw = (await page.textContent(".lang-switch a")).trim();
      check(sw === (lang === "ja" ? "English" : "日本語"), `${mode}: the language switch of a ${lang} page says ${sw}`);
    }
    await go(page, "/?lang=ja", `${mode} landing`, js);
    const nf = await page.goto(BASE + "/no-such-page");
    check(nf.status() === 404, `${mode}: unknown page answers ${nf.status()}`);
    await page.goto(BASE + "/assets");
    check(new URL(page.url()).pathname === "/login", `${mode}: /assets without a session is not sent to /login`);

    // A login form posted from elsewhere (no token matching the form's cookie) is refused.
    const forged = await page.request.post(BASE + "/login", { form: { login: "kanri", password: PW.kanri }, maxRedirects: 0 });
    check(forged.status() === 403, `${mode}: a login without the form's token answers ${forged.status()}`);
    // A wrong password: errors summarised at the top and beside the field.
    await page.fill("#f-login", "kanri");
    await page.fill("#f-password", "wrong password");
    await submit(page, "form[action='/login'] button", `${mode} failed login`, js);
    check(await page.$(".error-summary a[href='#f-password']") !== null, `${mode}: no error summary linking the field`);
    check(await page.$("#e-password") !== null, `${mode}: no error beside the password field`);

    // The staff member's first login: the forced password change.
    if (js) {
      await login(page, "taro", taroTemp, js, `${mode} taro`);
      check(new URL(page.url()).pathname === "/password", `${mode}: temporary password not sent to /password`);
      await go(page, "/assets", `${mode} taro before change`, js);
      check(new URL(page.url()).pathname === "/password", `${mode}: /assets open before the password change`);
      await page.fill("#f-old", taroTemp);
      await page.fill("#f-new", PW.taro);
      await submit(page, "form[action='/password'] button", `${mode} password changed`, js);
      check(new URL(page.url()).pathname === "/", `${mode}: not home after the password change`);
    } else {
      await login(page, "taro", PW.taro, js, `${mode} taro`);
    }
    check((await page.textContent("main")).includes("taro"), `${mode}: home does not name taro`);
    check(await page.getAttribute("body", "data-idle-seconds") !== null && (await page.textContent("footer")).includes("30"),
      `${mode}: the idle timeout is not told`);
    // A session's POST without its CSRF token is refused, and the session stays.
    const noCsrf = await page.request.post(BASE + "/logout", { form: { csrf: "x".repeat(43) }, maxRedirects: 0 });
    check(noCsrf.status() === 403, `${mode}: logout with a wrong CSRF token answers ${noCsrf.status()}`);
    await go(page, "/audit", `${mode} taro audit`, js).then((r) => check(r.status() === 404, `${mode}: staff sees /audit (${r.status()})`));
    await go(page, "/assets/new", `${mode} taro new asset`, js).then((r) => check(r.status() === 404, `${mode}: staff may add assets (${r.status()})`));
    await logout(page, js, `${mode} taro`);

    // The asset manager: create an asset with hostile text, find it escaped everywhere.
    await login(page, "kanri", PW.kanri, js, `${mode} kanri`);
    await go(page, "/assets/new", `${mode} new asset form`, js);
    await page.fill("#f-unit", "jouhou");
    await page.fill("#f-type", "hardware");
    await page.fill("#f-quantity", "2");
    await page.fill("#f-conf", "3");
    await page.fill("#f-integ", "2");
    await page.fill("#f-avail", "2");
    await page.fill("#f-zone", "lgwan");
    for (const [k, v] of Object.entries(HOSTILE)) await page.fill(`#f-${k}`, v);
    await page.fill("#f-manager", "");
    await submit(page, "form.form button", `${mode} asset form with an error`, js);
    check(await page.$(".error-summary") !== null, `${mode}: no error summary for a missing manager`);
    check(await page.inputValue("#f-name") === HOSTILE.name, `${mode}: the form lost the name on an error`);
    if (js) {
      // Unicode tricks: a right-to-left override is refused, named beside the field.
      await page.fill("#f-manager", "課長\u202Egnp.exe");
      await submit(page, "form.form button", `${mode} asset form with a bidi override`, js);
      check(await page.$("#e-manager") !== null, `${mode}: a bidi override in manager is not refused beside the field`);
    }
    await page.fill("#f-manager", HOSTILE.manager);
    await submit(page, "form.form button", `${mode} asset created`, js);
    const m = new URL(page.url()).pathname.match(/^\/assets\/(\d+)$/);
    check(m, `${mode}: not sent to the new asset (${page.url()})`);
    const id = m ? m[1] : "1";
    const main = await page.textContent("main");
    for (const [k, v] of Object.entries(HOSTILE)) check(main.includes(v), `${mode}: detail does not show ${k} as text`);
    check(main.includes("機密性3、完全性2、可用性2"), `${mode}: no classification label`);
    check(main.includes("take_out"), `${mode}: no handling rules`);
    check(main.includes("asset.read"), `${mode}: the 機密性3 read is not in the history`);
    await shot(page, `asset-detail-ja-${mode}`);
    await go(page, `/assets?q=${encodeURIComponent("課長")}`, `${mode} asset list`, js);
    check((await page.textContent("main")).includes(HOSTILE.name), `${mode}: the list does not show the name`);
    await shot(page, `assets-ja-${mode}`);
    // The filters: choices from the vocabulary, sent as GET parameters.
    await page.selectOption("#f-conf", "3");
    await page.selectOption("#f-type", "hardware");
    await submit(page, "form.filters button", `${mode} asset list filtered`, js);
    check(new URL(page.url()).searchParams.get("conf") === "3", `${mode}: the conf filter is not in the URL`);
    check((await page.textContent("main")).includes(HOSTILE.name), `${mode}: the filtered list lacks the asset`);
    await page.selectOption("#f-conf", "1");
    await submit(page, "form.filters button", `${mode} asset list filtered out`, js);
    check(!(await page.textContent("main")).includes(HOSTILE.name), `${mode}: the conf filter does not filter`);
    await go(page, `/assets/${id}/edit`, `${mode} edit form`, js);
    for (const [k, v] of Object.entries(HOSTILE)) check(await page.inputValue(`#f-${k}`) === v, `${mode}: edit form mangles ${k}`);
    await page.fill("#f-quantity", "3");
    await submit(page, "form.form button", `${mode} asset saved`, js);
    check((await page.textContent("main")).includes("asset.update"), `${mode}: the edit is not in the history`);
    await go(page, `/assets/${id}?lang=en`, `${mode} asset detail en`, js);
    check((await page.textContent("main")).includes("Classification label"), `${mode}: detail not in English`);
    await shot(page, `asset-detail-en-${mode}`);
    await go(page, `/assets`, `${mode} asset list en`, js);
    await shot(page, `assets-en-${mode}`);
    await go(page, `/assets/999999`, `${mode} missing asset`, js).then((r) => check(r.status() === 404, `${mode}: missing asset answers ${r.status()}`));

    // Decide: by the asset, then by a classification, in both languages.
    // Without JavaScript the same server answers: one language is enough there.
    for (const lang of js ? ["en", "ja"] : ["ja"]) {
      await go(page, `/decide?asset=${id}&lang=${lang}`, `${mode} decide ${lang}`, js);
      await page.selectOption("#f-action", "take_out");
      await submit(page, "form[aria-labelledby='by-asset'] button", `${mode} decided by asset ${lang}`, js);
      const t = await page.textContent("#result");
      check(t && t.includes(lang === "ja" ? "承認が必要" : "Needs approval"), `${mode}: take_out of a 機密性3 asset: ${t}`);
      check(t && /八王子 \d+/.test(t), `${mode}: no cited article of the Hachioji policy: ${t}`);
      await shot(page, `decide-${lang}-${mode}`);
    }
    await page.selectOption("#f-c-action", "publish");
    await page.selectOption("#f-conf", "1");
    await submit(page, "form[aria-labelledby='by-class'] button", `${mode} decided by class`, js);
    check((await page.textContent("#result")) !== null, `${mode}: no result for a classification`);

    // Policy: searchable.
    await go(page, "/policy?q=take_out", `${mode} policy search`, js);
    const pol = await page.textContent("main");
    check(pol.includes("take_out") && !pol.includes("post_social_media"), `${mode}: policy search did not filter`);
    await go(page, "/policy?lang=en", `${mode} policy en`, js);
    await shot(page, `policy-en-${mode}`);
    await go(page, "/policy?lang=ja", `${mode} policy ja`, js);
    await shot(page, `policy-ja-${mode}`);
    await go(page, "/", `${mode} home kanri`, js);
    await shot(page, `home-ja-${mode}`);
    // A 課長 (security_manager) holds audit.read over the unit: the log in scope.
    await go(page, "/audit", `${mode} kanri audit`, js).then((r) => check(r.status() === 200, `${mode}: security_manager cannot see /audit (${r.status()})`));
    await logout(page, js, `${mode} kanri`);

    // The auditor: enrolls a one-time code (the MFA floor), verifies the log.
    if (js) {
      await login(page, "kansa", PW.kansa, js, `${mode} kansa`);
      check(new URL(page.url()).pathname === "/totp", `${mode}: auditor not sent to /totp`);
      await page.fill("#f-password", PW.kansa);
      await submit(page, "form[action='/totp'] button", `${mode} totp secret`, js);
      totpSecret = (await page.textContent("code.secret")).trim();
      await page.fill("#f-code", totp());
      await submit(page, "form[action='/totp'] button", `${mode} totp confirmed`, js);
      check(new URL(page.url()).pathname === "/", `${mode}: not home after enrolling`);
      await logout(page, js, `${mode} kansa enrolled`);
    }
    await login(page, "kansa", PW.kansa, js, `${mode} kansa`);
    check(new URL(page.url()).pathname === "/", `${mode}: auditor login with a code failed (${page.url()})`);
    for (const lang of js ? ["ja", "en"] : ["ja"]) {
      await go(page, `/audit?lang=${lang}`, `${mode} audit ${lang}`, js);
      await submit(page, "form[action='/audit/verify'] button", `${mode} audit verified ${lang}`, js);
      const t = await page.textContent("main");
      check(t.includes(lang === "ja" ? "改ざんされていません" : "is intact"), `${mode}: audit verify: ${t.slice(0, 200)}`);
      check(t.includes("asset.add"), `${mode}: audit entries do not list asset.add`);
      await shot(page, `audit-${lang}-${mode}`);
    }
    // The phone width: the main pages still fit.
    await page.setViewportSize({ width: 390, height: 844 });
    for (const [url, name] of js ? [["/?lang=ja", "home"], [`/assets/${id}`, "asset"], ["/policy", "policy"]] : []) {
      await go(page, url, `${mode} 390px ${name}`, js);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      check(overflow <= 0, `${mode}: ${name} is ${overflow}px wider than a 390px phone`);
      await shot(page, `${name}-390-${mode}`);
    }
    await page.setViewportSize({ width: 1366, height: 768 });
    await logout(page, js, `${mode} kansa`);
  } finally {
    await ctx.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

try {
  if (process.env.SEKISHO_WEB_MODE !== "nojs") await run(true);
  if (process.env.SEKISHO_WEB_MODE !== "js") await run(false);
} catch (e) {
  failures++;
  console.log("FAIL: " + (e && e.stack ? e.stack : e));
} finally {
  srv.kill("SIGTERM");
}
console.log(`web: ${checks} checks, ${failures} failed`);
process.exit(failures ? 1 : 0);
