"""Triage: bulk actions with undo (`actions`) and rules that act on articles (`rules`,
`matcher`, `apply`). The reader's keys and the CLI call the same functions."""
