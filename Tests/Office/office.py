"""LibreOffice Calc as the school office: a small driver over its UNO bridge.

Starts a headless soffice of its own (its own pipe name and user profile), opens a CSV with the
text import filter's options as a Norwegian school office would have them, reads and edits cells
by header name and row, saves through LibreOffice's own save path with the document kept open (so
its lock file `.~lock.NAME#` stays, as in an office that has the spreadsheet open all day), and
closes. Needs Debian's `python3-uno` (import it with /usr/bin/python3) and `libreoffice-calc-nogui`.

    with Office() as office:
        doc = office.open("/share/samtaler.csv")
        doc.set("Merknad", 3, "Ta med karakterkort")
        doc.save()
        doc.close()
"""

import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import uuid

import uno  # noqa: F401  (Debian's python3-uno; also sets up the bridge's import hook)
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException

# The CSV filter's options, token by token (LibreOffice's "Filter Options for the CSV Filter"):
#   59      field separator ';' (Excel and LibreOffice in a Norwegian locale)
#   34      text delimiter '"'
#   76      character set UTF-8
#   1       the first line to read
#   (empty) column formats: "Standard" for every column, as the import dialog leaves them
#   1044    the language: Norwegian Bokmål (nb-NO), for reading dates and times
#   false   quoted fields as text: no
#   true    detect special numbers (dates, times): yes, so that 14:00 is a time, as in the dialog
#   true    (export) save cell contents as shown: yes, the dialog's default
#   false   (export) cell formulas: no
#   false   remove spaces: no
#   (the rest left at their defaults: the current sheet, no BOM added)
FILTER = "Text - txt - csv (StarCalc)"
FILTER_OPTIONS = "59,34,76,1,,1044,false,true,true,false,false"


def _props(**kw):
    out = []
    for k, v in kw.items():
        p = PropertyValue()
        p.Name = k
        p.Value = v
        out.append(p)
    return tuple(out)


def lock_path(path):
    """LibreOffice's lock file for a document: `.~lock.NAME#` beside it."""
    d, name = os.path.split(os.path.abspath(path))
    return os.path.join(d, ".~lock." + name + "#")


