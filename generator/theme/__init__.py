"""The `evidence` theme: Material plus the templates and assets that lay out the generated pages.

MkDocs, ProperDocs and Zensical find it through the `mkdocs.themes` entry point and use this
folder; a site's own `custom_dir` still overrides any file in it.
"""
