"""Comparing a draft sent with the draft received: alignment, tracked changes to write, and the summary."""
