"""osa-agreements: draft and check the Exchange of Notes of Japan's Official Security Assistance."""

__version__ = "0.1.0"
