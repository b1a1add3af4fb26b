"""Entry point for ``python -m stato``."""

from stato.cli import main

if __name__ == "__main__":
    main()
