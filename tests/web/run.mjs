// Browser tests of the web UI (issue 14), in Debian's chromium driven by
// playwright-core (no browser download) with axe-core for WCAG 2 A/AA.
//
// usage: node run.mjs SEKISHO_BINARY OUTDIR
// Builds a small city (an installation, two units, a staff member with a temporary
// password, an asset manager, an auditor), starts the real server, and walks every page
// with JavaScript on and then off, in Japanese and English: login, forced password
// change, TOTP enrollment, asset create/list/detail/edit with hostile text in every
// free-text field, decide, policy, audit verify, logout. Screenshots go to
// OUTDIR/screenshots. The expectations are written here, from the issue and the seeds.
import { WebTest, tempPw } from "./lib.mjs";

const t = new WebTest(process.argv[2], process.argv[3], "web");
const DB = t.db;

// --- the city ---
t.sk(["init", "--db", DB, "--profile", "hachioji", "--admin", "chief"]);
t.sk(["org", "add", "--db", DB, "--code", "soumu", "--name", "総務部", "--kind", "department", "--parent", "hachioji"]);
t.sk(["org", "add", "--db", DB, "--code", "jouhou", "--name", "情報政策課", "--kind", "section", "--parent", "soumu"]);
const PW = { kanri: "Kanri-pass-2026-x9!Q", kansa: "Kansa-pass-2026-x9!Q", taro: "Taro-new-pass-2026-x9!Q" };
const taroTemp = tempPw(t.sk(["user", "add", "--db", DB, "--login", "taro", "--name", "山田太郎", "--unit", "jouhou", "--role", "staff"]));
t.sk(["user", "add", "--db", DB, "--login", "kanri", "--name", "管理者", "--unit", "jouhou", "--role", "security_manager", "--password-stdin"], PW.kanri + "\n");
t.sk(["user", "add", "--db", DB, "--login", "kansa", "--name", "監査人", "--unit", "hachioji", "--role", "auditor", "--password-stdin"], PW.kansa + "\n");
await t.serve(DB);

// Hostile text for every free-text field of an asset (script tags, attribute breakers,
// javascript: URLs, markup in Japanese text). Field keys from the register.
const HOSTILE = {
  name: `<script>window.__xss=1</script>"'><img src=x onerror="window.__xss=2">`,
  location: `javascript:window.__xss=3//" onmouseover="window.__xss=4`,
  disposal_method: `</textarea><script>window.__xss=5</script>`,
  manager: `'><svg onload=window.__xss=6>課長`,
  note: `{{t:UI_APP}} {{csrf}} <iframe src="javascript:window.__xss=7"></iframe> ＜全角＞`,
};

