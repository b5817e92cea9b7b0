#!/usr/bin/env python3
"""Build the patient leaflet PDFs. `python render.py --help` explains the options."""
import sys

from leaflet.cli import main

if __name__ == "__main__":
    sys.exit(main())
