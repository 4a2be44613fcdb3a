"""`python -m lodpub`: the lodpub command."""

from lodpub.cli import main

main(prog_name="lodpub")
