"""Rendering: the view model to plain MkDocs Markdown, claims.json and CSL-formatted references."""