class Office:
    """One headless soffice process with a profile of its own, started and stopped by us."""

    def __init__(self, workdir=None, locale="nb_NO.UTF-8", timeout=60):
        self.name = "samtale-office-" + uuid.uuid4().hex[:12]
        self.own_workdir = workdir is None
        self.workdir = workdir or tempfile.mkdtemp(prefix="samtale-office-")
        self.profile = os.path.join(self.workdir, "profile")
        self.locale = locale
        self.timeout = timeout
        self.process = None
        self.desktop = None

    def start(self):
        env = dict(os.environ)
        # The office PC's locale: LibreOffice shows (and saves "as shown") dates and times in it.
        env["LANG"] = self.locale
        env["LC_ALL"] = self.locale
        env.pop("DISPLAY", None)
        os.makedirs(self.workdir, exist_ok=True)
        self.log = open(os.path.join(self.workdir, "soffice.log"), "wb")
        self.process = subprocess.Popen(
            ["soffice", "--headless", "--invisible", "--norestore", "--nologo", "--nodefault",
             "--nofirststartwizard", f"--accept=pipe,name={self.name};urp;",
             f"-env:UserInstallation=file://{self.profile}"],
            stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT, env=env,
            start_new_session=True)
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        deadline = time.monotonic() + self.timeout
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"soffice exited with {self.process.returncode} before it answered "
                                   f"(log: {os.path.join(self.workdir, 'soffice.log')})")
            try:
                ctx = resolver.resolve(f"uno:pipe,name={self.name};urp;StarOffice.ComponentContext")
                break
            except NoConnectException:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"soffice did not answer on pipe {self.name} within {self.timeout} s")
                time.sleep(0.25)
        self.ctx = ctx
        self.desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        return self

    def version(self):
        cp = self.ctx.ServiceManager.createInstanceWithContext(
            "com.sun.star.configuration.ConfigurationProvider", self.ctx)
        access = cp.createInstanceWithArguments(
            "com.sun.star.configuration.ConfigurationAccess",
            _props(nodepath="/org.openoffice.Setup/Product"))
        return f"{access.getByName('ooName')} {access.getByName('ooSetupVersionAboutBox')}"

    def open(self, path, filter_options=FILTER_OPTIONS):
        url = uno.systemPathToFileUrl(os.path.abspath(path))
        doc = self.desktop.loadComponentFromURL(
            url, "_blank", 0, _props(FilterName=FILTER, FilterOptions=filter_options, Hidden=True))
        if doc is None:
            raise RuntimeError(f"LibreOffice could not open {path}")
        return Document(doc, path, filter_options)

    def stop(self):
        if self.desktop is not None:
            desktop, self.desktop = self.desktop, None

            def terminate():
                try:
                    desktop.terminate()
                except Exception:
                    pass

            # A wedged soffice may never answer: give it 10 s, then the process group is killed.
            t = threading.Thread(target=terminate, daemon=True)
            t.start()
            t.join(timeout=10)
        if self.process is not None:
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(self.process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.process.wait(timeout=10)
            self.process = None
        if self.own_workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


class Document:
    """An open CSV document: cells by header name (row 0 is the header) and row."""

    def __init__(self, doc, path, filter_options):
        self.doc = doc
        self.path = os.path.abspath(path)
        self.url = uno.systemPathToFileUrl(self.path)
        self.filter_options = filter_options
        self.sheet = doc.Sheets.getByIndex(0)

    def _used(self):
        cursor = self.sheet.createCursor()
        cursor.gotoEndOfUsedArea(False)
        return cursor.RangeAddress.EndColumn + 1, cursor.RangeAddress.EndRow + 1

    def header(self):
        cols, _ = self._used()
        return [self.sheet.getCellByPosition(c, 0).String for c in range(cols)]

    def column(self, name):
        h = [x.strip().lower() for x in self.header()]
        try:
            return h.index(name.strip().lower())
        except ValueError:
            raise KeyError(f"{self.path}: no column {name!r} in {self.header()}")

    def rows(self):
        """How many rows, the header included."""
        return self._used()[1]

    def get(self, name, row):
        """The cell's text as shown."""
        return self.sheet.getCellByPosition(self.column(name), row).String

    def set(self, name, row, text):
        """Types text into the cell, as a person would (a time becomes a time)."""
        c = self.column(name)
        cell = self.sheet.getCellByPosition(c, row)
        cell.setFormula(text)
        # The API sets the value but, unlike typing, gives a new cell no format for it (a time would
        # show as 0,93…): give it the format of the cell above, as Calc's autoformat would.
        if cell.NumberFormat == 0 and row > 1 and cell.getType().value == "VALUE" and not re.fullmatch(r"-?\d+", text):
            cell.NumberFormat = self.sheet.getCellByPosition(c, row - 1).NumberFormat

    def find(self, name, text):
        """The first row whose cell in that column shows this text, or None."""
        c = self.column(name)
        for r in range(1, self.rows()):
            if self.sheet.getCellByPosition(c, r).String == text:
                return r
        return None

    def append(self, values):
        """A new row at the end: {header name: text}."""
        r = self.rows()
        for k, v in values.items():
            self.set(k, r, v)
        return r

    def save(self):
        """Ctrl-S: the document's own save path, to its own file in its own format; it stays open."""
        self.doc.store()

    def store_to_url(self):
        """The other path: storeToURL to the same URL with the same filter (as "Save a copy")."""
        self.doc.storeToURL(self.url, _props(FilterName=FILTER, FilterOptions=self.filter_options, Overwrite=True))

    def close(self):
        self.doc.close(True)
