// Browser test of the incident and notification pages and the account's preferences
// (issue 14), in Debian's chromium driven by playwright-core with axe-core (lib.mjs).
//
// usage: node incidents.mjs SEKISHO_BINARY OUTDIR
// The city: a staff member (taro) at 情報政策課, a CSIRT member (csirt1) who is also the
// section's 情報セキュリティ管理者 (security_manager: 八王子 13(3) gives the closing to that
// post), the CISO (chief) above. With JavaScript on and then off: taro reports an incident
// with hostile text in every free-text field, csirt1 finds it on the board, records the
// response, escalates it (to the CISO: the posts between are vacant) and closes it, taro
// sees the notification and marks it read. With JavaScript on, taro chooses English and
// 和暦 on /account; they apply at the next login, and in the second (fresh) browser,
// without ?lang=. The expectations are written here, from the issue and the seeds.
import { createHash } from "node:crypto";
import { WebTest } from "./lib.mjs";

const t = new WebTest(process.argv[2], process.argv[3], "incidents");
const DB = t.db;
const PW = { taro: "Taro-pass-2026-x9!Q", csirt1: "Csirt-pass-2026-x9!Q" };

t.sk(["init", "--db", DB, "--profile", "hachioji", "--admin", "chief"]);
t.sk(["org", "add", "--db", DB, "--code", "soumu", "--name", "総務部", "--kind", "department", "--parent", "hachioji"]);
t.sk(["org", "add", "--db", DB, "--code", "jouhou", "--name", "情報政策課", "--kind", "section", "--parent", "soumu"]);
t.sk(["user", "add", "--db", DB, "--login", "taro", "--name", "山田太郎", "--unit", "jouhou", "--role", "staff", "--password-stdin"], PW.taro + "\n");
t.sk(["user", "add", "--db", DB, "--login", "csirt1", "--name", "対応太郎", "--unit", "jouhou", "--role", "security_manager", "--password-stdin"], PW.csirt1 + "\n");
t.sk(["role", "grant", "--db", DB, "--login", "csirt1", "--role", "csirt", "--unit", "hachioji"]);
// A colleague in the same section: neither the reporter nor a handler, so the incident and its
// evidence do not exist for her (the API's rule: 404).
PW.hanako = "Hanako-pass-2026-x9!Q";
t.sk(["user", "add", "--db", DB, "--login", "hanako", "--name", "鈴木花子", "--unit", "jouhou", "--role", "staff", "--password-stdin"], PW.hanako + "\n");
await t.serve(DB);

// Hostile text (as run.mjs's): script tags, attribute breakers, javascript: URLs, template
// tags, full-width brackets; one per free-text field of the incident pages.
const HOSTILE = {
  title: `<script>window.__xss=1</script>"'><img src=x onerror="window.__xss=2">`,
  description: `</textarea><script>window.__xss=5</script>\njavascript:window.__xss=3//" onmouseover="window.__xss=4`,
  cause: `'><svg onload=window.__xss=6>原因`,
  impact: `{{t:UI_APP}} {{csrf}} <iframe src="javascript:window.__xss=7"></iframe> ＜全角＞`,
  response: `<a href="javascript:window.__xss=8">対応</a>`,
  recovery: `"><script src=//x></script>`,
  prevention: `<style>*{display:none}</style>再発防止`,
  escalate: `<b onclick="window.__xss=9">上位へ</b>`,
  close: `</form><form action="//x"><button>終結`,
  // (a browser sends a quote in a file name as %22: the name has none)
  file: `'><img src=x onerror=window.__xss=10>; 証拠 &amp; {{csrf}}.log`,
};

// A moment an hour ago as the browser's datetime-local field takes it, in Japan's time.
function jstLocal(msAgo) {
  const d = new Date(Date.now() + 9 * 3600e3 - msAgo);
  return d.toISOString().slice(0, 16);
}

const path = (page) => new URL(page.url()).pathname;
const main = (page) => page.textContent("main");
const lang = (page) => page.evaluate(() => document.documentElement.lang);

