"""``python -m dealbrief``: the same program as the ``dealbrief`` command."""

from briefs.cli import cli


def main() -> None:
    cli(prog_name="dealbrief")


if __name__ == "__main__":
    main()
