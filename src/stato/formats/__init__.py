"""stato.formats."""
