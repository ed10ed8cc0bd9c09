"""`python -m natoread` entry point."""

from natoread.cli import main

raise SystemExit(main())
