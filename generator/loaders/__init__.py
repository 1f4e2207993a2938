"""Loaders: the only code that opens content files. One file in, model + diagnostics out."""
