"""`python -m shopsheet` is the `shopops` command."""

from shopsheet.cli import main

main()
