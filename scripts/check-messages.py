#!/usr/bin/env python3
"""check-messages: no English sentence for a person outside the message catalog.

Usage: scripts/check-messages.py [DIR_OR_FILE...]   (default: src)

Every sentence sekisho says to a person comes from the catalog (src/core/sk_msg.h and its .def
files, Japanese and English). This check reads the C files under the given directories and
fails, naming file and line, when one of these error sites is given a string literal holding an
English word (two or more ASCII letters in a row, outside printf conversions and the program's
name "sekisho") as its message:

    sk_fail(err, CODE, "...", ...)          the error a domain, store or door call returns
    sk_cli_fail(CODE, "...", ...)           the CLI's error line
    sk_cli_usage_error(USAGE, "...", ...)   the CLI's bad command line
    fprintf(stderr, "...", ...)             anything else written to the error output
    fputs("...", stderr)
    sk_buf_addf(err, "...") / (&err, ...)   an error message written by hand

A site passes when its message is a catalog id (sk_fail_msg, sk_cli_msg(SK_M_...),
sk_msg_format(SK_M_..., lang)) or a literal without words ("%s: %s"). Internal faults a person
cannot act on are logged and answered with the general sentence of their class, so sk_fail and
sk_cli_fail with SK_ERR_NOMEM, SK_ERR_STORE or SK_ERR_INTERNAL may keep an English literal for
the log. A line may say why it is an exception with a comment "msg-check: <reason>".
Exit status: 0 when nothing is found, 1 otherwise.
"""
import os
import re
import sys

INTERNAL = {"SK_ERR_NOMEM", "SK_ERR_STORE", "SK_ERR_INTERNAL"}
CALL = re.compile(r"(?<![\w.>])(sk_fail|sk_cli_fail|sk_cli_usage_error|fprintf|fputs|sk_buf_addf)\s*\(")
CONV = re.compile(r"%[-+ #0-9.*]*(?:hh|h|ll|l|z|j|t)?[a-zA-Z]|%%")
STR = re.compile(r'"((?:[^"\\]|\\.)*)"')


def call_args(src, i):
    """Arguments of the call whose '(' is at i, as source text, and where the call ends."""
    depth, j, start, args = 0, i, i + 1, []
    while j < len(src):
        c = src[j]
        if c in "\"'":
            j += 1
            while src[j] != c:
                j += 2 if src[j] == "\\" else 1
        elif src.startswith("/*", j):
            j = src.index("*/", j) + 1
        elif src.startswith("//", j):
            j = src.index("\n", j)
        elif c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
            if depth == 0:
                args.append(src[start:j].strip())
                return args, j + 1
        elif c == "," and depth == 1:
            args.append(src[start:j].strip())
            start = j + 1
        j += 1
    return args, len(src)


def words(arg):
    """The English words of the literals arg is made of (a choice "c ? "a" : "b"" counts too;
    a literal inside a call's parentheses does not: that call makes the message)."""
    flat, depth = [], 0
    for part in re.split(r'("(?:[^"\\]|\\.)*")', arg):
        if part.startswith('"'):
            if depth == 0:
                flat.append(part)
            continue
        depth += part.count("(") - part.count(")")
    if not flat:
        return None
    text = "".join(STR.findall(" ".join(flat)))
    text = CONV.sub(" ", text)
    text = re.sub(r"\\[ntr\\\"]", " ", text)
    text = re.sub(r"\bsekisho\b", " ", text)
    return re.findall(r"[A-Za-z]{2,}", text)


def message_arg(fn, args):
    """The argument that holds the message, or None when the call is not an error site."""
    if fn == "sk_fail":
        if len(args) < 3 or args[1] in INTERNAL:
            return None
        return args[2]
    if fn == "sk_cli_fail":
        if len(args) < 2 or args[0] in INTERNAL:
            return None
        return args[1]
    if fn == "sk_cli_usage_error":
        return args[1] if len(args) >= 2 else None
    if fn == "fprintf":
        return args[1] if len(args) >= 2 and args[0] == "stderr" else None
    if fn == "fputs":
        return args[0] if len(args) >= 2 and args[1] == "stderr" else None
    if fn == "sk_buf_addf":
        return args[1] if len(args) >= 2 and args[0] in ("err", "&err") else None
    return None


def strip_comments(src):
    """src with comments blanked (line numbers kept), so examples in comments do not count."""
    out, i = [], 0
    while i < len(src):
        if src[i] in "\"'":
            q, j = src[i], i + 1
            while j < len(src) and src[j] != q:
                j += 2 if src[j] == "\\" else 1
            out.append(src[i : j + 1])
            i = j + 1
        elif src.startswith("/*", i):
            j = src.find("*/", i + 2)
            j = len(src) if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", src[i:j]))
            i = j
        elif src.startswith("//", i) and not src.startswith("// msg-check:", i):
            j = src.find("\n", i)
            j = len(src) if j < 0 else j
            out.append(" " * (j - i))
            i = j
        else:
            out.append(src[i])
            i += 1
    return "".join(out)


def check_file(path):
    raw = open(path, encoding="utf-8").read()
    src = strip_comments(raw)
    lines = raw.split("\n")
    found = []
    for m in CALL.finditer(src):
        args, end = call_args(src, m.end() - 1)
        arg = message_arg(m.group(1), args)
        if arg is None:
            continue
        w = words(arg)
        if not w:
            continue
        first = src.count("\n", 0, m.start())
        last = src.count("\n", 0, end)
        if any("msg-check:" in lines[k] for k in range(first, min(last + 1, len(lines)))):
            continue
        text = " ".join(STR.findall(arg))
        found.append(f"{path}:{first + 1}: {m.group(1)} says '{text[:70]}' outside the catalog")
    return found


def main(argv):
    roots = argv[1:] or ["src"]
    found = []
    for root in roots:
        paths = [root] if os.path.isfile(root) else sorted(
            os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs if f.endswith(".c"))
        for p in paths:
            found += check_file(p)
    for f in found:
        print(f)
    if found:
        print(f"check-messages: {len(found)} message(s) outside the catalog "
              "(src/core/sk_msg_*.def; see scripts/check-messages.py)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
