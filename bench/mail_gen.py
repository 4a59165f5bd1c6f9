#!/usr/bin/env python3
"""Generates a realistic mail corpus for bench/run-mail.sh.

The mix follows what a municipality's internet mail gateway sees: plain
Japanese mail in ISO-2022-JP (the traditional encoding) and UTF-8, Shift_JIS
from old systems, multipart/alternative from modern clients, HTML-only
newsletters, and mail with attachments (PDF, Excel, images, zip) carrying
Japanese RFC 2231 and RFC 2047 file names. Deterministic for a given seed.
Usage: mail_gen.py DIR [COUNT] [SEED]
"""
import base64
import importlib.util
import os
import random
import sys

# The ISO-2022-JP encoder the test corpus uses (CP932 extensions as Windows writes them).
_spec = importlib.util.spec_from_file_location(
    "make_corpus", os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "tests", "mail", "make-corpus.py"))
_corpus = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_corpus)
jis = _corpus.jis

WORDS_JA = ("お世話になっております 会議 資料 添付 確認 お願い 予定 変更 連絡 担当 課 市役所 "
            "令和 年度 予算 説明会 申請 書類 提出 期限 回答 日程 調整 議事録 共有 よろしく "
            "ご検討 ください 本日 明日 来週 午前 午後 打ち合わせ 場所 会議室 ①②③ ㈱ ｶﾀｶﾅ").split()
WORDS_EN = ("the meeting agenda attached please review schedule update project report budget "
            "deadline thanks regards team office city document request approval next week "
            "monday friday").split()


def para(rng, words, n, sep):
    return sep.join(rng.choice(words) for _ in range(n))


def text_body(rng, ja=True, lines=None):
    lines = lines or rng.randint(5, 60)
    out = []
    for _ in range(lines):
        if ja:
            out.append(para(rng, WORDS_JA, rng.randint(3, 12), "") + "。")
        else:
            out.append(para(rng, WORDS_EN, rng.randint(5, 14), " ").capitalize() + ".")
    return "\n".join(out) + "\n"


def b64(data):
    s = base64.b64encode(data).decode()
    return ("\n".join(s[i:i + 76] for i in range(0, len(s), 76)) + "\n").encode()


def ew(charset, data):
    return "=?%s?B?%s?=" % (charset, base64.b64encode(data).decode())


def headers(rng, i, subject_ja, extra):
    name = rng.choice(["山田 太郎", "佐藤 花子", "鈴木 一郎", "田中 美咲", "Taro Yamada"])
    frm = ew("ISO-2022-JP", jis(name)) if rng.random() < 0.6 else ew("UTF-8", name.encode())
    subj = ew("ISO-2022-JP", jis(subject_ja)) if rng.random() < 0.5 else ew("UTF-8", subject_ja.encode())
    return ("Return-Path: <sender%d@example.co.jp>\n"
            "Received: from mx%d.example.co.jp (mx.example.co.jp [192.0.2.%d])\n"
            "\tby gw.city.example.lg.jp with ESMTPS id %08x; Mon, 16 Nov 2026 09:%02d:00 +0900\n"
            "From: %s <sender%d@example.co.jp>\nTo: soumu@city.example.lg.jp\n"
            "Cc: kikaku@city.example.lg.jp\nSubject: %s\n"
            "Date: Mon, 16 Nov 2026 09:%02d:00 +0900\nMessage-ID: <%d.%08x@example.co.jp>\n"
            "MIME-Version: 1.0\n%s" % (i, i % 9, i % 250, rng.getrandbits(32), i % 60, frm, i,
                                       subj, i % 60, i, rng.getrandbits(32), extra)).encode()


def html_of(rng, text, big=False):
    rows = "".join("<tr><td>%s</td><td>%d</td></tr>" % (rng.choice(WORDS_JA), rng.randint(1, 999))
                   for _ in range(rng.randint(3, 40 if big else 10)))
    paras = "".join("<p style=\"margin:0\">%s <a href=\"https://www.example.co.jp/n/%d\">詳細</a></p>\n"
                    % (line, rng.randint(1, 10**6)) for line in text.splitlines())
    return ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>news</title>"
            "<style>td{padding:4px} p{font-size:14px}</style>"
            "<script>var t=1;</script></head><body><div class=\"wrap\"><h1>お知らせ</h1>%s"
            "<table>%s</table><img src=\"https://track.example.co.jp/p.gif\" width=1 height=1>"
            "<ul><li>項目</li><li>項目</li></ul></div></body></html>\n" % (paras, rows))


