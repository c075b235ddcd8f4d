"""One module per command: each takes what the command line asked for and does the work.

`cli.py` parses options into calls of these modules and turns their results into
output and exit codes; nothing here parses arguments.
"""
