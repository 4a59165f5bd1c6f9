#!/usr/bin/env python3
"""Builds the mail corpus of tests/mail/corpus/ (the sanitizer's test input).

Every message is written byte for byte here, so the corpus is reproducible:
Japanese in ISO-2022-JP (with the CP932 extensions Windows mailers put in
it: ①, ㈱, half-width katakana), Shift_JIS, EUC-JP and UTF-8; multipart
alternatives, nesting, HTML-only mail, attachments with Japanese RFC 2231
and RFC 2047 names, and hostile cases. Run it from anywhere:
    python3 tests/mail/make-corpus.py
The golden outputs in tests/mail/golden/ are made by the sanitizer itself
(tests/mail/update-golden.sh) and checked by eye before they are committed.
"""
import base64
import io
import os
import quopri
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "corpus")

EXT = "①②③ ㈱ ｶﾀｶﾅ ﾃｽﾄ"  # NEC row 13, and JIS X 0201 katakana


def sjis_to_iso2022jp(b):
    """CP932 bytes to ISO-2022-JP the way Windows (CP50221) writes it.

    Double-byte characters map arithmetically to JIS rows, so NEC row 13 (①)
    lands in row 13 under ESC $ B; half-width katakana use ESC ( I.
    """
    out, mode, i = bytearray(), "ascii", 0
    while i < len(b):
        c = b[i]
        if 0xA1 <= c <= 0xDF:
            if mode != "kana":
                out += b"\x1b(I"
                mode = "kana"
            out.append(c - 0x80)
            i += 1
        elif (0x81 <= c <= 0x9F) or (0xE0 <= c <= 0xEF):
            c2 = b[i + 1]
            if mode != "kanji":
                out += b"\x1b$B"
                mode = "kanji"
            j1 = (c - (0x70 if c <= 0x9F else 0xB0)) * 2
            if c2 < 0x9F:
                j1 -= 1
                j2 = c2 - (0x1F if c2 < 0x7F else 0x20)
            else:
                j2 = c2 - 0x7E
            out += bytes([j1, j2])
            i += 2
        else:
            if mode != "ascii":
                out += b"\x1b(B"
                mode = "ascii"
            out.append(c)
            i += 1
    if mode != "ascii":
        out += b"\x1b(B"
    return bytes(out)


def jis(s):
    return sjis_to_iso2022jp(s.encode("cp932"))


def ew(charset, data, enc="B"):
    if enc == "B":
        return "=?%s?B?%s?=" % (charset, base64.b64encode(data).decode())
    q = "".join(chr(c) if (0x30 <= c <= 0x39 or 0x41 <= c <= 0x5A or 0x61 <= c <= 0x7A)
                else "=%02X" % c for c in data)
    return "=?%s?Q?%s?=" % (charset, q)


def b64lines(data):
    s = base64.b64encode(data).decode()
    return "\n".join(s[i:i + 76] for i in range(0, len(s), 76)).encode() + b"\n"


def head(subject, frm="=?UTF-8?B?5bGx55Sw5aSq6YOO?= <yamada@example.co.jp>",
         to="soumu@city.example.lg.jp", msgid=None, extra=""):
    return ("From: %s\nTo: %s\nSubject: %s\nDate: Mon, 16 Nov 2026 09:30:00 +0900\n"
            "Message-ID: %s\nMIME-Version: 1.0\n%s" % (frm, to, subject, msgid, extra)).encode()


def write(name, data):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data.replace(b"\n", b"\r\n") if name.endswith("-crlf.eml") else data)


def msgid(n):
    return "<corpus-%02d@example.co.jp>" % n


