// Browser test of the policy versions and the policy set from the web (issue 16 over issue
// 14), in Debian's chromium with axe-core, JavaScript on and off.
//
// usage: node policy.mjs SEKISHO_BINARY OUTDIR
// A 成田 installation (version 1, its 対策基準, active) with a 指定管理者 unit; an administrator
// (general_manager: policy.read, policy.import, request.file), the CISO and a staff member.
// Expectations, written here from the seeds and the rule of activation (docs/policy-versions.md,
// docs/policy-set.md): a version becomes the policy only under an approved, unused
// policy_activation request, whose approver is the CISO; an import is checked as the API's
// (no file, a file that is no profile, one already stored: refused beside the field, nothing
// stored); the diff is the API's, line for line; the staff member finds none of these pages
// (404) and the API answers it 403. With JavaScript the pages are walked in Japanese, without
// it in English; each page is also seen in the other language.
import { readFileSync } from "node:fs";
import path from "node:path";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { chromium } from "playwright-core";
import { WebTest, LAUNCH } from "./lib.mjs";

const t = new WebTest(process.argv[2], process.argv[3], "policy");
const DB = t.db;
const POLICIES = path.join(path.dirname(new URL(import.meta.url).pathname), "..", "..", "policies");
const NARITA = readFileSync(path.join(POLICIES, "narita.yaml"), "utf8");
const HACHIOJI = readFileSync(path.join(POLICIES, "hachioji.yaml"), "utf8");

t.sk(["init", "--db", DB, "--profile", "narita", "--admin", "first"]);
t.as = "first"; // the CLI acts for a person (issue #15): the account init made
const root = JSON.parse(t.sk(["org", "list", "--db", DB, "--json"]))[0].code;
t.sk(["org", "add", "--db", DB, "--code", "shitei", "--name", "市民会館指定管理者", "--kind", "designated_manager", "--parent", root]);
const PW = "Pol-pass-2026-x9!Q";
for (const [login, role] of [["gm", "general_manager"], ["ciso", "ciso"], ["staff1", "staff"]])
  t.sk(["user", "add", "--db", DB, "--login", login, "--name", login, "--unit", root, "--role", role, "--password-stdin"], PW + "\n");
await t.serve(DB);

// Hostile text (as run.mjs's HOSTILE) in every free text a version shows: its title and scope
// (from the profile), its source (the uploaded file's name), and the request's reason.
const HOSTILE = {
  title: `<script>window.__xss=1</script>"><img src=x onerror="window.__xss=2">成田 改訂`,
  scope: `{{t:UI_APP}} {{csrf}} <iframe src="javascript:window.__xss=7"></iframe> ＜全角＞`,
  source: `<svg onload=window.__xss=6>改訂.yaml`,
  reason: `</textarea><script>window.__xss=5</script>見直し javascript:window.__xss=3//`,
};
const TITLE_LINE = "  title: 成田市情報セキュリティポリシー（第１章 情報セキュリティ基本方針・第２章 情報セキュリティ対策基準）\n";
const SCOPE_LINE = "  scope: 成田市の職員等と市の課室等（自らの組織を拘束する基本方針と対策基準）\n";
t.check(NARITA.includes(TITLE_LINE) && NARITA.includes(SCOPE_LINE) && NARITA.includes("approver: system_manager"),
  "the narita profile is not as this test expects");
// The edit: the first take-out-like rule approved by the 情報セキュリティ管理者 instead of the
// 情報システム管理者, the document's title and scope hostile; a comment makes each mode's text new.
const edit = (mode) => NARITA.replace("approver: system_manager", "approver: security_manager")
  .replace(TITLE_LINE, `  title: ${JSON.stringify(HOSTILE.title)}\n`)
  .replace(SCOPE_LINE, `  scope: ${JSON.stringify(HOSTILE.scope)}\n`) + `# ${mode}\n`;
const W = {
  ja: { active: "適用中", imported: "取込み済み（未適用）", activated: "この版を適用中のポリシーにしました", changed: "ポリシーセットを変更しました", dm: "指定管理者", noFile: "取り込むプロファイルのファイルを選んでください" },
  en: { active: "in force", imported: "imported, not in force", activated: "The version is now the policy in force", changed: "The policy set was changed", dm: "designated manager", noFile: "Choose the profile file to import" },
};
const pathOf = (page) => new URL(page.url()).pathname;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const summary = async (page) => (await page.$(".error-summary")) ? (await page.textContent(".error-summary ul")).trim() : "";
const csrf = (page) => page.getAttribute("form.logout input[name=csrf]", "value");

