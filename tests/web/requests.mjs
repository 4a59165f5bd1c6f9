// Browser test of the request, approval and ledger pages (issue 14 over issue 13's
// workflows), in Debian's chromium with axe-core, JavaScript on and off.
//
// usage: node requests.mjs SEKISHO_BINARY OUTDIR
// The city is Hachioji's profile (指定管理者の情報セキュリティガイドライン): a staff member
// (指定管理業務従事者) and two 情報セキュリティ対策責任者 (dm_officer) at a 指定管理者 under a
// section, and the section's 課長 (security_manager), who reads its ledgers. The profile's rule take-out-conf2 (7(1), 7(7)ア・イ) says a take-out of a 機密性2 or
// 3 asset needs the 情報セキュリティ対策責任者's permission with three safeguards
// (encrypt_or_password, locked_case, record); 10(7) forbids a private device outright.
// With JavaScript the workflow runs in Japanese, without it in English; every page is also
// seen in the other language. The expectations are written here, from the issue and the seed.
import { WebTest } from "./lib.mjs";

const t = new WebTest(process.argv[2], process.argv[3], "requests");
const DB = t.db;

t.sk(["init", "--db", DB, "--profile", "hachioji", "--admin", "chief"]);
t.sk(["org", "add", "--db", DB, "--code", "soumu", "--name", "総務部", "--kind", "department", "--parent", "hachioji"]);
t.sk(["org", "add", "--db", DB, "--code", "bunka", "--name", "文化振興課", "--kind", "section", "--parent", "soumu"]);
t.sk(["org", "add", "--db", DB, "--code", "kaikan", "--name", "市民会館（指定管理者）", "--kind", "designated_manager", "--parent", "bunka"]);
const PW = "Req-pass-2026-x9!Q";
for (const [login, name, unit, role] of [["hana", "花子", "kaikan", "staff"], ["taisaku", "対策責任者", "kaikan", "dm_officer"],
  ["fuku", "副責任者", "kaikan", "dm_officer"], ["kacho", "課長", "bunka", "security_manager"]])
  t.sk(["user", "add", "--db", DB, "--login", login, "--name", name, "--unit", unit, "--role", role, "--password-stdin"], PW + "\n");
const laptop = JSON.parse(t.sk(["asset", "add", "--db", DB, "--unit", "kaikan", "--type", "hardware", "--name", "貸出用ノートPC",
  "--conf", "3", "--integ", "2", "--avail", "2", "--manager", "館長", "--zone", "lgwan", "--json"])).id;
// Pending requests are overdue at once (--remind-after 0): the inbox marks them.
await t.serve(DB, ["--remind-after", "0"]);

// Hostile text (as run.mjs's HOSTILE) for every free-text field of a take-out request and
// for the approver's comment.
const HOSTILE = {
  reason: `{{t:UI_APP}} {{csrf}} <iframe src="javascript:window.__xss=7"></iframe> ＜全角＞`,
  destination: `<script>window.__xss=1</script>"'><img src=x onerror="window.__xss=2">`,
  purpose: `javascript:window.__xss=3//" onmouseover="window.__xss=4`,
  items: `'><svg onload=window.__xss=6>説明会資料`,
};
const COMMENT = `</textarea><script>window.__xss=5</script>了承`;
const WORDS = {
  ja: { pending: "承認待ち", approved: "承認済み", rejected: "却下", withdrawn: "取下げ", completed: "完了",
    approval: "承認が必要", refused: "ポリシーで認められていません", self: "ご自身の申請は承認できません",
    dm_officer: "情報セキュリティ対策責任者" /* 八王子's title */ },
  en: { pending: "pending", approved: "approved", rejected: "rejected", withdrawn: "withdrawn", completed: "completed",
    approval: "Needs approval", refused: "does not allow this request", self: "someone else decides it",
    dm_officer: "Designated manager's security officer" /* the guideline's, in English */ },
};
const path = (page) => new URL(page.url()).pathname;
const status = async (page) => (await page.textContent("#rq-status")).trim();