await t.run(async (page, js, mode) => {
  // The second browser (JavaScript off) is a fresh profile: no language cookie. taro's choice
  // of English on /account in the first applies at this login without ?lang=.
  const L = js ? "ja" : "en";
  const say = (ja, en) => (L === "ja" ? ja : en);
  if (js) await t.go(page, "/?lang=ja", `${mode} landing`, js);
  await t.login(page, "taro", PW.taro, js, `${mode} taro`);
  t.check(await lang(page) === L, `${mode}: taro's home is in ${await lang(page)}, not ${L}`);

  // The report form: an error first (no title), summarised and beside the field, text kept.
  await t.go(page, "/incidents", `${mode} incidents (taro)`, js);
  t.check(await page.$("#inc-filter-title") === null, `${mode}: staff sees the CSIRT board's filters`);
  await page.fill("#f-description", HOSTILE.description);
  await page.fill("#f-found_at", jstLocal(1800e3));
  await page.selectOption("#f-severity", "medium");
  await t.submit(page, "form[action='/incidents'] button", `${mode} report with an error`, js);
  t.check(await page.$(".error-summary a[href='#f-title']") !== null, `${mode}: no error summary linking the title`);
  t.check(await page.$("#e-f-title") !== null, `${mode}: no error beside the title`);
  t.check(await page.inputValue("#f-description") === HOSTILE.description, `${mode}: the form lost the description`);
  // A future time is the domain's refusal, named beside the field.
  await page.fill("#f-title", HOSTILE.title);
  await page.fill("#f-found_at", jstLocal(-48 * 3600e3));
  await t.submit(page, "form[action='/incidents'] button", `${mode} report in the future`, js);
  t.check(await page.$("#e-f-found_at") !== null, `${mode}: a future found_at is not refused beside the field`);
  await page.fill("#f-found_at", jstLocal(1800e3));
  await page.fill("#f-asset_ids", "1, x");
  await t.submit(page, "form[action='/incidents'] button", `${mode} report with bad asset ids`, js);
  t.check(await page.$("#e-f-asset_ids") !== null, `${mode}: bad asset numbers are not refused beside the field`);
  await page.fill("#f-asset_ids", "");
  await t.submit(page, "form[action='/incidents'] button", `${mode} reported`, js);
  const m = path(page).match(/^\/incidents\/(\d+)$/);
  t.check(m, `${mode}: not sent to the new incident (${page.url()})`);
  const id = m ? m[1] : "1";
  const num = `I-${id.padStart(6, "0")}`;
  let txt = await main(page);
  for (const k of ["title", "description"]) t.check(txt.includes(HOSTILE[k]), `${mode}: the incident does not show its ${k} as text`);
  t.check(!txt.includes(say("報告遅延", "Reported late")), `${mode}: a report within the hour is called late`);
  // Roles by their titles in the page's language (八王子's in Japanese), never by their keys.
  t.check(txt.includes(say("報告済み", "Reported")) && txt.includes(say("情報セキュリティ管理者（当該指定管理業務を所管する課等の課長等）", "Information security manager")), `${mode}: not routed to the 情報セキュリティ管理者: ${txt.slice(0, 300)}`);
  t.check(txt.includes(say("CSIRT（CSIRT管理者：", "CSIRT member")), `${mode}: the CSIRT is not named as informed`);
  t.check(!/security_manager|csirt/.test(txt), `${mode}: a role key is shown on the incident page`);
  t.check(txt.includes(say("中", "Medium")), `${mode}: the severity is not shown`);
  t.check(await page.$("form[action$='/escalate']") === null, `${mode}: the reporter is offered the escalation`);
  await t.shot(page, `incident-reported-${L}-${mode}`);

  // Evidence from the page (multipart upload): a log with a hostile name, listed with its name,
  // size and SHA-256. An oversized file, no file, a cut-off upload and a forged token are refused
  // with nothing written.
  const attRows = async () => (await page.$$("#attachments tbody tr")).length;
  t.check(await page.$(`form[action='/incidents/${id}/attachments'][enctype='multipart/form-data']`) !== null, `${mode}: the reporter is not offered the upload`);
  await t.submit(page, `form[action='/incidents/${id}/attachments'] button`, `${mode} attach nothing`, js);
  t.check(await page.$(".error-summary a[href='#f-file']") !== null && await page.$("#e-file") !== null, `${mode}: no file chosen is not refused in the summary and beside the field`);
  const big = Buffer.alloc(600 * 1024, 0x41);
  await page.setInputFiles("#f-file", { name: "big.log", mimeType: "text/plain", buffer: big });
  const bigResp = await t.submit(page, `form[action='/incidents/${id}/attachments'] button`, `${mode} attach too big`, js);
  t.check(bigResp.status() === 413, `${mode}: a 600 KiB file answers ${bigResp.status()}`);
  t.check((await page.textContent(".error-summary")).includes(say("512 KiB", "512 KiB")) && await page.$("#e-file") !== null, `${mode}: the oversized file's error is not in the summary`);
  t.check(await attRows() === 0, `${mode}: an oversized file was kept`);
  // A name that reads backwards (U+202E) is refused by the field schema, naming the file.
  await page.setInputFiles("#f-file", { name: "evidence\u202egol.exe", mimeType: "text/plain", buffer: Buffer.from("x") });
  const bidi = await t.submit(page, `form[action='/incidents/${id}/attachments'] button`, `${mode} attach bidi name`, js);
  t.check(bidi.status() === 400 && await page.$(".error-summary a[href='#f-file']") !== null, `${mode}: a bidi file name answers ${bidi.status()} without the summary`);
  t.check(await attRows() === 0, `${mode}: a file with a bidi name was kept`);
  const log = Buffer.from(`2026-12-06 10:00 sshd: <script>window.__xss=11</script> 失敗\n`, "utf8");
  await page.setInputFiles("#f-file", { name: HOSTILE.file, mimeType: "text/html", buffer: log });
  await t.submit(page, `form[action='/incidents/${id}/attachments'] button`, `${mode} attached`, js);
  t.check(path(page) === `/incidents/${id}`, `${mode}: not back on the incident after attaching (${page.url()})`);
  t.check(await attRows() === 1, `${mode}: the attachment is not listed`);
  const digest = createHash("sha256").update(log).digest("hex");
  txt = await page.textContent("#attachments");
  t.check(txt.includes(HOSTILE.file) && txt.includes(digest) && txt.includes(String(log.length)), `${mode}: the attachment's name, size or SHA-256 is not shown: ${txt}`);
  await t.shot(page, `incident-evidence-${L}-${mode}`);
  // Audited as the API's path: one incident.attach entry, naming the file's SHA-256; none for the refused.
  const attached = JSON.parse(t.sk(["audit", "tail", "--db", DB, "--count", "100000", "--json"]))
    .filter((e) => e.action === "incident.attach" && e.object === `incident:${id}`);
  t.check(attached.length === 1, `${mode}: ${attached.length} incident.attach entries for one kept file`);
  const href = await page.getAttribute("#attachments a", "href");
  const fields = { csrf: await page.inputValue(`form[action='/incidents/${id}/attachments'] input[name=csrf]`) };
  const forgedUp = await page.request.post(`${t.base}/incidents/${id}/attachments`, { multipart: { csrf: "x".repeat(43), file: { name: "a.log", mimeType: "text/plain", buffer: log } }, maxRedirects: 0 });
  t.check(forgedUp.status() === 403, `${mode}: an upload with a wrong CSRF token answers ${forgedUp.status()}`);
  const cut = await page.request.post(`${t.base}/incidents/${id}/attachments`, {
    headers: { "content-type": "multipart/form-data; boundary=XyZ" },
    data: `--XyZ\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n${fields.csrf}\r\n--XyZ\r\nContent-Disposition: form-data; name="file"; filename="cut.log"\r\n\r\npartial`,
    maxRedirects: 0 });
  t.check(cut.status() === 400 && (await cut.text()).includes("error-summary"), `${mode}: a cut-off upload answers ${cut.status()} without the page's error summary`);
  await t.go(page, `/incidents/${id}`, `${mode} incident after refused uploads`, js);
  t.check(await attRows() === 1, `${mode}: a refused upload was kept`);
  const dl = await page.request.get(t.base + href);
  t.check(dl.status() === 200 && Buffer.compare(await dl.body(), log) === 0, `${mode}: the reporter's download answers ${dl.status()} or other bytes`);
  const h = dl.headers();
  t.check(h["content-type"] === "application/octet-stream" && h["x-content-type-options"] === "nosniff", `${mode}: the download is served as ${h["content-type"]}`);
  const cd = h["content-disposition"] || "";
  t.check(/^attachment; filename="[A-Za-z0-9._-]+"; filename\*=UTF-8''[A-Za-z0-9._%-]+$/.test(cd), `${mode}: unsafe Content-Disposition ${cd}`);
  t.check(decodeURIComponent(cd.split("UTF-8''")[1] || "") === HOSTILE.file, `${mode}: the file name is not kept in filename*: ${cd}`);
  await t.go(page, "/incidents", `${mode} taro's reports`, js);
  t.check((await main(page)).includes(HOSTILE.title), `${mode}: taro's own report is not listed`);
  if (!js) {
    t.check((await main(page)).includes(`I-${String(id - 1).padStart(6, "0")}`), `${mode}: taro's closed report of the first browser is not listed`);
    t.check(/令和\d+年\d+月\d+日 \d\d:\d\d/.test(await main(page)), `${mode}: taro's 和暦 preference does not apply in a new browser`);
  }
  await t.shot(page, `incidents-report-${L}-${mode}`);
  await t.logout(page, js, `${mode} taro`);

  // The CSIRT member: the board, the response, the escalation, the closure.
  if (!js) await t.go(page, "/login?lang=ja", `${mode} login ja`, js);
  await t.login(page, "csirt1", PW.csirt1, js, `${mode} csirt1`);
  t.check(await lang(page) === "ja", `${mode}: csirt1 is not in Japanese`);
  await t.go(page, "/", `${mode} csirt1 home`, js);
  t.check(await page.$("a[href='/notifications']") !== null, `${mode}: home does not link the notifications`);
  await t.go(page, "/incidents", `${mode} board`, js);
  t.check((await main(page)).includes(HOSTILE.title), `${mode}: the board does not list the report`);
  await page.selectOption("#f-filter-severity", "medium");
  await t.submit(page, "form.filters button", `${mode} board filtered`, js);
  t.check(new URL(page.url()).searchParams.get("severity") === "medium", `${mode}: the severity filter is not in the URL`);
  t.check((await main(page)).includes(num), `${mode}: the filtered board lacks ${num}`);
  await t.shot(page, `board-ja-${mode}`);
  await page.selectOption("#f-filter-severity", "low");
  await t.submit(page, "form.filters button", `${mode} board filtered out`, js);
  t.check(!(await main(page)).includes(num), `${mode}: the severity filter does not filter`);
  await t.go(page, "/incidents?page=0", `${mode} board bad page`, js).then((r) => t.check(r.status() === 400, `${mode}: page=0 answers ${r.status()}`));
  await t.go(page, "/incidents?severity=x", `${mode} board bad severity`, js).then((r) => t.check(r.status() === 400, `${mode}: severity=x answers ${r.status()}`));
  await t.go(page, `/incidents/${id}`, `${mode} incident (csirt1)`, js);
  await page.fill("#f-escalate-comment", HOSTILE.escalate);
  await t.submit(page, `form[action='/incidents/${id}/escalate'] button`, `${mode} escalated`, js);
  txt = await main(page);
  // The CISO by 八王子's title, not by the key; the step says whom it passed over, by their titles.
  t.check(txt.includes("上位へ報告済み") && txt.includes("最高情報責任者（CIO）"), `${mode}: not escalated to the CISO: ${txt.slice(0, 300)}`);
  t.check(txt.includes("報告経路に役割を持つ者がいないため飛ばしました：情報セキュリティ責任者（当該指定管理業務を所管する部等の部長等）、情報セキュリティ総括責任者（デジタル推進室長）"),
    `${mode}: the escalation step does not name the vacant posts by their titles: ${txt.slice(0, 600)}`);
  t.check(!/general_manager|security_officer/.test(txt), `${mode}: a role key is shown on the incident page`);
  t.check(txt.includes(HOSTILE.escalate), `${mode}: the escalation comment is not shown as text`);
  // At the top of the chain: a further escalation is refused on the page, nothing changes.
  await t.submit(page, `form[action='/incidents/${id}/escalate'] button`, `${mode} escalated at the top`, js);
  t.check(await page.$(".error-summary") !== null, `${mode}: escalating past the CISO is not refused on the page`);
  for (const k of ["cause", "impact", "response", "recovery", "prevention"]) await page.fill(`#f-${k}`, HOSTILE[k]);
  await t.submit(page, `form[action='/incidents/${id}/respond'] button`, `${mode} responded`, js);
  txt = await main(page);
  for (const k of ["cause", "impact", "response", "recovery", "prevention"]) t.check(txt.includes(HOSTILE[k]), `${mode}: the ${k} is not shown as text`);
  t.check(txt.includes("対応中"), `${mode}: not 対応中 after the response`);
  await page.fill("#f-close-comment", HOSTILE.close);
  await t.submit(page, `form[action='/incidents/${id}/close'] button`, `${mode} closed`, js);
  txt = await main(page);
  t.check(txt.includes("このインシデントは終結しています") && txt.includes(HOSTILE.close), `${mode}: not closed: ${txt.slice(0, 300)}`);
  t.check(await page.$("form[action$='/close']") === null, `${mode}: a closed incident still offers closing`);
  await t.shot(page, `incident-closed-ja-${mode}`);
  if (js) {
    await t.go(page, `/incidents/${id}?lang=en`, `${mode} incident en`, js);
    txt = await main(page);
    t.check(txt.includes("This incident is closed."), `${mode}: the incident is not in English`);
    t.check(txt.includes("passed over (no holder in the reporting line): Information security officer, General information security manager"),
      `${mode}: the passed-over posts are not worded in English: ${txt.slice(0, 600)}`);
    await t.shot(page, `incident-closed-en-${mode}`);
    await t.go(page, "/incidents?status=all", `${mode} board en`, js);
    await t.shot(page, `board-en-${mode}`);
    await t.go(page, "/incidents?status=all&lang=ja", `${mode} board all`, js);
  }
  t.check((await (await t.go(page, "/incidents/999999", `${mode} missing incident`, js)).status()) === 404, `${mode}: a missing incident is not 404`);
  // The handler reads the reporter's evidence (the same bytes); a missing one is not found.
  await t.go(page, `/incidents/${id}`, `${mode} incident evidence (csirt1)`, js);
  const evidence = await page.getAttribute("#attachments a", "href");
  const got = await page.request.get(t.base + evidence);
  t.check(got.status() === 200 && (await got.text()).includes("sshd"), `${mode}: the handler cannot download the evidence (${got.status()})`);
  t.check((await page.request.get(`${t.base}/incidents/attachments/999999`)).status() === 404, `${mode}: a missing attachment is not 404`);
  // A session's POST without its CSRF token is refused.
  const forged = await page.request.post(`${t.base}/incidents/${id}/escalate`, { form: { csrf: "x".repeat(43) }, maxRedirects: 0 });
  t.check(forged.status() === 403, `${mode}: escalate with a wrong CSRF token answers ${forged.status()}`);
  await t.logout(page, js, `${mode} csirt1`);

  // A colleague who neither reported nor handles it: the incident and its evidence are not found.
  await t.login(page, "hanako", PW.hanako, js, `${mode} hanako`);
  t.check((await t.go(page, `/incidents/${id}`, `${mode} hanako's view of the incident`, js)).status() === 404, `${mode}: another staff member sees the incident`);
  t.check((await page.request.get(t.base + evidence)).status() === 404, `${mode}: another staff member downloads the evidence`);
  const hanakoCsrf = await page.inputValue("form.logout input[name=csrf]");
  const sneak = await page.request.post(`${t.base}/incidents/${id}/attachments`, { multipart: { csrf: hanakoCsrf, file: { name: "a.log", mimeType: "text/plain", buffer: Buffer.from("x") } }, maxRedirects: 0 });
  t.check(sneak.status() === 404, `${mode}: hanako's upload to an incident she cannot see answers ${sneak.status()}`);
  await t.logout(page, js, `${mode} hanako`);

  // The reporter: the notification that the report was closed, marked read.
  await t.login(page, "taro", PW.taro, js, `${mode} taro again`);
  await t.go(page, "/", `${mode} taro home`, js);
  const closedNote = say(`あなたの報告 ${num} が終結しました`, `Your report ${num} has been closed`);
  t.check((await main(page)).includes(closedNote), `${mode}: home does not show the unread notice`);
  await t.submit(page, "#home-notices-section a[href='/notifications']", `${mode} notifications`, js);
  t.check(await page.$(`.notification--unread a[href='/incidents/${id}']`) !== null, `${mode}: the notice is not unread, linking the incident`);
  await t.shot(page, `notifications-${L}-${mode}`);
  if (js) {
    await t.submit(page, ".notification--unread form button", `${mode} notice read`, js);
    t.check(await page.$(".notification--unread") === null, `${mode}: the notice is still unread`);
  } else {
    await t.submit(page, "form[action='/notifications/read-all'] button", `${mode} all read`, js);
    t.check(await page.$(".notification--unread") === null, `${mode}: notices still unread after all read`);
  }
  t.check((await main(page)).includes(closedNote), `${mode}: the read notice is gone`);
  // taro's incident page: the reporter sees the closure, and its dates in their style.
  await t.go(page, `/incidents/${id}`, `${mode} taro's closed incident`, js);
  t.check((await main(page)).includes(say("終結", "Closed")), `${mode}: the reporter does not see the closure`);
  t.check(await page.$("form[action$='/attachments']") === null, `${mode}: a closed incident still takes evidence`);
  t.check(await page.$$eval("#attachments tbody tr", (r) => r.length) === 1, `${mode}: the reporter does not see the evidence after closure`);

  if (js) {
    // The account page: roles, MFA state, the preferences (English, 和暦).
    await t.go(page, "/account", `${mode} account`, js);
    txt = await main(page);
    t.check(txt.includes("staff") && txt.includes("jouhou") && txt.includes("未登録"), `${mode}: account page lacks roles or MFA state: ${txt.slice(0, 300)}`);
    await t.shot(page, `account-ja-${mode}`);
    await page.check("#f-lang-en");
    await page.check("#f-date_style");
    await t.submit(page, "form[action='/account'] button", `${mode} account saved`, js);
    t.check(await lang(page) === "en", `${mode}: the saved language does not apply`);
    t.check(await page.isChecked("#f-date_style"), `${mode}: 和暦 not kept`);
    await t.shot(page, `account-en-${mode}`);
    // A forged preference is refused naming the field.
    const bad = await page.request.post(`${t.base}/account`, { form: { csrf: await page.inputValue("form[action='/account'] input[name=csrf]"), lang: "fr" }, maxRedirects: 0 });
    t.check(bad.status() === 400, `${mode}: lang=fr answers ${bad.status()}`);
    // ?lang= still switches for the moment; the next login brings the account's language back.
    await t.go(page, "/?lang=ja", `${mode} switched to ja`, js);
    t.check(await lang(page) === "ja", `${mode}: ?lang=ja does not switch`);
    await t.logout(page, js, `${mode} taro prefs`);
    await t.login(page, "taro", PW.taro, js, `${mode} taro after prefs`);
    t.check(path(page) === "/" && await lang(page) === "en", `${mode}: the account's English does not apply at login (${await lang(page)})`);
    await t.go(page, `/incidents/${id}`, `${mode} incident in 和暦`, js);
    txt = await main(page);
    t.check(/令和\d+年\d+月\d+日 \d\d:\d\d/.test(txt), `${mode}: dates not in 和暦: ${txt.slice(0, 400)}`);
    t.check(!/20\d\d-\d\d-\d\dT/.test(txt), `${mode}: a raw RFC 3339 time is shown`);
    await t.shot(page, `incident-wareki-en-${mode}`);
    await t.go(page, "/notifications", `${mode} notifications en`, js);
    t.check((await main(page)).includes(`Your report ${num} has been closed`), `${mode}: notifications not in English`);
    await t.shot(page, `notifications-en-${mode}`);
    // The phone width: the new pages fit.
    await page.setViewportSize({ width: 390, height: 844 });
    for (const [url, name] of [["/incidents", "incidents"], [`/incidents/${id}`, "incident"], ["/notifications", "notifications"], ["/account", "account"]]) {
      await t.go(page, url, `${mode} 390px ${name}`, js);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      t.check(overflow <= 0, `${mode}: ${name} is ${overflow}px wider than a 390px phone`);
    }
    await page.setViewportSize({ width: 1366, height: 768 });
  }
  await t.logout(page, js, `${mode} taro end`);
});
