#!/usr/bin/env python3
"""Two builds of the reader against each other on random schedule files (issue 12).

    Tests/Benchmarks/compare_readers.py BEFORE_DIR AFTER_DIR [--files 2000] [--seed N]

Each DIR holds a release build's `samtale` and `samtale-bench`. Every file is read by both
`samtale check --json` (the conferences' lines, ids, rooms, starts and ends, every problem, the
date order, the exit status) and written into by both `samtale-bench merge` (one state written
into the eighth booking's row: the bytes of the whole file after). Any difference is printed
with the file kept; the exit status is 1 when there was one.

The files mix what offices save: UTF-8 with and without BOM and Windows-1252; `;`, `,` and tab;
CRLF and LF; quoted cells with `""` and line breaks; dates day first, month first, ISO, with the
time in the same cell; times with dots, seconds, AM/PM and wrong ones; ends or durations; ids
repeated; status words; blank rows, no-break spaces and trailing spaces; broken headers.
"""
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile

HEADERS = {
    "date": ["Dato", "date", "DATO "],
    "start": ["Fra", "start", "Kl."],
    "end": ["Til", "end", "slutt"],
    "duration": ["Varighet", "minutes"],
    "room": ["Rom", "room", "Lokale"],
    "teacher": ["Kontaktlærer", "teacher"],
    "pupil": ["Elev", "pupil"],
    "guardians": ["Foresatte", "guardians"],
    "notes": ["Merknad", "notes"],
    "id": ["id", "Bookingnr"],
    "status": ["status"],
    "checked_in": ["checked_in"],
    "extra": ["Ekstra", "Kommentar fra kontoret"],
}


def date_text(rng, y, m, d, style):
    if style == "iso":
        return f"{y}-{m:02d}-{d:02d}"
    if style == "dots":
        return f"{d:02d}.{m:02d}.{y}"
    if style == "dots2":
        return f"{d}.{m}.{y % 100:02d}"
    if style == "dash":
        return f"{d:02d}-{m:02d}-{y}"
    if style == "slash-day":
        return f"{d}/{m}/{y}"
    return f"{m}/{d}/{y}"  # slash-month


def time_text(rng, h, mi):
    form = rng.choice(["hm", "hm", "hm", "dot", "sec", "ampm", "ampm2", "bad", "h"])
    if form == "hm":
        return f"{h:02d}:{mi:02d}"
    if form == "dot":
        return f"{h:02d}.{mi:02d}"
    if form == "sec":
        return f"{h:02d}:{mi:02d}:00"
    if form == "ampm":
        return f"{(h - 1) % 12 + 1}:{mi:02d} {'PM' if h >= 12 else 'AM'}"
    if form == "ampm2":
        return f"{(h - 1) % 12 + 1:02d}:{mi:02d}:00 {'p.m.' if h >= 12 else 'a.m.'}"
    if form == "h":
        return f"{h}:{mi:02d}"
    return rng.choice(["1400", "25:00", "x", "14:7", "", " "])


def quote(rng, text, delim):
    needs = any(c in text for c in (delim, '"', "\n", "\r")) or text != text.strip()
    if needs or rng.random() < 0.1:
        return '"' + text.replace('"', '""') + '"'
    return text


