"""The JSON report of a check, for tools (check-report.schema.json); the text report is in report_text."""

from __future__ import annotations

import json

from osa_agreements import __version__
from osa_agreements.checking.batch import DocumentReport, NotChecked, exit_status


def json_report(reports: tuple[DocumentReport, ...], library_version: str,
                not_checked: tuple[NotChecked, ...] = ()) -> str:
    """Return the JSON report of a check run; ``not_checked``: documents in the folders that are not .docx."""
    payload = {
        "tool": f"osa-agreements {__version__}",
        "library_version": library_version,
        "exit_status": exit_status(reports),
        "documents": [r.to_dict() for r in reports],
        "not_checked": [n.to_dict() for n in not_checked],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"
