"""Accept or reject every tracked change of a .docx in LibreOffice itself, and save it as .docx.

Run by a Python that has LibreOffice's ``uno`` module (Debian: python3-uno):

    python3 libreoffice_accept.py accept|reject IN.docx OUT.docx PROFILE_DIR

It starts its own headless soffice on a private pipe and profile, and stops it.
"""

from __future__ import annotations

import subprocess
import sys
import time
import uuid
from pathlib import Path

import uno
from com.sun.star.beans import PropertyValue

COMMANDS = {"accept": ".uno:AcceptAllTrackedChanges", "reject": ".uno:RejectAllTrackedChanges"}


def _property(name: str, value) -> PropertyValue:
    prop = PropertyValue()
    prop.Name, prop.Value = name, value
    return prop


def _connect(pipe: str, deadline: float):
    resolver = uno.getComponentContext().ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", uno.getComponentContext())
    while True:
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except Exception:  # soffice not listening yet
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def _hide_comments(manager, context) -> None:
    """Turn off the display of comments: libreoffice-writer-nogui lacks the comment window, and a view
    that shows comments would crash soffice."""
    provider = manager.createInstanceWithContext("com.sun.star.configuration.ConfigurationProvider", context)
    display = provider.createInstanceWithArguments(
        "com.sun.star.configuration.ConfigurationUpdateAccess",
        (_property("nodepath", "/org.openoffice.Office.Writer/Content/Display"),))
    display.setPropertyValue("Note", False)
    display.commitChanges()


def main(action: str, source: Path, target: Path, profile: Path) -> None:
    pipe = f"osa-{uuid.uuid4().hex}"
    options = [f"-env:UserInstallation={profile.resolve().as_uri()}", "--headless", "--invisible", "--norestore"]
    # A new profile makes soffice restart once, which would drop our connection: make it first.
    subprocess.run(["soffice", *options, "--terminate_after_init"], check=True, timeout=300, capture_output=True)
    office = subprocess.Popen(["soffice", *options, f"--accept=pipe,name={pipe};urp;"])
    try:
        context = _connect(pipe, time.monotonic() + 120)
        manager = context.ServiceManager
        _hide_comments(manager, context)
        desktop = manager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
        document = desktop.loadComponentFromURL(source.resolve().as_uri(), "_blank", 0, (_property("Hidden", True),))
        dispatcher = manager.createInstanceWithContext("com.sun.star.frame.DispatchHelper", context)
        dispatcher.executeDispatch(document.getCurrentController().getFrame(), COMMANDS[action], "", 0, ())
        document.storeToURL(target.resolve().as_uri(), (_property("FilterName", "MS Word 2007 XML"),))
        document.close(True)
        desktop.terminate()
    finally:
        try:
            office.wait(timeout=60)
        except subprocess.TimeoutExpired:
            office.kill()


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4]))
