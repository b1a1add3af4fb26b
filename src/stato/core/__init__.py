"""stato.core."""