def make_file(rng):
    delim = rng.choice([";", ";", ",", "\t"])
    eol = rng.choice(["\r\n", "\n"])
    encoding = rng.choice(["utf-8", "utf-8-sig", "cp1252"])
    columns = ["date", "start", "room"]
    columns.append(rng.choice(["end", "end", "duration"]))
    for c in ["teacher", "pupil", "guardians", "notes", "id", "status", "checked_in", "extra"]:
        if rng.random() < 0.6:
            columns.append(c)
    rng.shuffle(columns)
    if rng.random() < 0.05:
        columns.remove(rng.choice(["date", "start", "room"]))
    header = [rng.choice(HEADERS[c]) for c in columns]
    if rng.random() < 0.05:
        header.append(header[0])
        columns.append("extra")
    style = rng.choice(["iso", "dots", "dots2", "dash", "slash-day", "slash-month", "slash-day", "mixed"])
    combined = rng.random() < 0.15  # the date and the start in one cell
    lines = []
    if rng.random() < 0.1:
        lines.append(delim * len(columns))
    lines.append(delim.join(quote(rng, h, delim) for h in header))
    rooms = ["204", "A1", "R3", "Rom 5", " 204 "]
    for k in range(rng.randint(0, 60)):
        y = 2026
        m = rng.randint(1, 12)
        d = rng.choice([rng.randint(1, 12), rng.randint(1, 31)])
        h = rng.randint(7, 20)
        mi = rng.choice([0, 10, 20, 30, 40, 50])
        length = rng.choice([10, 15, 20, 30])
        row_style = style if style != "mixed" else rng.choice(["iso", "dots", "slash-day", "slash-month"])
        cells = []
        for c in columns:
            if c == "date":
                v = date_text(rng, y, m, d, row_style)
                if combined:
                    v += (" " if row_style != "iso" or rng.random() < 0.5 else "T") + time_text(rng, h, mi)
                if rng.random() < 0.03:
                    v = rng.choice(["", "31.02.2026", "i morgen", "2026-13-01", "24.11.2026\u00a0"])
            elif c == "start":
                v = "" if combined and rng.random() < 0.7 else time_text(rng, h, mi)
            elif c == "end":
                e = h * 60 + mi + length
                v = time_text(rng, e // 60 % 24, e % 60)
                if rng.random() < 0.05:
                    v = date_text(rng, y, m, d, row_style) + " " + v
            elif c == "duration":
                v = rng.choice([str(length), str(length), "0", "abc", "700", ""])
            elif c == "room":
                v = rng.choice(rooms) if rng.random() > 0.03 else ""
            elif c == "teacher":
                v = rng.choice(["Kari Lærer", "Per / Ola", "Kari og Per", "Anne & Bjørn", ""])
            elif c == "pupil":
                v = rng.choice(["Åse Ødegård", "Per", "Ola \"Junior\"", "", "Émile Zoë"]) + str(rng.randint(0, 5))
            elif c == "guardians":
                v = rng.choice(["Mor; Far", "Foresatt\nlinje 2", "", "A and B"])
            elif c == "notes":
                v = rng.choice(["", "Merknad\r\nlinje 2", "tolk: arabisk", "  mellomrom  ", "€ – ‘sitat’"])
            elif c == "id":
                v = str(rng.randint(1, 40)) if rng.random() > 0.1 else ""
            elif c == "status":
                v = rng.choice(["", "", "scheduled", "waiting", "in session", "done", "no-show", "Avlyst",
                                " cancelled ", "kanskje", "In-Session"])
            elif c == "checked_in":
                v = rng.choice(["", time_text(rng, h, mi)])
            else:
                v = rng.choice(["", "x", "kontoret;notat", " "])
            cells.append(quote(rng, v, delim))
        lines.append(delim.join(cells))
    for _ in range(rng.randint(0, 2)):
        lines.append(rng.choice(["", delim * 3, " "]))
    text = eol.join(lines) + (eol if rng.random() < 0.8 else "")
    if rng.random() < 0.02:
        text += '"unclosed'
    return text.encode(encoding, errors="replace")


def check(binary, path):
    p = subprocess.run([binary, "check", path, "--json", "--time-zone", "Europe/Oslo"], capture_output=True)
    out = p.stdout.decode("utf-8", "replace")
    try:
        data = json.loads(out)
        # Problems on one line may come in either order (overlaps are found room by room).
        data["problems"] = sorted(data["problems"], key=lambda q: json.dumps(q, sort_keys=True))
        data.pop("file", None)
    except ValueError:
        data = out
    return p.returncode, data


def merge(bench, path):
    p = subprocess.run([bench, "merge", path], capture_output=True)
    with open(path, "rb") as f:
        return p.returncode, p.stdout, f.read()


def main():
    args = sys.argv[1:]
    before, after = args[0], args[1]
    files = int(args[args.index("--files") + 1]) if "--files" in args else 2000
    seed = int(args[args.index("--seed") + 1]) if "--seed" in args else random.randrange(1 << 32)
    print(f"compare_readers: seed {seed} (--seed {seed} replays it), {files} files")
    rng = random.Random(seed)
    work = tempfile.mkdtemp(prefix="compare-readers-")
    differences = 0
    bookings = 0
    merged = 0
    for n in range(files):
        data = make_file(rng)
        path = os.path.join(work, f"f{n}.csv")
        with open(path, "wb") as f:
            f.write(data)
        a = check(os.path.join(before, "samtale"), path)
        b = check(os.path.join(after, "samtale"), path)
        if a != b:
            differences += 1
            print(f"check differs on {path}:\n  before {a}\n  after  {b}", flush=True)
            continue
        if isinstance(a[1], dict):
            bookings += len(a[1]["conferences"])
            if len(a[1]["conferences"]) > 7:
                pa, pb = path + ".a", path + ".b"
                shutil.copy(path, pa)
                shutil.copy(path, pb)
                ma = merge(os.path.join(before, "samtale-bench"), pa)
                mb = merge(os.path.join(after, "samtale-bench"), pb)
                if ma != mb:
                    differences += 1
                    print(f"merge differs on {path}", flush=True)
                    continue
                os.remove(pa)
                os.remove(pb)
                merged += 1
        os.remove(path)
    print(f"compare_readers: {files} files, {bookings} conferences read, {merged} write-backs compared, "
          f"{differences} differences")
    if differences == 0:
        shutil.rmtree(work)
    sys.exit(1 if differences else 0)


if __name__ == "__main__":
    main()
