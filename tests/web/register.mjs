// Browser test of the register's import and export (issue 14): /assets/import with a CSV
// file (a dry run, an import, a file with bad rows), the export buttons of /assets.
//
// usage: node register.mjs SEKISHO_BINARY OUTDIR
// Builds a small city with the CLI (the Hachioji profile; a security_manager of 情報政策課,
// who holds asset.write there; a staff member), starts the real server and walks the pages
// with JavaScript on and then off, in Japanese and English. The files and what the pages
// must say about them are written here, from the issue and the register's headings.
import { readFileSync } from "node:fs";
import { WebTest } from "./lib.mjs";

const t = new WebTest(process.argv[2], process.argv[3], "register");
const DB = t.db;

t.sk(["init", "--db", DB, "--profile", "hachioji", "--admin", "chief"]);
t.sk(["org", "add", "--db", DB, "--code", "soumu", "--name", "総務部", "--kind", "department", "--parent", "hachioji"]);
t.sk(["org", "add", "--db", DB, "--code", "jouhou", "--name", "情報政策課", "--kind", "section", "--parent", "soumu"]);
const PW = { kanri: "Kanri-pass-2026-x9!Q", taro: "Taro-pass-2026-x9!Q" };
t.sk(["user", "add", "--db", DB, "--login", "kanri", "--name", "管理者", "--unit", "jouhou", "--role", "security_manager", "--password-stdin"], PW.kanri + "\n");
t.sk(["user", "add", "--db", DB, "--login", "taro", "--name", "山田太郎", "--unit", "jouhou", "--role", "staff", "--password-stdin"], PW.taro + "\n");
await t.serve(DB);

// The register's Japanese headings, as a city keeps them (the import's columns).
const HEAD = "所管課,情報資産の種類,名称・型番,台数・個数,保管場所,バックアップの有無,廃棄方法,機密性,完全性,可用性,管理責任者,ネットワーク区分,個人情報,特定個人情報,復旧目標時間,取得日,備考";
const row = (name, qty, conf, acquired) =>
  `jouhou,ハードウェア,${name},${qty},執務室,あり,業者により廃棄,${conf},1,1,課長,LGWAN接続系,なし,なし,,${acquired},`;
const csv = (rows) => Buffer.from([HEAD, ...rows].join("\r\n") + "\r\n", "utf8");

const path = (page) => new URL(page.url()).pathname;
const mainText = (page) => page.textContent("main");

// Chooses the file and submits the import form.
async function upload(page, name, buffer, dry, label, js) {
  await page.setInputFiles("#f-file", { name, mimeType: "text/csv", buffer });
  if (dry) await page.check("#f-dry_run");
  else await page.uncheck("#f-dry_run");
  return t.submit(page, "form[action='/assets/import'] button", label, js);
}

// The assets whose name holds text, as the list shows them (the register's own page).
async function listed(page, text, label, js) {
  await t.go(page, `/assets?q=${encodeURIComponent(text)}&status=all`, label, js);
  return (await page.$$("table.table tbody tr")).length;
}

