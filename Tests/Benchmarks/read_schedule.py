# The peer for `samtale check`: a ten-line Python reading of a Norwegian Excel CSV (see results.md).
import csv, sys
from datetime import datetime
with open(sys.argv[1], encoding="cp1252", newline="") as f:
    rows = list(csv.DictReader(f, delimiter=";"))
for r in rows:
    r["start"] = datetime.strptime(r["Dato"] + " " + r["Fra"], "%d.%m.%Y %H:%M")
    r["end"] = datetime.strptime(r["Dato"] + " " + r["Til"], "%d.%m.%Y %H:%M")
rooms = {r["Rom"] for r in rows}
print(f"{len(rows)} conferences in {len(rooms)} rooms")
