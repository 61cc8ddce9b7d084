"""`python -m shopsheet` is the `shopops` command."""

from shopsheet.launch import main

main()
