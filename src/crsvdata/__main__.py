"""``python -m crsvdata``: the ``crsvdata`` command, for when the console script is not on the PATH."""

from crsvdata.cli import main

if __name__ == "__main__":
    main(prog_name="crsvdata")
