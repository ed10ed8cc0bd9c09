"""The handlers of `natoread` subcommands, one module per area; `cli.py` dispatches."""
