"""Evidence-graded reference sites: claims + BibTeX in, graded MkDocs Markdown out."""

__version__ = "0.1.0"
