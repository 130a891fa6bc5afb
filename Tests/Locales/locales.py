"""CSV written by LibreOffice itself under nb, da and en locales, read by `samtale check --json`.

Run by Tests/Locales/run with Debian's /usr/bin/python3 (which imports `uno`, from python3-uno).
For each locale it starts its own headless soffice with LANG/LC_ALL set to that locale (that is
what LibreOffice formats "as shown" by: measured, see the README), builds spreadsheets whose date
and time cells are real numbers with LibreOffice's own date/time number formats for that locale,
saves each as CSV with "save cell contents as shown", and checks that Samtale reads every row on
the right day and time, with the school's matching language.
"""

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.lang import Locale

EPOCH = dt.datetime(1899, 12, 30)  # LibreOffice's day 0

# FilterOptions of "Text - txt - csv (StarCalc)": 1 field separator (ASCII code), 2 text
# delimiter, 3 character set (76: UTF-8), 4 first line, 5 column formats (none), 6 language (0:
# the document's), 7 quote all text cells, 8 detect special numbers, 9 save cell contents as shown.
def filter_options(separator, as_shown=True):
    return "%d,34,76,1,,0,false,true,%s" % (ord(separator), "true" if as_shown else "false")


LOCALES = [
    # (school language, LANG, field separator, header)
    ("nb", "nb_NO.UTF-8", ";", ["Dato", "Fra", "Til", "Rom", "Elev"]),
    ("da", "da_DK.UTF-8", ";", ["dato", "kl", "slut", "lokale", "elev"]),
    ("en", "en_US.UTF-8", ",", ["date", "start", "end", "room", "pupil"]),
]

# LibreOffice's built-in formats for the locale (com.sun.star.i18n.NumberFormatIndex).
DATE_FORMATS = ["DATE_SYSTEM_SHORT", "DATE_SYS_DDMMYYYY", "DATETIME_SYSTEM_SHORT_HHMM", "DATETIME_SYS_DDMMYYYY_HHMMSS"]
START_FORMATS = [
    "TIME_HHMM", "TIME_HHMMSS", "TIME_HHMMAMPM", "TIME_HHMMSSAMPM", "DATETIME_SYSTEM_SHORT_HHMM",
    "DATETIME_SYS_DDMMYYYY_HHMMSS",
]
END_FORMATS = ["TIME_HHMMSS", "TIME_HHMMSSAMPM", "TIME_HHMM", "TIME_HHMMAMPM"]
# Formats as an office worker's typing leaves them, where they differ from the built-in ones (the
# forms seen from LibreOffice 7.4 under an English locale: 3/4/2026 and 3/29/2026 10:00).
TYPED_DATE_FORMATS = {"en": ["M/D/YYYY", "M/D/YYYY HH:MM"]}

# Conference days: some with the day over 12 (they decide the order), some not (ambiguous alone).
DECIDED = [
    (dt.datetime(2026, 3, 4, 14, 0), 20),
    (dt.datetime(2026, 3, 5, 9, 5), 15),
    (dt.datetime(2026, 3, 13, 12, 30), 20),
    (dt.datetime(2026, 3, 29, 10, 0), 20),  # the day summer time starts in Europe
    (dt.datetime(2026, 4, 3, 15, 20), 20),
    (dt.datetime(2026, 11, 12, 8, 0), 30),
    (dt.datetime(2026, 11, 24, 14, 0), 20),
    (dt.datetime(2026, 12, 1, 0, 30), 20),
    (dt.datetime(2026, 1, 2, 23, 0), 15),
    (dt.datetime(2026, 10, 25, 11, 45), 20),
    (dt.datetime(2026, 2, 11, 13, 0), 20),
    (dt.datetime(2026, 6, 30, 19, 40), 20),
]
# Only days and months up to 12: the file alone cannot tell the order.
AMBIGUOUS = [
    (dt.datetime(2026, 3, 4, 14, 0), 20),
    (dt.datetime(2026, 4, 3, 9, 0), 20),
    (dt.datetime(2026, 11, 5, 12, 0), 20),
    (dt.datetime(2026, 1, 2, 17, 30), 20),
    (dt.datetime(2026, 12, 11, 8, 15), 20),
    (dt.datetime(2026, 6, 6, 10, 0), 20),
]

passed = 0
failed = 0


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("FAIL: " + what, flush=True)


def pv(name, value):
    p = PropertyValue()
    p.Name = name
    p.Value = value
    return p


def fraction(t):
    """The time of day as LibreOffice stores a typed time (exact minutes, no day part to lose digits to)."""
    return (t.hour * 60 + t.minute) / 1440.0


def serial(t):
    return (t.date() - EPOCH.date()).days + fraction(t)


