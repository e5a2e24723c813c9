#!/usr/bin/env python3
"""Prints the files to embed (see tools/embed.py), one per line, sorted."""
import glob
import os

os.chdir(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
files = (glob.glob("templates/**/*.html", recursive=True) + glob.glob("static/*")
         + glob.glob("po/*.po") + glob.glob("data/defaults/*.txt") + glob.glob("data/holidays/*.txt"))
print("\n".join(sorted(files)))
