"""The operator subcommands of ``python -m extract.run`` (``config``, ``status``, ``due``,
``calendar``) and
the interactive menu when it is started without arguments."""

from __future__ import annotations

import sys


def dispatch(argv: list[str], usage: str) -> int:
    if not argv:
        if not (sys.stdin.isatty() and sys.stdout.isatty()):
            print(f"usage: {usage}\n\nWithout arguments in a terminal this opens the interactive "
                  "menu; see 'python -m extract.run --help'.", file=sys.stderr)
            return 2
        from .menu import run_menu

        return run_menu()
    name, rest = argv[0], argv[1:]
    if name == "config":
        from .settings_view import cmd_config

        return cmd_config(rest)
    if name == "status":
        from .status import cmd_status

        return cmd_status(rest)
    if name == "calendar":
        from .calendar import cmd_calendar

        return cmd_calendar(rest)
    from .due import cmd_due

    return cmd_due(rest)