def attachment(rng):
    kind = rng.choice(["pdf", "xlsx", "png", "zip", "docx"])
    size = int(rng.lognormvariate(11, 1.0))  # median ~60 KB
    size = max(2000, min(size, 2_000_000))
    data = rng.randbytes(size)
    name = rng.choice(["資料", "見積書", "議事録①", "申請書", "report"]) + "_%d.%s" % (rng.randint(1, 99), kind)
    types = {"pdf": "application/pdf", "xlsx": "application/vnd.ms-excel", "png": "image/png",
             "zip": "application/zip", "docx": "application/msword"}
    if rng.random() < 0.5:
        enc = "".join("%%%02X" % c for c in name.encode())
        disp = "attachment;\n filename*=UTF-8''%s" % enc
    else:
        disp = "attachment;\n filename=\"%s\"" % ew("ISO-2022-JP", jis(name))
    return ("Content-Type: %s\nContent-Disposition: %s\nContent-Transfer-Encoding: base64\n\n"
            % (types[kind], disp)).encode() + b64(data)


def message(rng, i):
    r = rng.random()
    subj = para(rng, WORDS_JA, rng.randint(2, 5), "")
    if r < 0.35:  # plain ISO-2022-JP
        return headers(rng, i, subj, "Content-Type: text/plain; charset=ISO-2022-JP\n"
                       "Content-Transfer-Encoding: 7bit\n\n") + jis(text_body(rng))
    if r < 0.45:  # plain UTF-8, Japanese or English, base64 or 8bit
        ja = rng.random() < 0.6
        body = text_body(rng, ja).encode()
        if rng.random() < 0.5:
            return headers(rng, i, subj, "Content-Type: text/plain; charset=UTF-8\n"
                           "Content-Transfer-Encoding: base64\n\n") + b64(body)
        return headers(rng, i, subj, "Content-Type: text/plain; charset=UTF-8\n"
                       "Content-Transfer-Encoding: 8bit\n\n") + body
    if r < 0.50:  # Shift_JIS
        return headers(rng, i, subj, "Content-Type: text/plain; charset=Shift_JIS\n"
                       "Content-Transfer-Encoding: 8bit\n\n") + text_body(rng).encode("cp932")
    if r < 0.70:  # multipart/alternative
        t = text_body(rng)
        return headers(rng, i, subj, "Content-Type: multipart/alternative; boundary=\"alt%d\"\n\n" % i) + (
            ("--alt%d\nContent-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: base64\n\n" % i)
            .encode() + b64(t.encode()) +
            ("--alt%d\nContent-Type: text/html; charset=UTF-8\nContent-Transfer-Encoding: base64\n\n" % i)
            .encode() + b64(html_of(rng, t).encode()) + ("--alt%d--\n" % i).encode())
    if r < 0.75:  # HTML-only newsletter
        t = text_body(rng, lines=rng.randint(20, 80))
        return headers(rng, i, subj, "Content-Type: text/html; charset=UTF-8\n"
                       "Content-Transfer-Encoding: quoted-printable\n\n") + \
            __import__("quopri").encodestring(html_of(rng, t, True).encode())
    # multipart/mixed with attachments
    parts = [("Content-Type: text/plain; charset=ISO-2022-JP\n\n").encode() + jis(text_body(rng))]
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        parts.append(attachment(rng))
    b = "mix%d" % i
    out = headers(rng, i, subj, "Content-Type: multipart/mixed; boundary=\"%s\"\n\n" % b)
    for p in parts:
        out += ("--%s\n" % b).encode() + p
    return out + ("--%s--\n" % b).encode()


def main():
    d = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 20261116)
    os.makedirs(d, exist_ok=True)
    total = 0
    for i in range(n):
        m = message(rng, i).replace(b"\n", b"\r\n")
        total += len(m)
        with open(os.path.join(d, "%05d.eml" % i), "wb") as f:
            f.write(m)
    print("generated %d messages, %.1f MB in %s" % (n, total / 1e6, d))


if __name__ == "__main__":
    main()
