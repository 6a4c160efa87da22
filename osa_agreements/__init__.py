"""osa-agreements: draft and check the Exchange of Notes of Japan's Official Security Assistance.

The front door (see ``osa_agreements.api``)::

    from osa_agreements import draft, check, compare, load_library, load_programme, OsaError
"""

__version__ = "0.1.0"

from osa_agreements.api import check, compare, draft, load_library, load_programme  # noqa: E402
from osa_agreements.errors import OsaError  # noqa: E402

__all__ = ["check", "compare", "draft", "load_library", "load_programme", "OsaError", "__version__"]