def main():
    os.makedirs(OUT, exist_ok=True)

    # 01: ISO-2022-JP with CP932 extensions, the subject split mid-character
    # across two encoded words (they must be joined before decoding).
    subj = jis("【ご案内】説明会①のお知らせ㈱")
    cut = len(subj) // 2 + 1
    body = "総務課 御中\n\nいつもお世話になっております。\n説明会①は㈱サンプルの会議室で行います。\n" \
           "半角カナ: ｻﾝﾌﾟﾙ ﾃｽﾄ\n表示と予定（ソフト）を確認してください。\n"
    write("01-iso2022jp-cp932.eml",
          head(ew("ISO-2022-JP", subj[:cut]) + "\n " + ew("ISO-2022-JP", subj[cut:]),
               frm=ew("ISO-2022-JP", jis("㈱サンプル 営業部")) + " <eigyo@sample.example.jp>",
               msgid=msgid(1),
               extra="Content-Type: text/plain; charset=ISO-2022-JP\n"
                     "Content-Transfer-Encoding: 7bit\n\n") + jis(body))

    # 02: Shift_JIS, 8bit, including 0x5C trail bytes (表, ソ) and the extensions.
    body = "Shift_JIS の本文です。\n表計算ソフトの資料①②をお送りします。\n" + EXT + "\n"
    write("02-shift_jis.eml",
          head(ew("Shift_JIS", "表示テスト①".encode("cp932")), msgid=msgid(2),
               extra="Content-Type: text/plain; charset=Shift_JIS\n"
                     "Content-Transfer-Encoding: 8bit\n\n") + body.encode("cp932"))

    # 03: EUC-JP in base64, with NEC row 13 (① = 0xADA1 in EUC-JP-MS).
    body = "EUC-JP の本文です。\n会議は三階の第二会議室です。\n".encode("euc_jp") + \
           b"\xad\xa1\xad\xa2 " + "ｶﾅ\n".encode("euc_jp")
    write("03-euc-jp.eml",
          head(ew("EUC-JP", "EUC-JP の件名".encode("euc_jp")), msgid=msgid(3),
               extra="Content-Type: text/plain; charset=EUC-JP\n"
                     "Content-Transfer-Encoding: base64\n\n") + b64lines(body))

    # 04: UTF-8 quoted-printable, with a long line and CRLF line ends.
    body = ("UTF-8 の本文です。絵文字もあります 🎉。\n" + "長い行" * 40 + "\n").encode()
    write("04-utf8-qp-crlf.eml",
          head(ew("UTF-8", "UTF-8 の件名".encode(), "Q"), msgid=msgid(4),
               extra="Content-Type: text/plain; charset=UTF-8\n"
                     "Content-Transfer-Encoding: quoted-printable\n\n") +
          quopri.encodestring(body))

    # 05: multipart/alternative: the text/plain part is kept, the HTML one is not listed.
    write("05-alternative.eml", head("Alternative", msgid=msgid(5), extra=
          'Content-Type: multipart/alternative; boundary="alt"\n\n') + (
          "--alt\nContent-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: 8bit\n\n"
          "プレーンテキスト版です。\n"
          "--alt\nContent-Type: text/html; charset=UTF-8\n\n"
          "<html><body><p>HTML 版です。<script>alert(1)</script></p></body></html>\n"
          "--alt--\n").encode())

    # 06: HTML only, in Shift_JIS: scripts, styles, images, hidden text, links, lists, tables.
    html = """<!DOCTYPE html><html><head><title>件名タイトル</title>
<style>p { color: red }</style><script>document.location='http://evil.example/'</script>
</head><body onload="steal()">
<h1>お知らせ①</h1>
<p>本文の段落です。&lt;タグ&gt;と&amp;記号。<img src="http://track.example/p.gif" alt="追跡">
<a href="https://www.city.example.lg.jp/info">市のお知らせ</a>と
<a href="javascript:alert(1)">危険なリンク</a>。</p>
<div style="display: none">隠された文字</div>
<ul><li>項目一</li><li>項目二</li></ul>
<table><tr><th>名前</th><th>数</th></tr><tr><td>りんご</td><td>3</td></tr></table>
<pre>  整形済み
    テキスト</pre>
<p>改行<br>のテスト<iframe src="http://evil.example/"></iframe></p>
<a href="mailto:info@city.example.lg.jp">info@city.example.lg.jp</a>
</body></html>
"""
    write("06-html-only-sjis.eml", head("HTML only", msgid=msgid(6), extra=
          "Content-Type: text/html; charset=Shift_JIS\nContent-Transfer-Encoding: base64\n\n") +
          b64lines(html.encode("cp932")))

    # 07: mixed(alternative(plain, related(html, image)), attachments with Japanese names).
    png = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
                           "+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    docx_name = ew("ISO-2022-JP", jis("議事録①.docx"))
    write("07-nested-attachments.eml", head("=?UTF-8?B?5re75LuY44OV44Kh44Kk44Or?=",
          msgid=msgid(7), extra='Content-Type: multipart/mixed; boundary="mix"\n\n') +
          b"--mix\nContent-Type: multipart/alternative; boundary=\"alt\"\n\n"
          b"--alt\nContent-Type: text/plain; charset=ISO-2022-JP\n\n" +
          jis("添付ファイルを三つお送りします。\n") +
          b"--alt\nContent-Type: multipart/related; boundary=\"rel\"\n\n"
          b"--rel\nContent-Type: text/html; charset=UTF-8\n\n"
          b"<p>HTML \xe7\x89\x88 <img src=\"cid:logo\"></p>\n"
          b"--rel\nContent-Type: image/png\nContent-ID: <logo>\nContent-Transfer-Encoding: base64\n\n" +
          b64lines(png) + b"--rel--\n--alt--\n"
          b"--mix\nContent-Type: application/pdf\n"
          b"Content-Disposition: attachment;\n filename*=UTF-8''%E8%A6%8B%E7%A9%8D%E6%9B%B8%20%E2%91%A0.pdf\n"
          b"Content-Transfer-Encoding: base64\n\n" + b64lines(pdf) +
          b"--mix\nContent-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document;\n"
          b" name=\"" + docx_name.encode() + b"\"\n"
          b"Content-Disposition: attachment; filename=\"" + docx_name.encode() + b"\"\n"
          b"Content-Transfer-Encoding: base64\n\n" + b64lines(b"PK\x03\x04 not really a docx") +
          b"--mix\nContent-Type: text/plain; charset=UTF-8\n"
          b"Content-Disposition: attachment; filename=\"memo.txt\"\n\n"
          b"a text attachment is still an attachment\n--mix--\n")

    # 08: RFC 2231 continuations with an ISO-2022-JP charset, and a Shift_JIS one.
    name = jis("会議資料_第三回.xlsx")
    enc = "".join("%%%02X" % c for c in name)
    half = len(enc) // 2
    while enc[half - 1] == "%" or enc[half - 2] == "%":
        half += 1
    sname = "".join("%%%02X" % c for c in "予算表.csv".encode("cp932"))
    write("08-rfc2231-names.eml", head("RFC 2231", msgid=msgid(8), extra=
          'Content-Type: multipart/mixed; boundary="b"\n\n') + (
          "--b\nContent-Type: text/plain; charset=UTF-8\n\n本文\n"
          "--b\nContent-Type: application/octet-stream\n"
          "Content-Disposition: attachment;\n filename*0*=ISO-2022-JP''%s;\n filename*1*=%s\n"
          "Content-Transfer-Encoding: base64\n\n%s"
          "--b\nContent-Type: text/csv\nContent-Disposition: attachment; filename*=Shift_JIS''%s\n\n"
          "a,b\n1,2\n--b--\n" % (enc[:half], enc[half:], b64lines(b"\x00\x01binary").decode(),
                                 sname)).encode())

    # 09: a forwarded message/rfc822 is listed, not shown.
    inner = head("=?UTF-8?B?6Lui6YCB5YWD?=", msgid="<inner@example.jp>",
                 extra="Content-Type: text/plain; charset=UTF-8\n\n") + "転送元の本文\n".encode()
    write("09-forwarded.eml", head("Fwd", msgid=msgid(9), extra=
          'Content-Type: multipart/mixed; boundary="f"\n\n') +
          b"--f\nContent-Type: text/plain; charset=UTF-8\n\n" + "転送します。\n".encode() +
          b"--f\nContent-Type: message/rfc822\n\n" + inner + b"--f--\n")

    # 10: encoded-word tricks in display names: an address in the name, CRLF injection.
    fake = ew("UTF-8", "総務課 <soumu@city.example.lg.jp>".encode())
    inj = ew("UTF-8", b"x\r\nBcc: victim@example.jp", "Q")
    rlo = ew("UTF-8", "経理\u202e部".encode())
    write("10-display-name-tricks.eml", head(
        "=?UTF-8?Q?=E7=B7=8A=E6=80=A5=0D=0AX-Injected:_yes?=",
        frm=fake + " <attacker@evil.example>", to=inj + " <a@city.example.lg.jp>, " + rlo +
        " <keiri@city.example.lg.jp>", msgid=msgid(10),
        extra="Content-Type: text/plain; charset=UTF-8\n\n") + "本文\n".encode())

    # 11: an unclosed boundary and base64 cut in the middle.
    write("11-unclosed-boundary.eml", head("Unclosed", msgid=msgid(11), extra=
          'Content-Type: multipart/mixed; boundary="never"\n\n') +
          b"--never\nContent-Type: text/plain; charset=UTF-8\n\nfirst part\n"
          b"--never\nContent-Type: application/octet-stream; name=\"cut.bin\"\n"
          b"Content-Transfer-Encoding: base64\n\nAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8g")

    # 12: broken base64 and quoted-printable.
    write("12-broken-encodings.eml", head("Broken", msgid=msgid(12), extra=
          'Content-Type: multipart/mixed; boundary="x"\n\n') +
          b"--x\nContent-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: quoted-printable\n\n"
          b"bad =ZZ escape, =E6=97=A5 ok, =E6=9C half a character, soft break=\n"
          b"continues=\n"
          b"--x\nContent-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: base64\n"
          b"Content-Disposition: inline\n\n5pel5pys!!!6Kqe**\n====\nQUJD\n"
          b"--x\nContent-Type: application/pdf; name=\"broken.pdf\"\nContent-Transfer-Encoding: base64\n\n"
          b"%%% not base64 at all %%%\n--x--\n")

    # 13: NUL bytes and other controls in headers and body.
    write("13-nul-bytes.eml", b"From: a\x00b <ab@example.jp>\nTo: t@example.jp\n"
          b"Subject: nul\x00here\x07bell\x1b[31mred\nMessage-ID: " + msgid(13).encode() +
          b"\nContent-Type: text/plain; charset=UTF-8\n\nbody\x00with\x00nuls\x1b[2J and escapes\n")

    # 14: malformed headers: a line without a colon, an unknown charset, a bare type.
    write("14-malformed-headers.eml", b"From: <no-name@example.jp>\nThis line has no colon\n"
          b"To: undisclosed-recipients:;\nSubject: " + b"long " * 300 + b"\n"
          b"Message-ID: " + msgid(14).encode() + b"\nContent-Type: text/; charset=\"x-unknown-9\"\n"
          b"Content-Transfer-Encoding: x-weird\n\nbody in an unknown charset \xe6\x97\xa5\n")

    # 15: nesting deeper than the limit (32).
    depth = 40
    parts = b"".join(b"Content-Type: multipart/mixed; boundary=\"d%d\"\n\n--d%d\n" % (i, i)
                     for i in range(depth))
    parts += b"Content-Type: text/plain\n\ndeep text\n"
    parts += b"".join(b"--d%d--\n" % i for i in reversed(range(depth)))
    write("15-deep-nesting.eml", head("Deep", msgid=msgid(15)) + parts)

    # 16: more parts than the limit (1000).
    many = b"".join(b"--m\nContent-Type: application/octet-stream; name=\"f%04d.bin\"\n\n%d\n" % (i, i)
                    for i in range(1100))
    write("16-many-parts.eml", head("Many", msgid=msgid(16), extra=
          'Content-Type: multipart/mixed; boundary="m"\n\n') +
          b"--m\nContent-Type: text/plain\n\nmany parts follow\n" + many + b"--m--\n")

    # 17: HTML with more tags than the limit (gumbo's tree building is quadratic in depth).
    write("17-html-bomb.eml", head("Bomb", msgid=msgid(17), extra=
          "Content-Type: text/html; charset=UTF-8\n\n") + b"<div>" * 25000 + b"x\n")

    # 18: a right-to-left override hiding an .exe behind ".pdf".
    write("18-rlo-filename.eml", head("RLO", msgid=msgid(18), extra=
          'Content-Type: multipart/mixed; boundary="r"\n\n') + (
          "--r\nContent-Type: text/plain; charset=UTF-8\n\n請求書を添付します。\n"
          "--r\nContent-Type: application/octet-stream\n"
          "Content-Disposition: attachment; filename*=UTF-8''%E8%AB%8B%E6%B1%82%E6%9B%B8"
          "%E2%80%AEfdp.exe\nContent-Transfer-Encoding: base64\n\nTVqQAAMAAAAEAAAA\n--r--\n").encode())

    # 19: no MIME headers at all, raw Shift_JIS body and subject (the bytes are sniffed).
    write("19-no-mime-raw-sjis.eml", b"From: old@example.jp\nTo: t@example.jp\nSubject: " +
          "生の件名".encode("cp932") + b"\nMessage-ID: " + msgid(19).encode() + b"\n\n" +
          "MIME ヘッダーのない古いメール。①\n".encode("cp932"))

    # 20: archives are listed, never opened.
    zb = io.BytesIO()
    with zipfile.ZipFile(zb, "w") as z:
        z.writestr("inner/evil.exe", b"MZ not really")
        z.writestr("readme.txt", b"hello")
    write("20-archives.eml", head("Archives", msgid=msgid(20), extra=
          'Content-Type: multipart/mixed; boundary="z"\n\n') +
          b"--z\nContent-Type: text/plain; charset=UTF-8\n\n" + "パスワード付き zip を送ります。\n".encode() +
          b"--z\nContent-Type: application/zip; name=\"data.zip\"\nContent-Transfer-Encoding: base64\n\n" +
          b64lines(zb.getvalue()) +
          b"--z\nContent-Type: application/octet-stream; name=\"old.lzh\"\nContent-Transfer-Encoding: base64\n\n" +
          b64lines(b"-lh5- not a real archive") + b"--z--\n")

    # 21: multipart/signed: the text is kept, the signature listed.
    write("21-signed.eml", head("Signed", msgid=msgid(21), extra=
          'Content-Type: multipart/signed; protocol="application/pgp-signature"; micalg=pgp-sha256;'
          ' boundary="s"\n\n') +
          b"--s\nContent-Type: text/plain; charset=UTF-8\n\nsigned text\n"
          b"--s\nContent-Type: application/pgp-signature; name=\"signature.asc\"\n\n"
          b"-----BEGIN PGP SIGNATURE-----\nAAAA\n-----END PGP SIGNATURE-----\n--s--\n")

    # 22: ISO-2022-JP labelled us-ascii, and a header in raw ISO-2022-JP.
    write("22-mislabelled-ascii.eml", b"From: t@example.jp\nTo: u@example.jp\nSubject: " +
          jis("生の JIS 件名") + b"\nMessage-ID: " + msgid(22).encode() +
          b"\nMIME-Version: 1.0\nContent-Type: text/plain; charset=us-ascii\n\n" +
          jis("ラベルが違う本文①\n"))

    # 23: the whole message is one attachment (no text at all).
    write("23-only-attachment.eml", head("Only", msgid=msgid(23), extra=
          "Content-Type: application/pdf; name=\"only.pdf\"\nContent-Transfer-Encoding: base64\n\n") +
          b64lines(pdf))

    # 24: a mixed message whose text parts come around an attachment (Apple Mail style).
    write("24-text-around-attachment.eml", head("Around", msgid=msgid(24), extra=
          'Content-Type: multipart/mixed; boundary="a"\n\n') +
          b"--a\nContent-Type: text/plain; charset=UTF-8\n\nbefore the picture\n"
          b"--a\nContent-Type: image/png; name=\"p.png\"\nContent-Disposition: inline; filename=\"p.png\"\n"
          b"Content-Transfer-Encoding: base64\n\n" + b64lines(png) +
          b"--a\nContent-Type: text/plain; charset=UTF-8\n\nafter the picture\n--a--\n")
    # Boundary layouts a MIME parser must decide (tests/unit/mail/test_mime.c holds the scanner to
    # GMime's decisions): a parent's boundary in a child's preface, a boundary where a part's
    # headers were due, CRLF boundaries after LF content, a uuencoded file, a digest whose parts
    # default to forwarded messages, and no final boundary at the very end.
    write("25-boundary-layouts.eml", head("Layouts", msgid=msgid(25), extra=
          'Content-Type: multipart/mixed; boundary="o"\n\n') +
          b"preamble --o is not a boundary\n"
          b"--o\nContent-Type: multipart/alternative; boundary=\"i\"\n\nan inner preface\n"
          b"--o\nContent-Type: text/plain; charset=UTF-8\n\nbody text\n"
          b"--o\nContent-Type: application/pdf; name=\"cut.pdf\"\n"
          b"--o\nContent-Type: application/octet-stream; name=\"uu.bin\"\n"
          b"Content-Transfer-Encoding: x-uuencode\n\nbegin 644 uu.bin\n#86)C\n`\nend\n"
          b"--o\r\nContent-Type: multipart/digest; boundary=\"d\"\r\n\r\n"
          b"--d\r\n\r\nSubject: =?UTF-8?B?5YaF5b+c?=\r\n\r\ndigest entry\r\n"
          b"--d\r\nContent-Type: text/plain\r\n\r\nplain in digest\r\n--d--\r\n"
          b"--o\nContent-Type: image/gif; name=\"last.gif\"\nContent-Transfer-Encoding: base64\n\n"
          b"R0lGODlhAQABAAAAACw=\n--o")


if __name__ == "__main__":
    main()