// The server takes a one-time code's step once, and only one step either side of now: wait
// until the next unused step is in that window.
async function codeReady(who) {
  while ((t.lastStep[who] || 0) + 1 > Math.floor(Date.now() / 30000) + 1) await sleep(1000);
}

async function signIn(page, who, js, mode) {
  const first = !t.totpSecrets[who];
  if (!first) await codeReady(who);
  await t.login(page, who, PW, js, `${mode} ${who}`);
  if (first && pathOf(page) === "/totp") await t.enroll(page, who, PW, js, `${mode} ${who}`);
}

// The API as the page's session calls it (the same cookie; its token in X-CSRF-Token).
async function api(page, method, url, lang, data) {
  const headers = { "accept-language": lang };
  if (method !== "GET") headers["x-csrf-token"] = await csrf(page);
  const r = await page.request.fetch(t.base + url, { method, headers, data, maxRedirects: 0 });
  let body = null;
  try { body = await r.json(); } catch { /* no JSON */ }
  return [r.status(), body];
}

// The CISO approves request id from its page, in a browser of its own (the administrator
// stays signed in in the other).
async function cisoApproves(js, mode, lang, id) {
  const dir = mkdtempSync(path.join(tmpdir(), "sekisho-chromium-"));
  const ctx = await chromium.launchPersistentContext(dir, { ...LAUNCH, javaScriptEnabled: js, viewport: { width: 1366, height: 768 } });
  try {
    const page = ctx.pages()[0] || (await ctx.newPage());
    await t.go(page, `/?lang=${lang}`, `${mode} ciso lang`, js);
    await signIn(page, "ciso", js, mode);
    await t.go(page, `/requests/${id}`, `${mode} ciso request ${id}`, js);
    t.check(await page.$("#approve") !== null, `${mode}: the CISO is not offered the approval of ${id}`);
    await page.fill("#f-comment", "承認");
    await t.submit(page, "#approve", `${mode} ciso approved ${id}`, js);
    const st = (await page.textContent("#rq-status")).trim();
    t.check(st === (lang === "ja" ? "承認済み" : "approved"), `${mode}: request ${id} is ${st} after the CISO's approval`);
  } finally {
    await ctx.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

// Uploads a file through the import form and submits it.
async function upload(page, js, mode, name, text, label) {
  await t.go(page, "/policy/versions", `${mode} versions for ${label}`, js);
  if (name !== null) await page.setInputFiles("#f-file", { name, mimeType: "application/yaml", buffer: Buffer.from(text) });
  return t.submit(page, "form[action='/policy/versions'] button", `${mode} ${label}`, js);
}

await t.run(async (page, js, mode) => {
  const lang = js ? "ja" : "en", other = js ? "en" : "ja";
  const w = W[lang];

  // --- the staff member: none of these pages, none of these routes ---
  await t.go(page, `/?lang=${lang}`, `${mode} lang`, js);
  await signIn(page, "staff1", js, mode);
  for (const u of ["/policy/versions", "/policy/versions/1", "/policy/diff?from=1&to=1", "/policy/set"]) {
    const r = await t.go(page, u, `${mode} staff ${u}`, js);
    t.check(r.status() === 404, `${mode}: the staff member gets ${r.status()} for ${u}`);
  }
  const st = await page.request.post(t.base + "/policy/versions/1/activate", { form: { csrf: await csrf(page) }, maxRedirects: 0 });
  t.check(st.status() === 404, `${mode}: the staff member's activation answers ${st.status()}`);
  t.check(!(await page.textContent("main")).includes("/policy/versions"), `${mode}: staff is shown the versions link`);
  const [sapi] = await api(page, "GET", "/api/v1/policy/versions", lang);
  t.check(sapi === 403, `${mode}: the API answers the staff member ${sapi}`);
  await t.go(page, "/policy", `${mode} staff policy`, js);
  t.check(await page.$("a[href='/policy/versions']") === null, `${mode}: the staff member is shown the versions link`);
  await t.logout(page, js, `${mode} staff`);

  // --- the administrator: the list ---
  await t.go(page, `/?lang=${lang}`, `${mode} lang`, js);
  await signIn(page, "gm", js, mode);
  await t.go(page, "/policy", `${mode} policy`, js);
  await t.submit(page, "a[href='/policy/versions']", `${mode} versions`, js);
  t.check(pathOf(page) === "/policy/versions", `${mode}: the link leads to ${page.url()}`);
  t.check((await page.textContent("#pv-1 .pv-status")).trim() === (js ? w.active : (lang === "ja" ? "適用終了" : "retired")),
    `${mode}: version 1's status is ${await page.textContent("#pv-1 .pv-status")}`);
  t.check((await page.textContent("#pv-1")).includes("builtin:narita"), `${mode}: version 1's source is not shown`);

  // Refused imports: no file, a file that is no profile, each beside the field, nothing stored.
  const before = (await api(page, "GET", "/api/v1/policy/versions", lang))[1].length;
  let r = await upload(page, js, mode, null, "", "import without a file");
  t.check(r.status() === 400 && (await page.textContent("#e-file")).includes(w.noFile) &&
    await page.$(".error-summary a[href='#f-file']") !== null, `${mode}: no file: ${r.status()} ${await summary(page)}`);
  r = await upload(page, js, mode, "bad.yaml", "format: 1\ncity: [\n", "import of a broken file");
  t.check(r.status() === 400 && (await page.textContent("#e-file")).includes("bad.yaml:"),
    `${mode}: a broken profile: ${r.status()} ${await summary(page)}`);
  await t.shot(page, `policy-import-error-${lang}-${mode}`);
  // Over the version's limit (1 MiB, the API's): refused beside the field, as the API's body check.
  r = await upload(page, js, mode, "big.yaml", "#".repeat((1 << 20) + 1) + "\n", "import of a file too big");
  t.check(r.status() === 400 && (await page.textContent("#e-file")).includes("1048576"),
    `${mode}: a file over 1 MiB: ${r.status()} ${await summary(page)}`);
  r = await upload(page, js, mode, "bad.yaml", "format: 1\ncity: [\n", "import of a broken file again");
  // The API refuses the same text the same way.
  const [bst, bb] = await api(page, "POST", "/api/v1/policy/versions", lang, { source: "bad.yaml", text: "format: 1\ncity: [\n" });
  t.check(bst === 400 && (await page.textContent("#e-file")).includes(bb.error.message),
    `${mode}: the API's refusal differs: ${bst} ${JSON.stringify(bb)} / ${await page.textContent("#e-file")}`);
  const forged = await page.request.post(t.base + "/policy/versions", {
    multipart: { csrf: "x".repeat(43), file: { name: "e.yaml", mimeType: "application/yaml", buffer: Buffer.from(edit(mode)) } }, maxRedirects: 0 });
  t.check(forged.status() === 403, `${mode}: an import with a wrong token answers ${forged.status()}`);
  t.check((await api(page, "GET", "/api/v1/policy/versions", lang))[1].length === before, `${mode}: a refused import stored a version`);

  // The edit, its file named with hostile text: the new version's page, imported, not in force.
  r = await upload(page, js, mode, HOSTILE.source, edit(mode), "import of the edit");
  const m = pathOf(page).match(/^\/policy\/versions\/(\d+)$/);
  t.check(r.status() === 200 && m, `${mode}: the import led to ${page.url()} (${r.status()})`);
  const v = m ? Number(m[1]) : 0;
  t.check((await page.textContent(`#pv-${v} .pv-status`)).trim() === w.imported, `${mode}: version ${v} is not imported`);
  const vtext = await page.textContent("main");
  t.check(vtext.includes(HOSTILE.title) && vtext.includes(HOSTILE.scope) && vtext.includes(HOSTILE.source.replace(/^.*\//, "")),
    `${mode}: the hostile title, scope or source is not shown as text`);
  t.check((await page.title()).includes(HOSTILE.title), `${mode}: the page title lacks the version's title`);
  await t.shot(page, `policy-version-${lang}-${mode}`);
  const again = await upload(page, js, mode, "again.yaml", edit(mode), "import of the same text again");
  t.check(again.status() === 409 && (await page.$("#e-file")) !== null, `${mode}: the same text again answers ${again.status()}`);

  // The diff from version 1: the API's lines, the changed approver with its citation.
  await t.go(page, "/policy/diff", `${mode} diff form`, js);
  await page.selectOption("#f-from", "1");
  await page.selectOption("#f-to", String(v));
  await t.submit(page, "form[action='/policy/diff'] button", `${mode} diff`, js);
  const lines = await page.$$eval("#diff-lines li", (ls) => ls.map((l) => l.textContent));
  const [dst, dj] = await api(page, "GET", `/api/v1/policy/diff?from=1&to=${v}`, lang);
  t.check(dst === 200 && JSON.stringify(lines) === JSON.stringify(dj.lines), `${mode}: the web's diff is not the API's:\n${lines.join("\n")}\n--\n${JSON.stringify(dj)}`);
  t.check(lines.some((l) => l.includes('"system_manager" -> "security_manager"')) && lines.some((l) => l.includes("成田 基準")),
    `${mode}: the diff lacks the approver's change or its citation:\n${lines.join("\n")}`);
  await t.shot(page, `policy-diff-${lang}-${mode}`);
  r = await t.go(page, "/policy/diff?from=x&to=1", `${mode} diff of no version`, js);
  t.check(r.status() === 400 && await page.$(".error-summary a[href='#f-from']") !== null && await page.$("#e-from") !== null,
    `${mode}: a bad version to compare answers ${r.status()}`);
  r = await t.go(page, "/policy/diff?from=1&to=999", `${mode} diff of an unknown version`, js);
  const [ust] = await api(page, "GET", "/api/v1/policy/diff?from=1&to=999", lang);
  t.check(r.status() === ust, `${mode}: an unknown version: the web ${r.status()}, the API ${ust}`);

  // Activation without the CISO's approval: refused, the API's answer, nothing changed.
  await t.go(page, `/policy/versions/${v}`, `${mode} version ${v}`, js);
  r = await t.submit(page, `form[action='/policy/versions/${v}/activate'] button`, `${mode} activation without approval`, js);
  const refusal = await summary(page);
  const [ast, aj] = await api(page, "POST", `/api/v1/policy/versions/${v}/activate`, lang);
  t.check(r.status() === 409 && ast === 409 && refusal === aj.error.message,
    `${mode}: activation without approval: the web ${r.status()} "${refusal}", the API ${ast} ${JSON.stringify(aj)}`);
  t.check((await page.textContent(`#pv-${v} .pv-status`)).trim() === w.imported, `${mode}: a refused activation changed the version`);

  // The request: a reason is required (beside the field); filed with a hostile one.
  r = await t.submit(page, `form[action='/policy/versions/${v}/request'] button`, `${mode} request without reason`, js);
  t.check(r.status() === 400 && await page.$("#e-reason") !== null && await page.$(".error-summary a[href='#f-reason']") !== null,
    `${mode}: a request without a reason answers ${r.status()} ${await summary(page)}`);
  await page.fill("#f-reason", HOSTILE.reason);
  await t.submit(page, `form[action='/policy/versions/${v}/request'] button`, `${mode} request filed`, js);
  const rm = pathOf(page).match(/^\/requests\/(\d+)$/);
  t.check(rm, `${mode}: the request led to ${page.url()}`);
  const rid = rm ? Number(rm[1]) : 0;
  t.check((await page.textContent("main")).includes(HOSTILE.reason), `${mode}: the reason is not shown as text`);

  await cisoApproves(js, mode, lang, rid);

  // Activation under the approval: the version in force, under the request, as the API says.
  await t.go(page, `/policy/versions/${v}`, `${mode} version ${v} approved`, js);
  r = await t.submit(page, `form[action='/policy/versions/${v}/activate'] button`, `${mode} activation`, js);
  t.check(r.status() === 200 && (await page.textContent(".notice[role=status]")).includes(w.activated) && await page.$("#pv-active") !== null,
    `${mode}: the activation answers ${r.status()}`);
  t.check((await page.textContent(`#pv-${v} .pv-activation`)).includes(String(rid)), `${mode}: the version does not name request ${rid}`);
  const [, list] = await api(page, "GET", "/api/v1/policy/versions", lang);
  const row = list.find((x) => x.id === v);
  t.check(row && row.status === "active" && row.request_id === rid && row.activated_by === "gm",
    `${mode}: the API's version ${v}: ${JSON.stringify(row)}`);
  t.check(list.filter((x) => x.status === "active").length === 1, `${mode}: not exactly one active version`);
  // Once more: the web and the API both answer 409 (active already; the approval is used).
  const twice = await page.request.post(t.base + `/policy/versions/${v}/activate`, { form: { csrf: await csrf(page) }, maxRedirects: 0 });
  const [tst] = await api(page, "POST", `/api/v1/policy/versions/${v}/activate`, lang);
  t.check(twice.status() === 409 && tst === 409, `${mode}: a second activation: the web ${twice.status()}, the API ${tst}`);
  await t.go(page, "/policy/versions", `${mode} versions after activation`, js);
  t.check((await page.textContent(`#pv-${v} .pv-status`)).trim() === w.active, `${mode}: the list does not show ${v} in force`);
  await t.shot(page, `policy-versions-${lang}-${mode}`);

  // --- the policy set: 八王子's guideline for the designated manager's units (with
  // JavaScript), taken out again (without) ---
  let hv;
  if (js) {
    await upload(page, js, mode, "hachioji.yaml", HACHIOJI, "import of the guideline");
    hv = Number(pathOf(page).split("/").pop());
  } else {
    hv = (await api(page, "GET", "/api/v1/policy/versions", lang))[1].find((x) => x.source === "hachioji.yaml").id;
  }
  await t.go(page, "/policy/set", `${mode} set`, js);
  r = await t.submit(page, "#set-ask", `${mode} set request without a version`, js);
  t.check(r.status() === 400 && await page.$("#e-version") !== null && await page.$(".error-summary a[href='#f-version']") !== null,
    `${mode}: a set request without a version answers ${r.status()}`);
  await page.selectOption("#f-version", String(hv));
  if (js) await page.check("#f-kind_designated_manager");
  r = await t.submit(page, "#set-apply", `${mode} set change without approval`, js);
  const [sst, sj] = await api(page, "POST", `/api/v1/policy/set/${hv}`, lang, { units_of_kind: js ? "designated_manager" : "none" });
  t.check(r.status() === 409 && sst === 409 && (await summary(page)) === sj.error.message,
    `${mode}: a set change without approval: the web ${r.status()} "${await summary(page)}", the API ${sst} ${JSON.stringify(sj)}`);
  await page.fill("#f-reason", HOSTILE.reason);
  await t.submit(page, "#set-ask", `${mode} set request`, js);
  const sm = pathOf(page).match(/^\/requests\/(\d+)$/);
  t.check(sm, `${mode}: the set request led to ${page.url()}`);
  await cisoApproves(js, mode, lang, sm ? Number(sm[1]) : 0);
  await t.go(page, "/policy/set", `${mode} set approved`, js);
  await page.selectOption("#f-version", String(hv));
  if (js) await page.check("#f-kind_designated_manager");
  r = await t.submit(page, "#set-apply", `${mode} set change`, js);
  t.check(r.status() === 200 && (await page.textContent(".notice[role=status]")).includes(w.changed), `${mode}: the set change answers ${r.status()} ${await summary(page)}`);
  const [, set] = await api(page, "GET", "/api/v1/policy/set", lang);
  const member = set.find((x) => x.version === hv);
  t.check(js ? member && JSON.stringify(member.unit_kinds) === '["designated_manager"]' : !member,
    `${mode}: the API's set: ${JSON.stringify(set)}`);
  const setText = await page.textContent("table");
  t.check(js ? setText.includes("八王子市指定管理者") && setText.includes(w.dm) : !setText.includes("八王子市指定管理者"),
    `${mode}: the set's table: ${setText}`);
  await t.shot(page, `policy-set-${lang}-${mode}`);

  // Every page in the other language as well.
  for (const u of ["/policy/versions", `/policy/versions/${v}`, `/policy/diff?from=1&to=${v}`, "/policy/set", "/policy"])
    await t.go(page, `${u}${u.includes("?") ? "&" : "?"}lang=${other}`, `${mode} ${u} in ${other}`, js);
  t.check(await page.evaluate(() => document.documentElement.lang) === other, `${mode}: ?lang=${other} not applied`);
  await t.go(page, `/?lang=${lang}`, `${mode} lang back`, js);
  await t.logout(page, js, `${mode} gm`);
});