// Files a take-out of the laptop through the form; returns the new request's id.
async function fileTakeOut(page, js, mode, lang, texts, check) {
  await t.go(page, "/requests/new?kind=take_out", `${mode} take_out form`, js);
  await page.selectOption("#f-asset_id", String(laptop));
  await t.submit(page, "button[value=check]", `${mode} take_out checked`, js);
  if (check) {
    const ans = await page.textContent("#result");
    t.check(ans.includes(WORDS[lang].approval), `${mode}: the policy's answer is not approval: ${ans}`);
    t.check(ans.includes("八王子 7(7)イ") && ans.includes(WORDS[lang].dm_officer), `${mode}: no article or approver: ${ans}`);
    t.check((await page.$$("fieldset.checklist input[type=checkbox]")).length === 3, `${mode}: the checklist is not three safeguards`);
    await t.shot(page, `request-new-${lang}-${mode}`);
  }
  for (const [k, v] of Object.entries(texts)) await page.fill(`#f-${k}`, v);
  await page.fill("#f-from", "2026-12-10");
  await page.fill("#f-until", "2026-12-11");
  if (check) {
    // Not every safeguard ticked: refused, said at the top and beside the checklist.
    const r = await t.submit(page, "button[value=file]", `${mode} take_out without safeguards`, js);
    t.check(r.status() === 400, `${mode}: filing without the safeguards answers ${r.status()}`);
    t.check(await page.$(".error-summary a[href='#f-safeguards_confirmed']") !== null, `${mode}: no summary link to the checklist`);
    t.check(await page.$("fieldset.checklist .field__error") !== null, `${mode}: no error beside the checklist`);
    t.check(await page.inputValue("#f-destination") === texts.destination, `${mode}: the form lost the destination`);
  }
  for (const cb of await page.$$("fieldset.checklist input[type=checkbox]")) await cb.check();
  await t.submit(page, "button[value=file]", `${mode} take_out filed`, js);
  const m = path(page).match(/^\/requests\/(\d+)$/);
  t.check(m, `${mode}: filing did not lead to the request (${page.url()})`);
  return m ? m[1] : "0";
}

