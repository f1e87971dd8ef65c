"""Sub-commands of the `backoffice` command line, one module per noun."""
