#!/usr/bin/python3
"""lo_encrypt_xls.py IN OUT.xls PASSWORD PROFILE_URL

Saves IN as a password-protected Excel 97-2003 workbook through LibreOffice's UNO API (Debian
python3-uno): a FILEPASS record (RC4 CryptoAPI) after the BOF, the rest of the stream
encrypted. `soffice --convert-to` cannot do this: it takes no password.
"""

import os
import subprocess
import sys
import time

import uno
from com.sun.star.beans import PropertyValue


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def main():
    src, dst, password, profile = sys.argv[1:5]
    pipe = "jkn_xls_encrypt_%d" % os.getpid()
    office = subprocess.Popen(["soffice", "--headless", "--invisible", "--norestore",
                               "-env:UserInstallation=" + profile, "--accept=pipe,name=%s;urp;" % pipe])
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local)
        ctx = None
        for _ in range(120):
            try:
                ctx = resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
                break
            except Exception:  # noqa: BLE001 - office not listening yet
                time.sleep(0.5)
        if ctx is None:
            sys.exit("lo_encrypt_xls: LibreOffice did not start")
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(os.path.abspath(src)), "_blank", 0,
                                           (prop("Hidden", True),))
        doc.storeToURL(uno.systemPathToFileUrl(os.path.abspath(dst)),
                       (prop("FilterName", "MS Excel 97"), prop("Password", password)))
        doc.close(True)
        try:
            desktop.terminate()
        except Exception:  # noqa: BLE001 - the bridge drops as the office quits
            pass
    finally:
        try:
            office.wait(timeout=30)
        except subprocess.TimeoutExpired:
            office.kill()
            office.wait()
    with open(dst, "rb") as f:
        if f.read(4) != b"\xd0\xcf\x11\xe0":
            sys.exit("lo_encrypt_xls: %s is not an OLE2 file" % dst)


if __name__ == "__main__":
    main()
