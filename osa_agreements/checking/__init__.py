"""Checking received drafts: normalise -> locate -> compare -> classify, on plain records."""