await t.run(async (page, js, mode) => {
  const tag = `${mode}-${Date.now() % 100000}`; // each run's own names: the city is kept between runs

  // --- staff: no import page, no export of what they may not write ---
  await t.login(page, "taro", PW.taro, js, `${mode} taro`);
  const st = await t.go(page, "/assets/import", `${mode} taro import`, js);
  t.check(st.status() === 404, `${mode}: staff reach /assets/import (${st.status()})`);
  await t.logout(page, js, `${mode} taro`);

  // --- the asset manager ---
  await t.login(page, "kanri", PW.kanri, js, `${mode} kanri`);
  await t.go(page, "/assets?lang=ja", `${mode} assets ja`, js);
  t.check(await page.$("#import-link") !== null && await page.$("#export-csv") !== null && await page.$("#export-xlsx") !== null,
    `${mode}: /assets has no import link or export buttons`);
  await t.submit(page, "#import-link", `${mode} import form ja`, js);
  t.check(path(page) === "/assets/import", `${mode}: the import link leads to ${page.url()}`);
  t.check((await page.getAttribute("form[action='/assets/import']", "enctype")) === "multipart/form-data",
    `${mode}: the import form is not multipart`);
  t.check((await mainText(page)).includes("管理番号"), `${mode}: the import page does not explain the columns`);
  await t.shot(page, `import-ja-${mode}`);

  // A dry run says what would be added and writes nothing.
  const good = csv([row(`端末A-${tag}`, 1, 2, "2024/2/29"), row(`端末B-${tag}`, 2, 1, "R7.4.1"), row(`台帳システム-${tag}`, 1, 3, "令和6年4月1日")]);
  let r = await upload(page, "台帳.csv", good, true, `${mode} dry run`, js);
  t.check(r.status() === 200, `${mode}: the dry run answers ${r.status()}`);
  t.check((await page.textContent("#import-result")).includes("確認しました"), `${mode}: the dry run is not said to be one`);
  t.check((await page.textContent("#import-added")).trim() === "3" && (await page.textContent("#import-rows")).trim() === "3",
    `${mode}: the dry run counts ${await page.textContent("#import-result-card")}`);
  t.check((await page.textContent("#import-result-card")).includes("台帳.csv"), `${mode}: the file's name is not shown`);
  await t.shot(page, `import-dry-run-ja-${mode}`);
  t.check(await listed(page, tag, `${mode} list after dry run`, js) === 0, `${mode}: the dry run wrote assets`);

  // The import itself, in English this time.
  await t.go(page, "/assets/import?lang=en", `${mode} import form en`, js);
  t.check((await mainText(page)).includes("Import the register") || (await page.textContent("h1")).includes("Import the register"),
    `${mode}: the import page is not in English`);
  r = await upload(page, "register.csv", good, false, `${mode} import`, js);
  t.check(r.status() === 200, `${mode}: the import answers ${r.status()}`);
  t.check((await page.textContent("#import-result")).includes("imported"), `${mode}: the import is not said done: ${await page.textContent("#import-result")}`);
  t.check((await page.textContent("#import-added")).trim() === "3" && (await page.textContent("#import-changed")).trim() === "0",
    `${mode}: the import counts ${await page.textContent("#import-result-card")}`);
  await t.shot(page, `import-done-en-${mode}`);
  t.check(await listed(page, tag, `${mode} list after import`, js) === 3, `${mode}: the import did not add three assets`);

  // Two bad rows: both errors, with their lines and columns, in the summary; nothing written.
  await t.go(page, "/assets/import?lang=ja", `${mode} import form again`, js);
  const bad = csv([row(`端末C-${tag}`, 1, 1, "2024/2/29"), row(`端末D-${tag}`, 1, 9, "2024/2/29"), row(`端末E-${tag}`, "たくさん", 1, "2024/2/29")]);
  r = await upload(page, "bad.csv", bad, false, `${mode} bad rows`, js);
  t.check(r.status() === 400, `${mode}: a file with bad rows answers ${r.status()}`);
  const summary = await page.textContent(".error-summary").catch(() => "");
  t.check(summary.includes("2行に誤りがあります（全3行）"), `${mode}: the summary does not count the bad rows: ${summary}`);
  t.check(summary.includes("3 行目 8 列目（機密性）: 「9」は機密性の区分にありません"), `${mode}: the 機密性 error of line 3 is not listed: ${summary}`);
  t.check(summary.includes("4 行目 4 列目（台数・個数）: 「たくさん」は"), `${mode}: the 台数 error of line 4 is not listed: ${summary}`);
  t.check(await page.$(".error-summary a[href='#f-file']") !== null && await page.$("#e-file") !== null,
    `${mode}: the error is not linked to and beside the file field`);
  await t.shot(page, `import-errors-ja-${mode}`);
  t.check(await listed(page, `端末C-${tag}`, `${mode} list after bad file`, js) === 0, `${mode}: a bad file wrote its good row`);

  // No file chosen: said beside the field.
  await t.go(page, "/assets/import?lang=en", `${mode} import form en again`, js);
  r = await t.submit(page, "form[action='/assets/import'] button", `${mode} no file`, js);
  t.check(r.status() === 400 && (await page.textContent("#e-file").catch(() => "")).includes("Choose the file"),
    `${mode}: an empty upload answers ${r.status()}`);

  // A forged upload (no CSRF token) is refused, and writes nothing.
  const forged = await page.request.post(t.base + "/assets/import", {
    multipart: { file: { name: "forged.csv", mimeType: "text/csv", buffer: csv([row(`偽造-${tag}`, 1, 1, "2024/2/29")]) } },
    maxRedirects: 0,
  });
  t.check(forged.status() === 403, `${mode}: an upload without the CSRF token answers ${forged.status()}`);
  const csrf = await page.getAttribute("form.logout input[name=csrf]", "value");
  const wrong = await page.request.post(t.base + "/assets/import", {
    multipart: { csrf: "x".repeat(csrf.length), file: { name: "forged.csv", mimeType: "text/csv", buffer: csv([row(`偽造-${tag}`, 1, 1, "2024/2/29")]) } },
    maxRedirects: 0,
  });
  t.check(wrong.status() === 403, `${mode}: an upload with a wrong CSRF token answers ${wrong.status()}`);
  // Over the upload's 8 MiB: refused (413), by the page's parser just over it, by the server
  // itself far over it.
  for (const size of [(8 << 20) + 10000, 12 << 20]) {
    const big = await page.request.post(t.base + "/assets/import", {
      multipart: { csrf, file: { name: "big.csv", mimeType: "text/csv", buffer: Buffer.alloc(size, 0x41) } },
      maxRedirects: 0,
    });
    t.check(big.status() === 413, `${mode}: an upload of ${size} bytes answers ${big.status()}`);
  }
  // A body that is not multipart at all.
  const plain = await page.request.post(t.base + "/assets/import", { form: { csrf }, maxRedirects: 0 });
  t.check(plain.status() === 415, `${mode}: an urlencoded import answers ${plain.status()}`);
  t.check(await listed(page, `偽造-${tag}`, `${mode} list after forged`, js) === 0, `${mode}: a forged upload wrote an asset`);

  // Export: CSV (UTF-8 with BOM, Japanese headings) of the filtered list, downloaded.
  await t.go(page, `/assets?q=${encodeURIComponent(tag)}`, `${mode} assets filtered`, js);
  const [dl] = await Promise.all([page.waitForEvent("download"), page.click("#export-csv")]);
  t.check(/^(情報資産台帳|assets)-\d{4}-\d{2}-\d{2}\.csv$/.test(dl.suggestedFilename()), `${mode}: the CSV export is named ${dl.suggestedFilename()}`);
  const file = await dl.path();
  const text = file ? readFileSync(file) : Buffer.alloc(0);
  t.check(text.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])) && text.toString("utf8").includes("管理番号"),
    `${mode}: the CSV export is not UTF-8 with BOM and Japanese headings`);
  const lines = text.toString("utf8").trim().split(/\r?\n/);
  t.check(lines.length === 4 && lines.some((l) => l.includes(`台帳システム-${tag}`)), `${mode}: the export holds ${lines.length - 1} rows, not the filtered 3`);
  // CP932 and .xlsx, as the buttons send them.
  const sjis = await page.request.post(t.base + "/assets/export", { form: { csrf, q: tag, encoding: "cp932", format: "csv" } });
  t.check(sjis.status() === 200 && sjis.headers()["content-type"].includes("Shift_JIS") &&
    (sjis.headers()["content-disposition"] || "").startsWith("attachment"), `${mode}: the CP932 export answers ${sjis.status()} ${sjis.headers()["content-type"]}`);
  t.check(new TextDecoder("shift_jis").decode(await sjis.body()).includes(`端末A-${tag}`), `${mode}: the CP932 export is not CP932`);
  const [x] = await Promise.all([page.waitForEvent("download"), page.click("#export-xlsx")]);
  const xf = await x.path();
  t.check(x.suggestedFilename().endsWith(".xlsx") && xf && readFileSync(xf).subarray(0, 2).toString() === "PK",
    `${mode}: the .xlsx export is ${x.suggestedFilename()}`);
  // The workbook goes back through the upload (binary bytes through the multipart parser): a
  // dry run reads its three rows as .xlsx.
  if (xf) {
    await t.go(page, "/assets/import?lang=en", `${mode} import form for xlsx`, js);
    await page.setInputFiles("#f-file", { name: "台帳.xlsx", mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buffer: readFileSync(xf) });
    await page.check("#f-dry_run");
    const rx = await t.submit(page, "form[action='/assets/import'] button", `${mode} xlsx dry run`, js);
    const card = await page.textContent("#import-result-card").catch(() => (page.textContent("main")));
    t.check(rx.status() === 200 && card.includes("xlsx") && (await page.textContent("#import-rows").catch(() => "")).trim() === "3",
      `${mode}: the exported workbook does not import back: ${rx.status()} ${card.replace(/\s+/g, " ").slice(0, 300)}`);
  }
  const noTok = await page.request.post(t.base + "/assets/export", { form: { format: "csv" }, maxRedirects: 0 });
  t.check(noTok.status() === 403, `${mode}: an export without the CSRF token answers ${noTok.status()}`);
  await t.logout(page, js, `${mode} kanri`);
});
