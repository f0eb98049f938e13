"""Pitch briefs (Markdown, HTML, PDF) and their charts."""
