#!/usr/bin/python3
"""lo_encrypt.py IN.xlsx OUT.xlsx PASSWORD PROFILE_URL

Saves IN.xlsx as a password-protected xlsx through LibreOffice's UNO API (Debian python3-uno):
an OLE2 container with the streams EncryptionInfo and EncryptedPackage. `soffice --convert-to`
cannot do this (it ignores a Password filter option), and LibreOffice 7.4 fails to store with
CryptoType "Agile", so this asks for ECMA-376 "Standard" encryption, the Excel 2007 kind.
"""

import os
import subprocess
import sys
import time

import uno
from com.sun.star.beans import NamedValue, PropertyValue


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def named(name, value):
    n = NamedValue()
    n.Name, n.Value = name, value
    return n


def main():
    src, dst, password, profile = sys.argv[1:5]
    pipe = "jkn_encrypt_%d" % os.getpid()
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
            sys.exit("lo_encrypt: LibreOffice did not start")
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(os.path.abspath(src)), "_blank", 0,
                                           (prop("Hidden", True),))
        enc = uno.Any("[]com.sun.star.beans.NamedValue",
                      (named("OOXPassword", password), named("CryptoType", "Standard")))
        uno.invoke(doc, "storeToURL", (uno.systemPathToFileUrl(os.path.abspath(dst)),
                                       (prop("FilterName", "Calc MS Excel 2007 XML"),
                                        prop("EncryptionData", enc))))
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
            sys.exit("lo_encrypt: %s is not an OLE2 (encrypted) file" % dst)


if __name__ == "__main__":
    main()
