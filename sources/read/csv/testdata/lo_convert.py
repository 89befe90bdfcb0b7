#!/usr/bin/python3
"""Convert files with LibreOffice Calc in one headless process, each with
its own filter and filter options (soffice --convert-to takes one
--infilter for all its files, and starting soffice costs seconds).

    lo_convert.py PROFILE_DIR JOB...

Each JOB is IN|IN_FILTER|IN_OPTIONS|OUT|OUT_FILTER|OUT_OPTIONS; an empty
IN_FILTER lets LibreOffice detect the type. The test of package csv runs
it to read its golden CSV files back the way LibreOffice reads them
(oracle), and make_golden.py to write them. The process gets a profile of
its own, so that it can run beside other LibreOffice runs.
"""
import os
import subprocess
import sys
import time

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException


def props(**kw):
    out = []
    for k, v in kw.items():
        p = PropertyValue()
        p.Name, p.Value = k, v
        out.append(p)
    return tuple(out)


def main():
    profile, jobs = sys.argv[1], sys.argv[2:]
    pipe = "jkn_lo_convert_%d" % os.getpid()
    office = subprocess.Popen([
        "soffice", "-env:UserInstallation=file://" + os.path.abspath(profile),
        "--headless", "--invisible", "--norestore", "--nologo", "--nodefault",
        "--accept=pipe,name=%s;urp;StarOffice.ComponentContext" % pipe,
    ], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local)
        deadline = time.time() + 60
        while True:
            try:
                ctx = resolver.resolve(
                    "uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
                break
            except NoConnectException:
                if time.time() > deadline or office.poll() is not None:
                    raise
                time.sleep(0.1)
        desktop = ctx.ServiceManager.createInstanceWithContext(
            "com.sun.star.frame.Desktop", ctx)
        for job in jobs:
            src, in_filter, in_opts, dst, out_filter, out_opts = job.split("|")
            load = dict(Hidden=True)
            if in_filter:
                load.update(FilterName=in_filter, FilterOptions=in_opts)
            doc = desktop.loadComponentFromURL(
                uno.systemPathToFileUrl(os.path.abspath(src)), "_blank", 0, props(**load))
            if doc is None:
                raise SystemExit("LibreOffice could not open " + src)
            store = dict(FilterName=out_filter, Overwrite=True)
            if out_opts:
                store["FilterOptions"] = out_opts
            doc.storeToURL(uno.systemPathToFileUrl(os.path.abspath(dst)), props(**store))
            doc.close(True)
        try:
            desktop.terminate()
        except Exception:
            pass  # the bridge goes down with the office
    finally:
        try:
            office.wait(timeout=30)
        except subprocess.TimeoutExpired:
            office.kill()
            office.wait()


if __name__ == "__main__":
    main()
