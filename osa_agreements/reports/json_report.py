"""The JSON report of a check, for tools (check-report.schema.json); the text report is in ``reports.text``."""

from __future__ import annotations

import json

from osa_agreements import __version__
from osa_agreements.checking.results import CheckRun


def json_report(run: CheckRun) -> str:
    """Return the JSON report of a check run, with the documents in the folders that are not .docx."""
    payload = {
        "tool": f"osa-agreements {__version__}",
        "library_version": run.library.version,
        "exit_status": run.exit_status,
        "documents": [r.to_dict() for r in run.reports],
        "not_checked": [n.to_dict() for n in run.not_checked],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"
