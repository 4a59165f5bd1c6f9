// Browser tests of the administration and audit pages (issue 14): /admin/org,
// /admin/users, /admin/users/{login}, /audit with its filters, /audit/{seq} with its proof.
//
// usage: node admin.mjs SEKISHO_BINARY OUTDIR
// Builds a small city with the CLI (the Hachioji profile; an administrator holding
// general_manager, whom the profile's default gives user.admin, org.admin and role.grant;
// an auditor; a staff member), signs a checkpoint, starts the real server and walks the
// pages with JavaScript on and then off, in Japanese and English. The expectations are
// written here, from the issue, issue 12's separation of duties and the seeds.
import { WebTest } from "./lib.mjs";

const t = new WebTest(process.argv[2], process.argv[3], "admin");
const DB = t.db;

// --- the city ---
t.sk(["init", "--db", DB, "--profile", "hachioji", "--admin", "chief"]);
t.sk(["org", "add", "--db", DB, "--code", "soumu", "--name", "総務部", "--kind", "department", "--parent", "hachioji"]);
t.sk(["org", "add", "--db", DB, "--code", "jouhou", "--name", "情報政策課", "--kind", "section", "--parent", "soumu"]);
const PW = { sokatsu: "Sokatsu-pass-2026-x9!Q", kansa: "Kansa-pass-2026-x9!Q", taro: "Taro-pass-2026-x9!Q" };
t.sk(["user", "add", "--db", DB, "--login", "sokatsu", "--name", "総括責任者", "--unit", "hachioji", "--role", "general_manager", "--password-stdin"], PW.sokatsu + "\n");
t.sk(["user", "add", "--db", DB, "--login", "kansa", "--name", "監査人", "--unit", "hachioji", "--role", "auditor", "--password-stdin"], PW.kansa + "\n");
t.sk(["user", "add", "--db", DB, "--login", "taro", "--name", "山田太郎", "--unit", "jouhou", "--role", "staff", "--password-stdin"], PW.taro + "\n");
// A signed checkpoint over the set-up: the entries before it are proved in it.
t.sk(["audit", "checkpoint", "--db", DB]);
await t.serve(DB);

// Hostile text (as run.mjs's HOSTILE): script tags, attribute breakers, javascript: URLs,
// markup and template tags in Japanese text.
const HOSTILE = {
  unit: `<script>window.__xss=1</script>"'><img src=x onerror="window.__xss=2">課`,
  user: `'><svg onload=window.__xss=6>花子 {{t:UI_APP}} javascript:window.__xss=3//`,
};
const REFUSED = { ja: "自分自身に役割を与えることはできません", en: "nobody may grant a role to themselves" };

// Logs in; the MFA floor (general_manager, auditor) enrolls a one-time code at the first login.
async function signIn(page, who, pw, js, mode) {
  const first = !t.totpSecrets[who];
  await t.login(page, who, pw, js, `${mode} ${who}`);
  t.check((path(page) === "/totp") === first, `${mode}: ${who} is ${first ? "not " : ""}sent to /totp (${page.url()})`);
  if (first && path(page) === "/totp") await t.enroll(page, who, pw, js, `${mode} ${who}`);
}

const path = (page) => new URL(page.url()).pathname;
const mainText = (page) => page.textContent("main");