await t.run(async (page, js, mode) => {
  // Anonymous: the landing page in both languages, an unknown page, a page needing a session.
  for (const lang of ["ja", "en"]) {
    await t.go(page, `/?lang=${lang}`, `${mode} landing ${lang}`, js);
    t.check(await page.evaluate(() => document.documentElement.lang) === lang, `${mode}: ?lang=${lang} not applied`);
    const sw = (await page.textContent(".lang-switch a")).trim();
    t.check(sw === (lang === "ja" ? "English" : "日本語"), `${mode}: the language switch of a ${lang} page says ${sw}`);
  }
  await t.go(page, "/?lang=ja", `${mode} landing`, js);
  const nf = await page.goto(t.base + "/no-such-page");
  t.check(nf.status() === 404, `${mode}: unknown page answers ${nf.status()}`);
  await page.goto(t.base + "/assets");
  t.check(new URL(page.url()).pathname === "/login", `${mode}: /assets without a session is not sent to /login`);

  // A login form posted from elsewhere (no token matching the form's cookie) is refused.
  const forged = await page.request.post(t.base + "/login", { form: { login: "kanri", password: PW.kanri }, maxRedirects: 0 });
  t.check(forged.status() === 403, `${mode}: a login without the form's token answers ${forged.status()}`);
  // A wrong password: errors summarised at the top and beside the field.
  await page.fill("#f-login", "kanri");
  await page.fill("#f-password", "wrong password");
  await t.submit(page, "form[action='/login'] button", `${mode} failed login`, js);
  t.check(await page.$(".error-summary a[href='#f-password']") !== null, `${mode}: no error summary linking the field`);
  t.check(await page.$("#e-password") !== null, `${mode}: no error beside the password field`);

  // The staff member's first login: the forced password change.
  if (js) {
    await t.login(page, "taro", taroTemp, js, `${mode} taro`);
    t.check(new URL(page.url()).pathname === "/password", `${mode}: temporary password not sent to /password`);
    await t.go(page, "/assets", `${mode} taro before change`, js);
    t.check(new URL(page.url()).pathname === "/password", `${mode}: /assets open before the password change`);
    await page.fill("#f-old", taroTemp);
    await page.fill("#f-new", PW.taro);
    await t.submit(page, "form[action='/password'] button", `${mode} password changed`, js);
    t.check(new URL(page.url()).pathname === "/", `${mode}: not home after the password change`);
  } else {
    await t.login(page, "taro", PW.taro, js, `${mode} taro`);
  }
  t.check((await page.textContent("main")).includes("taro"), `${mode}: home does not name taro`);
  t.check(await page.getAttribute("body", "data-idle-seconds") !== null && (await page.textContent("footer")).includes("30"),
    `${mode}: the idle timeout is not told`);
  // A session's POST without its CSRF token is refused, and the session stays.
  const noCsrf = await page.request.post(t.base + "/logout", { form: { csrf: "x".repeat(43) }, maxRedirects: 0 });
  t.check(noCsrf.status() === 403, `${mode}: logout with a wrong CSRF token answers ${noCsrf.status()}`);
  await t.go(page, "/audit", `${mode} taro audit`, js).then((r) => t.check(r.status() === 404, `${mode}: staff sees /audit (${r.status()})`));
  await t.go(page, "/assets/new", `${mode} taro new asset`, js).then((r) => t.check(r.status() === 404, `${mode}: staff may add assets (${r.status()})`));
  await t.logout(page, js, `${mode} taro`);

  // The asset manager: create an asset with hostile text, find it escaped everywhere.
  await t.login(page, "kanri", PW.kanri, js, `${mode} kanri`);
  await t.go(page, "/assets/new", `${mode} new asset form`, js);
  await page.fill("#f-unit", "jouhou");
  await page.fill("#f-type", "hardware");
  await page.fill("#f-quantity", "2");
  await page.fill("#f-conf", "3");
  await page.fill("#f-integ", "2");
  await page.fill("#f-avail", "2");
  await page.fill("#f-zone", "lgwan");
  for (const [k, v] of Object.entries(HOSTILE)) await page.fill(`#f-${k}`, v);
  await page.fill("#f-manager", "");
  await t.submit(page, "form.form button", `${mode} asset form with an error`, js);
  t.check(await page.$(".error-summary") !== null, `${mode}: no error summary for a missing manager`);
  t.check(await page.inputValue("#f-name") === HOSTILE.name, `${mode}: the form lost the name on an error`);
  if (js) {
    // Unicode tricks: a right-to-left override is refused, named beside the field.
    await page.fill("#f-manager", "課長\u202Egnp.exe");
    await t.submit(page, "form.form button", `${mode} asset form with a bidi override`, js);
    t.check(await page.$("#e-manager") !== null, `${mode}: a bidi override in manager is not refused beside the field`);
  }
  await page.fill("#f-manager", HOSTILE.manager);
  await t.submit(page, "form.form button", `${mode} asset created`, js);
  const m = new URL(page.url()).pathname.match(/^\/assets\/(\d+)$/);
  t.check(m, `${mode}: not sent to the new asset (${page.url()})`);
  const id = m ? m[1] : "1";
  const main = await page.textContent("main");
  for (const [k, v] of Object.entries(HOSTILE)) t.check(main.includes(v), `${mode}: detail does not show ${k} as text`);
  t.check(main.includes("機密性3、完全性2、可用性2"), `${mode}: no classification label`);
  t.check(main.includes("take_out"), `${mode}: no handling rules`);
  t.check(main.includes("asset.read"), `${mode}: the 機密性3 read is not in the history`);
  await t.shot(page, `asset-detail-ja-${mode}`);
  await t.go(page, `/assets?q=${encodeURIComponent("課長")}`, `${mode} asset list`, js);
  t.check((await page.textContent("main")).includes(HOSTILE.name), `${mode}: the list does not show the name`);
  await t.shot(page, `assets-ja-${mode}`);
  // The filters: choices from the vocabulary, sent as GET parameters.
  await page.selectOption("#f-conf", "3");
  await page.selectOption("#f-type", "hardware");
  await t.submit(page, "form.filters button", `${mode} asset list filtered`, js);
  t.check(new URL(page.url()).searchParams.get("conf") === "3", `${mode}: the conf filter is not in the URL`);
  t.check((await page.textContent("main")).includes(HOSTILE.name), `${mode}: the filtered list lacks the asset`);
  await page.selectOption("#f-conf", "1");
  await t.submit(page, "form.filters button", `${mode} asset list filtered out`, js);
  t.check(!(await page.textContent("main")).includes(HOSTILE.name), `${mode}: the conf filter does not filter`);
  await t.go(page, `/assets/${id}/edit`, `${mode} edit form`, js);
  for (const [k, v] of Object.entries(HOSTILE)) t.check(await page.inputValue(`#f-${k}`) === v, `${mode}: edit form mangles ${k}`);
  await page.fill("#f-quantity", "3");
  await t.submit(page, "form.form button", `${mode} asset saved`, js);
  t.check((await page.textContent("main")).includes("asset.update"), `${mode}: the edit is not in the history`);
  await t.go(page, `/assets/${id}?lang=en`, `${mode} asset detail en`, js);
  t.check((await page.textContent("main")).includes("Classification label"), `${mode}: detail not in English`);
  await t.shot(page, `asset-detail-en-${mode}`);
  await t.go(page, `/assets`, `${mode} asset list en`, js);
  await t.shot(page, `assets-en-${mode}`);
  await t.go(page, `/assets/999999`, `${mode} missing asset`, js).then((r) => t.check(r.status() === 404, `${mode}: missing asset answers ${r.status()}`));

  // Decide: by the asset, then by a classification, in both languages.
  // Without JavaScript the same server answers: one language is enough there.
  for (const lang of js ? ["en", "ja"] : ["ja"]) {
    await t.go(page, `/decide?asset=${id}&lang=${lang}`, `${mode} decide ${lang}`, js);
    await page.selectOption("#f-action", "take_out");
    await t.submit(page, "form[aria-labelledby='by-asset'] button", `${mode} decided by asset ${lang}`, js);
    const res = await page.textContent("#result");
    t.check(res && res.includes(lang === "ja" ? "承認が必要" : "Needs approval"), `${mode}: take_out of a 機密性3 asset: ${res}`);
    t.check(res && /八王子 \d+/.test(res), `${mode}: no cited article of the Hachioji policy: ${res}`);
    await t.shot(page, `decide-${lang}-${mode}`);
  }
  await page.selectOption("#f-c-action", "publish");
  await page.selectOption("#f-conf", "1");
  await t.submit(page, "form[aria-labelledby='by-class'] button", `${mode} decided by class`, js);
  t.check((await page.textContent("#result")) !== null, `${mode}: no result for a classification`);

  // Policy: searchable.
  await t.go(page, "/policy?q=take_out", `${mode} policy search`, js);
  const pol = await page.textContent("main");
  t.check(pol.includes("take_out") && !pol.includes("post_social_media"), `${mode}: policy search did not filter`);
  await t.go(page, "/policy?lang=en", `${mode} policy en`, js);
  await t.shot(page, `policy-en-${mode}`, false);
  await t.go(page, "/policy?lang=ja", `${mode} policy ja`, js);
  t.check(!(await page.$("#pol-set")), `${mode}: the policy set shown to a reader without policy.read`);
  await t.shot(page, `policy-ja-${mode}`, false);
  await t.go(page, "/", `${mode} home kanri`, js);
  await t.shot(page, `home-ja-${mode}`);
  // A 課長 (security_manager) holds audit.read over the unit: the log in scope.
  await t.go(page, "/audit", `${mode} kanri audit`, js).then((r) => t.check(r.status() === 200, `${mode}: security_manager cannot see /audit (${r.status()})`));
  await t.logout(page, js, `${mode} kanri`);

  // The auditor: enrolls a one-time code (the MFA floor), verifies the log.
  if (js) {
    await t.login(page, "kansa", PW.kansa, js, `${mode} kansa`);
    t.check(new URL(page.url()).pathname === "/totp", `${mode}: auditor not sent to /totp`);
    await t.enroll(page, "kansa", PW.kansa, js, mode);
    t.check(new URL(page.url()).pathname === "/", `${mode}: not home after enrolling`);
    await t.logout(page, js, `${mode} kansa enrolled`);
  }
  await t.login(page, "kansa", PW.kansa, js, `${mode} kansa`);
  t.check(new URL(page.url()).pathname === "/", `${mode}: auditor login with a code failed (${page.url()})`);
  for (const lang of js ? ["ja", "en"] : ["ja"]) {
    await t.go(page, `/audit?lang=${lang}`, `${mode} audit ${lang}`, js);
    await t.submit(page, "form[action='/audit/verify'] button", `${mode} audit verified ${lang}`, js);
    const txt = await page.textContent("main");
    t.check(txt.includes(lang === "ja" ? "改ざんされていません" : "is intact"), `${mode}: audit verify: ${txt.slice(0, 200)}`);
    t.check(txt.includes("asset.add"), `${mode}: audit entries do not list asset.add`);
    await t.shot(page, `audit-${lang}-${mode}`);
  }
  // The auditor reads the policy set (policy.read): this city's one document, the primary,
  // governing every kind of unit; a security_manager (no policy.read) was shown none above.
  await t.go(page, "/policy?lang=ja", `${mode} policy set ja`, js);
  const set = await page.textContent("#pol-set + p + dl");
  t.check(set && set.includes("主たる文書") && set.includes("指定管理者") && set.includes("課"),
    `${mode}: the policy set as the auditor reads it: ${set}`);
  // The phone width: the main pages still fit.
  await page.setViewportSize({ width: 390, height: 844 });
  for (const [url, name] of js ? [["/?lang=ja", "home"], [`/assets/${id}`, "asset"], ["/policy", "policy"]] : []) {
    await t.go(page, url, `${mode} 390px ${name}`, js);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    t.check(overflow <= 0, `${mode}: ${name} is ${overflow}px wider than a 390px phone`);
    await t.shot(page, `${name}-390-${mode}`, name !== "policy");
  }
  await page.setViewportSize({ width: 1366, height: 768 });
  await t.logout(page, js, `${mode} kansa`);
});
