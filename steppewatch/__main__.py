"""`python -m steppewatch`: the command line."""

from steppewatch.cli import main

raise SystemExit(main())