await t.run(async (page, js, mode) => {
  const unit = `ka-${mode}`, login = `hanako-${mode}`;

  // --- the administrator ---
  await signIn(page, "sokatsu", PW.sokatsu, js, mode);
  t.check(path(page) === "/", `${mode}: administrator not home after login (${page.url()})`);
  t.check(await page.$("nav a[href='/admin/users']") !== null && await page.$("nav a[href='/admin/org']") !== null,
    `${mode}: no administration links in the menu`);

  // The organization: the tree, the check, a unit added with a hostile name.
  await t.go(page, "/admin/org?lang=ja", `${mode} org ja`, js);
  let txt = await mainText(page);
  t.check(txt.includes("総務部") && txt.includes("情報政策課") && txt.includes("(部)") && txt.includes("(課)"),
    `${mode}: the tree lacks the units or their kinds`);
  t.check(txt.includes("総括責任者") && txt.includes("sokatsu"), `${mode}: the tree does not show the general_manager's post`);
  t.check(await page.$("#check .result") !== null, `${mode}: no organization check result`);
  await page.fill("#f-code", unit);
  await page.fill("#f-name", HOSTILE.unit);
  await page.fill("#f-kind", "section");
  await page.fill("#f-parent", "no-such-unit");
  await t.submit(page, "form[action='/admin/org'] button", `${mode} org add refused`, js);
  t.check(await page.$(".error-summary") !== null, `${mode}: an unknown parent is not reported`);
  t.check(await page.inputValue("#f-name") === HOSTILE.unit, `${mode}: the unit form lost its name on an error`);
  await page.fill("#f-parent", "soumu");
  await t.submit(page, "form[action='/admin/org'] button", `${mode} org added`, js);
  t.check(path(page) === "/admin/org", `${mode}: not back on /admin/org (${page.url()})`);
  t.check((await page.textContent("#tree-root, .org-tree")).includes(HOSTILE.unit), `${mode}: the new unit's name is not shown as text`);
  await t.shot(page, `admin-org-ja-${mode}`);
  await t.go(page, "/admin/org?lang=en", `${mode} org en`, js);
  txt = await mainText(page);
  t.check(txt.includes("(department)") && txt.includes("Organization check"), `${mode}: the org page is not in English`);
  await t.shot(page, `admin-org-en-${mode}`);

  // Accounts: add one (the temporary password once), in English.
  await t.go(page, "/admin/users?lang=en", `${mode} users en`, js);
  t.check((await mainText(page)).includes("taro"), `${mode}: the account list lacks taro`);
  await page.fill("#f-login", login);
  await page.fill("#f-name", HOSTILE.user);
  await page.fill("#f-unit", unit);
  await page.fill("#f-roles", "staff");
  await t.submit(page, "form[method='post'][action='/admin/users'] button", `${mode} account added`, js);
  const tempEl = await page.$("#temp-password");
  if (!tempEl) console.log(`${mode}: after adding an account: ${(await mainText(page)).replace(/\s+/g, " ").slice(0, 400)}`);
  const temp = tempEl ? (await tempEl.textContent()).trim() : "";
  t.check(temp.length >= 12, `${mode}: no temporary password shown (${temp})`);
  t.check((await page.textContent("h1")).includes(HOSTILE.user), `${mode}: the account's name is not shown as text`);
  await t.shot(page, `admin-user-added-en-${mode}`);
  await t.go(page, `/admin/users/${login}`, `${mode} account page`, js);
  t.check(!(await page.content()).includes(temp), `${mode}: the temporary password is shown again`);
  // The list, filtered by text: the hostile name as text.
  await t.go(page, `/admin/users?q=${login}`, `${mode} users filtered`, js);
  txt = await mainText(page);
  t.check(txt.includes(HOSTILE.user) && !txt.includes("taro"), `${mode}: the text filter does not filter`);
  await t.shot(page, `admin-users-en-${mode}`);
  // Paging keeps the filters.
  await t.go(page, `/admin/users?q=${login}&page=2`, `${mode} users page 2`, js);
  const prevHref = await page.getAttribute(".pager a", "href").catch(() => null);
  t.check(prevHref && prevHref.includes(`q=${login}`) && prevHref.includes("page=1"), `${mode}: the previous page link is ${prevHref}`);

  // A role granted at the new unit.
  await t.go(page, `/admin/users/${login}?lang=ja`, `${mode} account ja`, js);
  await page.selectOption("#f-role", "security_manager");
  await page.fill("#f-unit", unit);
  await t.submit(page, `form[action='/admin/users/${login}/grant'] button`, `${mode} role granted`, js);
  t.check(path(page) === `/admin/users/${login}`, `${mode}: not back on the account (${page.url()})`);
  t.check((await page.textContent("#user-roles ~ *, main")).includes("security_manager"), `${mode}: the grant is not listed`);

  // Separation of duties: no role for oneself, in both languages, the refusal beside the field.
  for (const lang of ["ja", "en"]) {
    await t.go(page, `/admin/users/sokatsu?lang=${lang}`, `${mode} own account ${lang}`, js);
    await page.selectOption("#f-role", "security_manager");
    await page.fill("#f-unit", "jouhou");
    const r = await t.submit(page, "form[action='/admin/users/sokatsu/grant'] button", `${mode} self grant ${lang}`, js);
    t.check(r.status() === 403, `${mode}: a grant to oneself answers ${r.status()}`);
    const beside = await page.textContent("#e-role").catch(() => "");
    t.check(beside && beside.includes(REFUSED[lang]), `${mode}: the refusal is not beside the role field (${lang}): ${beside}`);
    t.check(await page.$(".error-summary a[href='#f-role']") !== null, `${mode}: the summary does not link the role field`);
    await t.shot(page, `admin-self-grant-${lang}-${mode}`);
  }
  await t.go(page, "/admin/users/sokatsu", `${mode} own account again`, js);
  t.check(!(await page.textContent("main")).includes("jouhou"), `${mode}: the refused grant was written`);

  // Disable and enable the new account.
  await t.go(page, `/admin/users/${login}?lang=en`, `${mode} account en`, js);
  await t.submit(page, "#disable", `${mode} disabled`, js);
  t.check((await page.textContent("dl.summary")).includes("disabled"), `${mode}: the account is not shown disabled`);
  t.check(await page.$("#enable") !== null && await page.$("#disable") === null, `${mode}: no enable button on a disabled account`);
  await t.shot(page, `admin-user-disabled-en-${mode}`);
  await t.submit(page, "#enable", `${mode} enabled`, js);
  t.check((await page.textContent("dl.summary")).includes("active"), `${mode}: the account is not shown active again`);
  // Nothing to unlock: the domain's refusal, said on the page.
  const u = await t.submit(page, "#unlock", `${mode} unlock refused`, js);
  t.check(u.status() === 409 && await page.$(".error-summary") !== null, `${mode}: unlocking an unlocked account answers ${u.status()}`);
  await t.logout(page, js, `${mode} sokatsu`);

  // --- a staff member: no administration page exists for them ---
  await t.login(page, "taro", PW.taro, js, `${mode} taro`);
  for (const p of ["/admin/org", "/admin/users", "/admin/users/taro", `/audit/1`]) {
    const r = await t.go(page, p, `${mode} taro ${p}`, js);
    t.check(r.status() === 404, `${mode}: staff gets ${r.status()} on ${p}`);
  }
  t.check(await page.$("nav a[href^='/admin']") === null, `${mode}: staff sees administration links`);
  const forged = await page.request.post(t.base + `/admin/users/${login}/disable`, { form: { csrf: "x" }, maxRedirects: 0 });
  t.check(forged.status() === 404 || forged.status() === 403, `${mode}: staff may post to an administration form (${forged.status()})`);
  await t.logout(page, js, `${mode} taro`);

  // --- the auditor: the entry browser, one entry and its proof, verification ---
  await signIn(page, "kansa", PW.kansa, js, mode);
  t.check(path(page) === "/", `${mode}: auditor login failed (${page.url()})`);
  await t.go(page, "/audit?lang=ja", `${mode} audit ja`, js);
  t.check(await page.$("#audit-cps ~ .table-wrap, #audit-cps + p + .table-wrap") !== null, `${mode}: the checkpoint is not listed`);
  await page.fill("#f-action", "role.grant");
  await page.fill("#f-object", `user:${login}`);
  await t.submit(page, "form.filters button", `${mode} audit filtered`, js);
  const q = new URL(page.url()).searchParams;
  t.check(q.get("action") === "role.grant", `${mode}: the action filter is not in the URL`);
  txt = await page.textContent("#audit-entries ~ *, main");
  const rows = await page.$$eval("#audit-entries ~ .table-wrap tbody tr, section[aria-labelledby='audit-entries'] tbody tr", (trs) => trs.map((tr) => tr.textContent));
  // Two grants to the new account: its first role (staff, with the account) and security_manager.
  t.check(rows.length === 2 && rows.every((r) => r.includes("role.grant") && r.includes(login)), `${mode}: the filter shows ${JSON.stringify(rows)}`);
  await t.shot(page, `audit-filtered-ja-${mode}`);
  // A date range in the city's calendar: today (JST) holds them, a day long past none.
  const today = new Date(Date.now() + 9 * 3600e3).toISOString().slice(0, 10);
  await t.go(page, `/audit?action=role.grant&from=${today}&until=${today}`, `${mode} audit today`, js);
  t.check((await page.$$("section[aria-labelledby='audit-entries'] tbody tr")).length >= 1, `${mode}: today's grants are not found`);
  await t.go(page, `/audit?action=role.grant&until=2001-01-01`, `${mode} audit long ago`, js);
  t.check((await page.$$("section[aria-labelledby='audit-entries'] tbody tr")).length === 0, `${mode}: the until filter does not filter`);
  // Paging: after a position, the first entry shown is the next one, with a way back.
  await t.go(page, "/audit?after=5", `${mode} audit after 5`, js);
  t.check((await page.textContent("section[aria-labelledby='audit-entries'] tbody tr td")).trim() === "6", `${mode}: after=5 does not start at entry 6`);
  t.check(await page.$(".pager a[href='/audit']") !== null, `${mode}: no link back to the first entries`);
  const bad = await t.go(page, `/audit?from=2026-02-30`, `${mode} audit bad day`, js);
  t.check(bad.status() === 400 && await page.$("#e-from") !== null, `${mode}: a day that does not exist is not refused beside the field`);

  // One entry (the grant, after the checkpoint): the chain and a proof in the whole log.
  await t.go(page, `/audit?action=role.grant&object=user:${login}&lang=en`, `${mode} audit en`, js);
  await t.submit(page, "section[aria-labelledby='audit-entries'] tbody tr:last-child a", `${mode} audit entry`, js);
  t.check(/^\/audit\/\d+$/.test(path(page)), `${mode}: the entry link leads to ${page.url()}`);
  txt = await mainText(page);
  t.check(txt.includes("role.grant") && txt.includes("security_manager"), `${mode}: the entry page lacks the entry`);
  t.check(await page.$("#chain code.hash") !== null, `${mode}: no hash chain`);
  const proof = JSON.parse(await page.textContent("#proof-json"));
  t.check(proof.leafIdx === Number(path(page).split("/")[2]) - 1 && proof.treeSize > proof.leafIdx && Array.isArray(proof.proof),
    `${mode}: the proof is ${JSON.stringify(proof)}`);
  t.check(txt.includes("sekisho audit verify-proof"), `${mode}: no offline verification told`);
  await t.shot(page, `audit-entry-en-${mode}`);
  // An entry of the set-up, under the signed checkpoint: the note is shown with the proof.
  await t.go(page, "/audit/2?lang=ja", `${mode} audit entry 2`, js);
  t.check(await page.$("#checkpoint-note") !== null, `${mode}: entry 2 is not proved under the checkpoint`);
  t.check((await page.textContent("#checkpoint-note")).includes("—"), `${mode}: the checkpoint note is not a signed note`);
  await t.shot(page, `audit-entry-ja-${mode}`);
  // The org.add entry shows the hostile name as text in its image.
  await t.go(page, `/audit?action=org.add&object=org_unit:`, `${mode} audit org.add`, js);
  const links = await page.$$eval("section[aria-labelledby='audit-entries'] tbody a", (as) => as.map((a) => a.getAttribute("href")));
  await t.go(page, links[links.length - 1] || "/audit/1", `${mode} audit org.add entry`, js);
  t.check((await mainText(page)).includes(JSON.stringify(HOSTILE.unit).slice(1, -1).replace(/\\"/g, '\\"')), `${mode}: the org.add image does not show the name as text`);

  // Verification of the whole log, in both languages.
  for (const lang of ["ja", "en"]) {
    await t.go(page, `/audit?lang=${lang}`, `${mode} audit ${lang}`, js);
    await t.submit(page, "form[action='/audit/verify'] button", `${mode} audit verified ${lang}`, js);
    txt = await mainText(page);
    t.check(txt.includes(lang === "ja" ? "改ざんされていません" : "is intact"), `${mode}: audit verify: ${txt.slice(0, 200)}`);
    await t.shot(page, `audit-verified-${lang}-${mode}`);
  }
  // The auditor reads accounts but administers none.
  await t.go(page, "/admin/users", `${mode} kansa users`, js).then((r) => t.check(r.status() === 200, `${mode}: the auditor cannot read accounts (${r.status()})`));
  t.check(await page.$("form[method='post'][action='/admin/users']") === null, `${mode}: the auditor is offered the add form`);
  await t.go(page, "/admin/org", `${mode} kansa org`, js).then((r) => t.check(r.status() === 404, `${mode}: the auditor sees /admin/org (${r.status()})`));
  // A 390-pixel phone: the pages fit (tables and hashes wrap or scroll inside their box).
  await page.setViewportSize({ width: 390, height: 844 });
  for (const [url, name] of js ? [["/audit", "audit"], ["/audit/2", "audit-entry"], ["/admin/users", "users"], [`/admin/users/${login}`, "user"]] : []) {
    await t.go(page, url, `${mode} 390px ${name}`, js);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    t.check(overflow <= 0, `${mode}: ${name} is ${overflow}px wider than a 390px phone`);
    await t.shot(page, `${name}-390-${mode}`, false);
  }
  await page.setViewportSize({ width: 1366, height: 768 });
  await t.logout(page, js, `${mode} kansa`);
});