class Office:
    """One headless soffice of our own, on its own pipe and profile, under one locale."""

    def __init__(self, lang, work):
        self.pipe = "samtale_locales_%d_%s" % (os.getpid(), lang.split(".")[0])
        self.profile = os.path.join(work, "profile-" + lang.split(".")[0])
        env = dict(os.environ, LANG=lang, LC_ALL=lang)
        env.pop("LANGUAGE", None)
        self.proc = subprocess.Popen(
            ["soffice", "--headless", "--invisible", "--norestore", "--nologo", "--nodefault",
             "--accept=pipe,name=%s;urp;" % self.pipe, "-env:UserInstallation=file://" + self.profile],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        deadline = time.monotonic() + 90
        while True:
            try:
                self.ctx = resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % self.pipe)
                break
            except Exception:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("soffice did not start (exit %s)" % self.proc.poll())
                time.sleep(0.2)
        self.desktop = self.ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", self.ctx)

    def close(self):
        try:
            self.desktop.terminate()
        except Exception:
            pass  # the bridge goes away as soffice quits
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def build_sheet(office, language, header, rows):
    """A new spreadsheet: header, then one row per conference, dates and times as real numbers."""
    doc = office.desktop.loadComponentFromURL("private:factory/scalc", "_blank", 0, (pv("Hidden", True),))
    sheet = doc.Sheets.getByIndex(0)
    nf = doc.NumberFormats
    loc = Locale()  # the document's (the process's) locale

    def builtin(name):
        return nf.getFormatIndex(uno.getConstantByName("com.sun.star.i18n.NumberFormatIndex." + name), loc)

    def typed(code):
        en = Locale("en", "US", "")
        key = nf.queryKey(code, en, False)
        return key if key >= 0 else nf.addNew(code, en)

    date_formats = [(n, builtin(n)) for n in DATE_FORMATS] + [(c, typed(c)) for c in TYPED_DATE_FORMATS.get(language, [])]
    start_formats = [(n, builtin(n)) for n in START_FORMATS]
    end_formats = [(n, builtin(n)) for n in END_FORMATS]
    for col, name in enumerate(header):
        sheet.getCellByPosition(col, 0).String = name
    used = []
    for i, (start, minutes) in enumerate(rows):
        end = start + dt.timedelta(minutes=minutes)
        r = i + 1
        dname, dkey = date_formats[i % len(date_formats)]
        sname, skey = start_formats[i % len(start_formats)]
        ename, ekey = end_formats[i % len(end_formats)]
        c = sheet.getCellByPosition(0, r)
        # A date cell with a time format shows the conference's start; a date-only one, midnight's day.
        c.Value = serial(start) if "DATETIME" in dname or "HH" in dname else serial(start.replace(hour=0, minute=0))
        c.NumberFormat = dkey
        c = sheet.getCellByPosition(1, r)
        c.Value = serial(start) if "DATETIME" in sname else fraction(start)
        c.NumberFormat = skey
        c = sheet.getCellByPosition(2, r)
        c.Value = fraction(end)
        c.NumberFormat = ekey
        sheet.getCellByPosition(3, r).String = "R%d" % r
        sheet.getCellByPosition(4, r).String = "Elev %d" % r
        used.append((dname, sname, ename))
    return doc, used


def sample_sheet(office, language, sep, path):
    """One instant, 2026-03-04 14:05, in every format: what LibreOffice writes for each (the README's table)."""
    doc = office.desktop.loadComponentFromURL("private:factory/scalc", "_blank", 0, (pv("Hidden", True),))
    sheet = doc.Sheets.getByIndex(0)
    nf = doc.NumberFormats
    names = DATE_FORMATS + START_FORMATS + TYPED_DATE_FORMATS["en"]
    names = list(dict.fromkeys(names))
    t = dt.datetime(2026, 3, 4, 14, 5)
    for row, n in enumerate(names):
        if "/" in n:
            en = Locale("en", "US", "")
            key = nf.queryKey(n, en, False)
            key = key if key >= 0 else nf.addNew(n, en)
        else:
            key = nf.getFormatIndex(uno.getConstantByName("com.sun.star.i18n.NumberFormatIndex." + n), Locale())
        c = sheet.getCellByPosition(0, row)
        c.Value = serial(t) if "DATE" in n or "/" in n else fraction(t)
        c.NumberFormat = key
    store_csv(doc, path, sep)
    doc.close(True)
    with open(path, encoding="utf-8") as f:
        return dict(zip(names, f.read().splitlines()))


def store_csv(doc, path, separator, as_shown=True):
    doc.storeToURL(
        "file://" + path,
        (pv("FilterName", "Text - txt - csv (StarCalc)"), pv("FilterOptions", filter_options(separator, as_shown))))


