"""stato.commands."""
