#!/usr/bin/env python
"""Django's usual entry point; `luoshi` (luoshi/cli.py) is the same with serve and worker added."""

from luoshi.cli import main

if __name__ == "__main__":
    main()