await t.run(async (page, js, mode) => {
  const lang = js ? "ja" : "en", other = js ? "en" : "ja";
  const W = WORDS[lang];

  // The staff member: the request pages, the kinds, a take-out with hostile text.
  await t.login(page, "hana", PW, js, `${mode} hana`);
  await t.go(page, `/requests?lang=${lang}`, `${mode} requests`, js);
  t.check(await page.$("nav.site-nav a[href='/requests']") !== null, `${mode}: no requests link in the menu`);
  t.check(await page.$("nav.site-nav a[href='/ledgers']") === null, `${mode}: staff sees the ledgers link`);
  t.check(await page.$("#inbox-tab") === null, `${mode}: staff has an inbox`);
  await t.go(page, "/ledgers", `${mode} hana ledgers`, js).then((r) => t.check(r.status() === 404, `${mode}: staff opens /ledgers (${r.status()})`));
  await t.go(page, "/requests/new", `${mode} kinds`, js);
  // The thirteen kinds of SPEC C7 and issue 13, and the activation of a policy version (issue 16).
  const kinds = await page.$$eval("ul.kinds a", (as) => as.map((a) => new URL(a.href).searchParams.get("kind")));
  t.check(kinds.length === 14 && kinds.includes("take_out") && kinds.includes("policy_activation"),
    `${mode}: the kinds offered are ${kinds}`);
  await t.shot(page, `request-kinds-${lang}-${mode}`);
  const A = await fileTakeOut(page, js, mode, lang, HOSTILE, true);
  t.check((await status(page)) === W.pending, `${mode}: the new request is ${await status(page)}`);
  const main = await page.textContent("main");
  for (const [k, v] of Object.entries(HOSTILE)) t.check(main.includes(v), `${mode}: the request does not show ${k} as text`);
  t.check(main.includes("encrypt_or_password") && main.includes("八王子 7(7)イ"), `${mode}: the decision is not shown`);
  t.check(await page.$("#approve") === null, `${mode}: the requester is offered approval`);
  await t.shot(page, `request-${lang}-${mode}`);
  const B = await fileTakeOut(page, js, mode, lang, { reason: "説明会", destination: "市民会館", purpose: "説明会" }, false);
  const C = await fileTakeOut(page, js, mode, lang, { reason: "取下げ予定", destination: "本庁", purpose: "打合せ" }, false);
  if (js) {
    // With JavaScript the withdrawal asks first: dismissed, nothing happens.
    page.once("dialog", (d) => d.dismiss());
    await page.click("#withdraw");
    t.check(path(page) === `/requests/${C}` && (await status(page)) === W.pending, `${mode}: a dismissed withdrawal went on`);
    page.once("dialog", (d) => d.accept());
  }
  await t.submit(page, "#withdraw", `${mode} withdrawn`, js);
  t.check((await status(page)) === W.withdrawn, `${mode}: withdraw left ${await status(page)}`);
  await t.go(page, "/requests", `${mode} my requests`, js);
  for (const id of [A, B, C]) t.check(await page.$(`table.requests a[href='/requests/${id}']`) !== null, `${mode}: request ${id} not in my list`);
  t.check((await page.textContent("table.requests")).includes(HOSTILE.destination) === false, `${mode}: the list shows details it should not`);
  // Filters as GET parameters.
  await page.selectOption("#f-status", "withdrawn");
  await t.submit(page, "form.filters button", `${mode} my requests filtered`, js);
  t.check(new URL(page.url()).searchParams.get("status") === "withdrawn", `${mode}: the status filter is not in the URL`);
  t.check(await page.$(`a[href='/requests/${C}']`) !== null && await page.$(`a[href='/requests/${A}']`) === null, `${mode}: the status filter does not filter`);

  // A policy refusal (八王子 10(7): no private device), with its article.
  await t.go(page, "/requests/new?kind=use_private_device", `${mode} private device form`, js);
  t.check((await page.textContent("#result")).includes(W.refused), `${mode}: the form does not warn of the refusal`);
  await page.fill("#f-reason", "在宅勤務");
  await page.fill("#f-device", "私物スマートフォン");
  await page.fill("#f-purpose", "メール確認");
  const refused = await t.submit(page, "button[value=file]", `${mode} private device refused`, js);
  t.check(refused.status() === 422, `${mode}: a forbidden request answers ${refused.status()}`);
  t.check(await page.$(".error-summary") !== null && (await page.textContent("#result")).includes("八王子 10(7)"),
    `${mode}: the refusal does not cite 10(7)`);
  await t.shot(page, `request-refused-${lang}-${mode}`);
  await t.logout(page, js, `${mode} hana`);

  // The 情報セキュリティ対策責任者: the inbox with its count, approve one, reject one.
  await t.login(page, "taisaku", PW, js, `${mode} taisaku`);
  await t.go(page, "/", `${mode} taisaku home`, js);
  t.check(await page.$(`#home-inbox-section a[href='/requests/${A}']`) !== null, `${mode}: home's inbox does not link the request`);
  await t.go(page, "/requests", `${mode} taisaku requests`, js);
  await t.submit(page, "#inbox-tab", `${mode} inbox`, js);
  const tab = await page.textContent("#inbox-tab");
  t.check(/ 2\b/.test(tab) && await page.$("#inbox-tab .badge--overdue") !== null, `${mode}: the inbox count is not 2, both overdue: ${tab}`);
  t.check((await page.$$("table.requests tr.overdue")).length === 2, `${mode}: the overdue requests are not marked`);
  await t.shot(page, `inbox-${lang}-${mode}`);
  await t.submit(page, `table.requests a[href='/requests/${A}']`, `${mode} inbox item`, js);
  await page.fill("#f-comment", COMMENT);
  await t.submit(page, "#approve", `${mode} approved`, js);
  t.check((await status(page)) === W.approved, `${mode}: approval left ${await status(page)}`);
  t.check((await page.textContent("table.steps")).includes(COMMENT), `${mode}: the comment is not shown as text`);
  await t.go(page, `/requests/${B}`, `${mode} to reject`, js);
  const noComment = await t.submit(page, "#reject", `${mode} reject without comment`, js);
  t.check(noComment.status() === 400 && await page.$("#e-comment") !== null && await page.$(".error-summary a[href='#f-comment']") !== null,
    `${mode}: a rejection without a comment is not refused beside the field (${noComment.status()})`);
  await page.fill("#f-comment", "返却日が未定のため");
  await t.submit(page, "#reject", `${mode} rejected`, js);
  t.check((await status(page)) === W.rejected, `${mode}: rejection left ${await status(page)}`);
  await t.go(page, "/requests?box=inbox", `${mode} inbox emptied`, js);
  t.check(await page.$("table.requests") === null, `${mode}: decided requests stay in the inbox`);

  await t.logout(page, js, `${mode} taisaku`);

  // The 課長 reads the ledger of the units below, with its export buttons (the domain's
  // export, recorded).
  await t.login(page, "kacho", PW, js, `${mode} kacho`);
  await t.go(page, "/ledgers", `${mode} ledgers`, js);
  t.check((await page.$$("main ul.links a")).length === 6, `${mode}: not six ledgers: ${await page.textContent("main")}`);
  await t.submit(page, "a[href='/ledgers/take_out']", `${mode} ledger`, js);
  const ledger = await page.textContent("table.ledger");
  t.check(ledger.includes(HOSTILE.destination) && await page.$(`table.ledger a[href='/requests/${A}']`) !== null,
    `${mode}: the ledger lacks the request`);
  await t.shot(page, `ledger-${lang}-${mode}`);
  for (const [btn, ext] of [["#export-csv", ".csv"], ["#export-xlsx", ".xlsx"]]) {
    const [dl] = await Promise.all([page.waitForEvent("download"), page.click(btn)]);
    // The Japanese title (RFC 6266 filename*) where the browser reads it, else the ASCII name.
    t.check(/^(持ち出し記録|take_out)-\d{4}-\d{2}-\d{2}\.(csv|xlsx)$/.test(dl.suggestedFilename()) && dl.suggestedFilename().endsWith(ext),
      `${mode}: the export is named ${dl.suggestedFilename()}`);
    const file = await dl.path();
    t.check(file !== null, `${mode}: the ${ext} export was not downloaded`);
  }
  await t.logout(page, js, `${mode} kacho`);

  // Self-approval: an approver's own request is not theirs to decide, and says so.
  await t.login(page, "fuku", PW, js, `${mode} fuku`);
  const F = await fileTakeOut(page, js, mode, lang, { reason: "自分の申請", destination: "本庁", purpose: "会議" }, false);
  t.check((await page.textContent("main")).includes(W.self) && await page.$("#approve") === null, `${mode}: no self-approval notice`);
  const csrf = await page.getAttribute("form.logout input[name=csrf]", "value");
  const self = await page.request.post(`${t.base}/requests/${F}/approve`, { form: { csrf }, maxRedirects: 0 });
  t.check(self.status() === 403 && (await self.text()).includes("error-summary"), `${mode}: self-approval answers ${self.status()}`);
  await t.go(page, `/requests/${F}`, `${mode} own request`, js);
  if (js) page.once("dialog", (d) => d.accept());
  await t.submit(page, "#withdraw", `${mode} own request withdrawn`, js);
  await t.logout(page, js, `${mode} fuku`);

  // The staff member sees the decisions and records the return.
  await t.login(page, "hana", PW, js, `${mode} hana again`);
  await t.go(page, `/requests/${A}`, `${mode} approved request`, js);
  t.check((await status(page)) === W.approved, `${mode}: the requester sees ${await status(page)}`);
  await t.go(page, `/requests/${B}`, `${mode} rejected request`, js);
  t.check((await status(page)) === W.rejected && (await page.textContent("table.steps")).includes("返却日が未定のため"),
    `${mode}: the requester does not see the rejection and its comment`);
  await t.go(page, `/requests/${A}`, `${mode} follow-through`, js);
  await page.fill("#f-returned_on", "2026-12-11");
  await t.submit(page, "#complete", `${mode} returned`, js);
  t.check((await status(page)) === W.completed, `${mode}: the return left ${await status(page)}`);

  // The same pages in the other language.
  await t.go(page, `/requests?lang=${other}`, `${mode} requests ${other}`, js);
  await t.shot(page, `requests-${other}-${mode}`);
  await t.go(page, `/requests/new`, `${mode} kinds ${other}`, js);
  await t.shot(page, `request-kinds-${other}-${mode}`);
  await t.go(page, `/requests/new?kind=take_out`, `${mode} take_out form ${other}`, js);
  await page.selectOption("#f-asset_id", String(laptop));
  await t.submit(page, "button[value=check]", `${mode} take_out checked ${other}`, js);
  await t.shot(page, `request-new-${other}-${mode}`);
  await t.go(page, `/requests/new?kind=use_private_device`, `${mode} private device ${other}`, js);
  await t.shot(page, `request-refused-${other}-${mode}`);
  await t.go(page, `/requests/${A}`, `${mode} request ${other}`, js);
  t.check((await status(page)) === WORDS[other].completed, `${mode}: the ${other} page says ${await status(page)}`);
  await t.shot(page, `request-${other}-${mode}`);
  await t.go(page, `/requests?lang=${lang}`, `${mode} back to ${lang}`, js);
  await t.shot(page, `requests-${lang}-${mode}`);
  await t.logout(page, js, `${mode} hana again`);
  await t.login(page, "kacho", PW, js, `${mode} kacho ${other}`);
  await t.go(page, `/ledgers?lang=${other}`, `${mode} ledgers ${other}`, js);
  await t.go(page, `/ledgers/take_out`, `${mode} ledger ${other}`, js);
  await t.shot(page, `ledger-${other}-${mode}`);
  await t.go(page, `/?lang=${lang}`, `${mode} kacho back to ${lang}`, js);
  await t.logout(page, js, `${mode} kacho ${other}`);
});
