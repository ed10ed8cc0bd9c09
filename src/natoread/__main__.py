"""`python -m natoread` entry point."""

from natoread.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