def samtale_check(binary, path, language):
    p = subprocess.run(
        [binary, "check", path, "--json", "--language", language, "--time-zone", "Europe/Oslo"],
        capture_output=True, text=True, timeout=60)
    try:
        return p.returncode, json.loads(p.stdout)
    except json.JSONDecodeError:
        return p.returncode, {"error": p.stdout + p.stderr}


def local(t):
    return t.strftime("%Y-%m-%dT%H:%M")


def expect_rows(name, result, rows):
    confs = {c.get("line"): c for c in result.get("conferences", [])}
    check(len(result.get("conferences", [])) == len(rows),
          "%s: %d conferences read, %d in the sheet (%s)" % (name, len(result.get("conferences", [])), len(rows),
                                                            result.get("problems", result.get("error"))))
    for i, (start, minutes) in enumerate(rows):
        line = i + 2
        c = confs.get(line)
        want = (local(start), local(start + dt.timedelta(minutes=minutes)))
        got = (c["start"], c["end"]) if c else None
        check(got == want, "%s line %d: read %s, written %s" % (name, line, got, want))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--keep", help="keep the CSV files in this folder")
    args = ap.parse_args()
    binary = os.path.abspath(args.binary)
    work = tempfile.mkdtemp(prefix="samtale-locales-")
    out = args.keep or work
    os.makedirs(out, exist_ok=True)
    table = {}
    try:
        for language, lang, sep, header in LOCALES:
            office = Office(lang, work)
            try:
                for kind, rows in (("decided", DECIDED), ("ambiguous", AMBIGUOUS)):
                    doc, used = build_sheet(office, language, header, rows)
                    path = os.path.join(out, "%s-%s.csv" % (language, kind))
                    store_csv(doc, path, sep)
                    if kind == "decided":
                        raw = os.path.join(out, "%s-raw.csv" % language)
                        store_csv(doc, raw, sep, as_shown=False)
                    doc.close(True)
                    with open(path, encoding="utf-8") as f:
                        lines = f.read().splitlines()
                    if kind == "decided":
                        for fmt, text in sample_sheet(office, language, sep, os.path.join(out, language + "-sample.csv")).items():
                            table.setdefault(fmt, {})[language] = text
                        # Token 9 is "save cell contents as shown": without it LibreOffice writes
                        # its own full forms (four-digit years, seconds) instead of the cell's format.
                        with open(raw, encoding="utf-8") as f:
                            first = f.read().splitlines()[1].split(sep)[0]
                        shown = lines[1].split(sep)[0]
                        check(shown.endswith("26") and not shown.endswith("2026") and first.endswith("2026"),
                              "%s: as shown %r (two-digit year), not as shown %r" % (language, shown, first))
                    if kind == "decided":
                        name = "%s not as shown" % language
                        code, result = samtale_check(binary, raw, language)
                        check(code == 0 and not result.get("problems"), "%s: samtale check exit %d, problems %s" % (
                            name, code, result.get("problems", result.get("error"))))
                        expect_rows(name, result, rows)
                    name = "%s %s" % (language, kind)
                    code, result = samtale_check(binary, path, language)
                    problems = [p for p in result.get("problems", []) if p.get("severity") != "notice"]
                    notices = [p for p in result.get("problems", []) if p.get("severity") == "notice"]
                    check(code == 0 and not problems, "%s: samtale check exit %d, problems %s" % (
                        name, code, problems or result.get("error")))
                    expect_rows(name, result, rows)
                    order = result.get("dateOrder") or {}
                    if kind == "decided":
                        check(order.get("basis") == "file" and not notices,
                              "%s: the order is decided by the file itself (%s, notices %s)" % (name, order, notices))
                    else:
                        basis = "setting" if language == "en" else "separator"
                        check(order.get("basis") == basis and len(notices) == 1 and notices[0].get("line") == 2
                              and notices[0].get("column") == header[0],
                              "%s: a notice on line 2 says which reading was taken (%s; %s)" % (name, order, notices))
                        if language == "en":
                            # The same file for a Norwegian school: read day first, never silently.
                            code, other = samtale_check(binary, path, "nb")
                            n = [p for p in other.get("problems", []) if p.get("severity") == "notice"]
                            cell = '"%s"' % lines[1].split(sep)[0]
                            check(len(n) == 1 and "read day first" in n[0]["message"] and cell in n[0]["message"],
                                  "en file read as nb: the notice names the reading taken (%s)" % n)
            finally:
                office.close()
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print("What LibreOffice wrote 'as shown' for 2026-03-04 14:05 in each format:")
    print("| format | nb | da | en |")
    print("|---|---|---|---|")
    for fmt, by in table.items():
        print("| %s | %s |" % (fmt, " | ".join("`%s`" % by.get(l, "") for l, _, _, _ in LOCALES)))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
